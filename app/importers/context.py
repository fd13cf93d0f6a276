"""Context layers (railways, stations, rivers): shown for orientation, not analysed."""

from __future__ import annotations

from pathlib import Path

from app.importers.report import ImportReport, RowError, fail_if
from app.importers.vector import read_vector

NAME_FIELDS = ("N02_005", "N02_003", "W05_004", "name", "名称")  # station name before line name


def parse_context(path: Path, layer: str) -> tuple[list[dict], ImportReport]:
    """Any vector file as context features with a display name where one is found."""
    path = Path(path)
    frame = read_vector(path)
    name_col = next((c for c in NAME_FIELDS if c in frame.columns), None)
    rows, errors = [], []
    for number, (_, feature) in enumerate(frame.iterrows(), start=1):
        geom = feature.geometry
        if geom is None or geom.is_empty:
            errors.append(RowError(path.name, number, "geometry", "empty geometry"))
            continue
        props = {k: (None if v != v else v) for k, v in feature.drop("geometry").items()
                 if isinstance(v, str | int | float) or v is None}
        rows.append({"layer": layer, "name": str(feature[name_col] or "") if name_col else "",
                     "properties": props, "geom": geom})
    fail_if(errors)
    return rows, ImportReport(file=path.name, layer=layer, read=len(frame), stored=len(rows))
