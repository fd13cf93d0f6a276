"""What the public may know of restricted resources: counts per school district, small ones hidden."""

from __future__ import annotations

import geopandas as gpd

from app.storage.repository import Repository


def counts_by_district(repo: Repository, kind: str, threshold: int) -> list[dict]:
    """Per school district: the count of restricted ``kind`` rows, or "fewer than N" below N.

    Returns
    -------
    list of dict
        ``area_code``, ``area_name``, ``city_code``, ``provenance``, ``count`` (None when
        hidden) and ``label``.
    """
    private = repo.resources_frame(kinds=[kind], include_restricted=True, placed_only=True)
    private = private[private["restricted"].astype(bool)]
    districts = repo.areas_frame(kind="school_district")
    if districts.empty:
        return []
    hits = gpd.sjoin(private[["geometry"]], districts[["code", "geometry"]], predicate="covered_by")
    per_code = hits.groupby("code").size()
    out = []
    for district in districts.itertuples():
        count = int(per_code.get(district.code, 0))
        # A zero is hidden like any small count: "none here" would also say where they are not.
        shown = count >= threshold
        out.append({"area_code": district.code, "area_name": district.name,
                    "city_code": district.city_code, "provenance": district.provenance,
                    "count": count if shown else None,
                    "label": str(count) if shown else f"fewer than {threshold}"})
    return out
