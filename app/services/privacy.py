"""What the public may know of restricted places and of the register: counts per area, small ones hidden."""

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


def thresholded(count: int, threshold: int) -> tuple[int | None, str]:
    """A count as the public may see it: itself from ``threshold`` on, else hidden."""
    return (count, "shown") if count >= threshold else (None, "hidden")


def person_counts(repo: Repository, register, area_kind: str, threshold: int) -> list[dict]:
    """Registered people per area of ``area_kind`` (or 町丁目, ``chome``), small counts hidden.

    Nothing personal is opened: the counts come from the areas kept beside each sealed record.

    Returns
    -------
    list of dict
        ``area_code``, ``area_name``, ``city_code``, ``count`` (None when hidden or unknown),
        ``status`` (shown, hidden, or no_register for a city without one) and ``label``.
    """
    per_code = register.counts(area_kind)
    registered = set(register.city_counts())
    if area_kind == "chome":
        # Only 町丁目 at or above the threshold are named: listing a small one would say someone is there.
        areas = [(code, code.split(":", 1)[1], code.split(":", 1)[0]) for code in sorted(per_code)
                 if per_code[code] >= threshold]
    else:
        frame = repo.areas_frame(kind=area_kind)
        areas = [(r.code, r.name, r.city_code) for r in frame.itertuples()]
    out = []
    for code, name, city in areas:
        count, status = thresholded(per_code.get(code, 0), threshold)
        if city not in registered:
            count, status = None, "no_register"
        out.append({"area_code": code, "area_name": name, "city_code": city, "count": count, "status": status,
                    "label": {"shown": str(count), "hidden": f"fewer than {threshold}",
                              "no_register": "no register for this city"}[status]})
    return out
