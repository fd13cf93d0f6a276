"""What the public may know of restricted places and of the register: counts per area, small ones hidden."""

from __future__ import annotations

import geopandas as gpd

from app.domain.small_counts import Published, published
from app.services._stores import uses_stores
from app.storage.repository import Repository


@uses_stores
def counts_by_district(repo: Repository, kind: str, threshold: int) -> list[dict]:
    """Per school district: the count of restricted ``kind`` rows, by the one small-count rule.

    Returns
    -------
    list of dict
        ``area_code``, ``area_name``, ``city_code``, ``provenance``, ``count`` (rounded; None
        when hidden), ``status`` (shown or hidden: none and few alike, and a city with no such
        list is not told apart, or a single private salon would show) and ``label``.
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
        shown = published(int(per_code.get(district.code, 0)), threshold)
        out.append({"area_code": district.code, "area_name": district.name,
                    "city_code": district.city_code, "provenance": district.provenance,
                    "count": shown.count, "status": shown.status, "label": shown.label(threshold)})
    return out


@uses_stores
def person_counts(repo: Repository, register, area_kind: str, threshold: int) -> list[dict]:
    """Registered people per area of ``area_kind`` (or 町丁目, ``chome``), by the one small-count rule.

    Nothing personal is opened: the counts come from the areas kept beside each sealed record.
    Counts of every area kind are rounded as well as thresholded, so that two kinds' counts
    cannot be subtracted to find one person.

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
        shown = published(per_code.get(code, 0), threshold) if city in registered else \
            Published(None, "no_register")
        out.append({"area_code": code, "area_name": name, "city_code": city, "count": shown.count,
                    "status": shown.status, "label": shown.label(threshold)})
    return out
