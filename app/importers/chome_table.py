"""The 町丁目 table of the open data: every 町丁目 with its point and 2015 census population."""

from __future__ import annotations

import csv
from pathlib import Path

from app.domain.chome import Chome

TABLE = Path("address") / "geolonia_chome_points.csv"


def read_chome_table(data_dir: Path) -> tuple[list[Chome], dict[tuple[str, str], tuple[float, float]]]:
    """Read ``address/geolonia_chome_points.csv`` (joined 1:1 to the census in the data).

    Returns
    -------
    chome, points
        The 町丁目 with their population, and (city code, town) → (lon, lat).
    """
    path = Path(data_dir) / TABLE
    if not path.exists():
        raise FileNotFoundError(f"{path}: no 町丁目 table; set OPEN_DATA_DIR to the open data")
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    chome = [Chome(r["city_code"], r["town"], float(r.get("estat2015_jinko") or 0)) for r in rows]
    points = {(r["city_code"], r["town"]): (float(r["lng"]), float(r["lat"])) for r in rows}
    return chome, points
