"""What the public may know of restricted resources: counts per school district, small ones hidden."""

from __future__ import annotations

import shapely.geometry


def counts_by_district(repo, kind: str, threshold: int) -> list[dict]:
    """Per school district: the count of restricted ``kind`` rows, or "fewer than N" below N."""
    rows = repo.find_resources(kinds=[kind], include_restricted=True, placed_only=True, limit=1_000_000)
    points = [shapely.geometry.shape(r["geometry"]) for r in rows if r["restricted"]]
    out = []
    for district in repo.find_areas(kind="school_district", limit=100_000):
        shape = shapely.geometry.shape(district["geometry"])
        count = sum(1 for p in points if shape.covers(p))
        shown = count == 0 or count >= threshold
        out.append({"area_code": district["code"], "area_name": district["name"],
                    "city_code": district["city_code"], "provenance": district["provenance"],
                    "count": count if shown else None,
                    "label": str(count) if shown else f"fewer than {threshold}"})
    return out
