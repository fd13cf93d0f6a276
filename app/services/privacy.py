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
        hidden), ``status`` (shown, hidden, or no_data for a city without such a list) and
        ``label``.
    """
    private = repo.resources_frame(kinds=[kind], include_restricted=True, placed_only=True)
    private = private[private["restricted"].astype(bool)]
    districts = repo.areas_frame(kind="school_district")
    if districts.empty:
        return []
    hits = gpd.sjoin(private[["geometry"]], districts[["code", "geometry"]], predicate="covered_by")
    per_code = hits.groupby("code").size()
    # A city with no such list at all has no data, which is not the same as few.
    surveyed = set(private["city_code"])
    out = []
    for district in districts.itertuples():
        count = int(per_code.get(district.code, 0))
        # A zero is hidden like any small count: "none here" would also say where they are not.
        status = "no_data" if district.city_code not in surveyed else "shown" if count >= threshold \
            else "hidden"
        out.append({"area_code": district.code, "area_name": district.name,
                    "city_code": district.city_code, "provenance": district.provenance,
                    "count": count if status == "shown" else None, "status": status,
                    "label": {"shown": str(count), "hidden": f"fewer than {threshold}",
                              "no_data": "no data for this city"}[status]})
    return out
