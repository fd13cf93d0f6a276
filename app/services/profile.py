"""地区カルテ: one area's profile, and every area of a city side by side.

What a coordinator brings to a 懇談会: the population and its mix (2020 mesh, with the change
from 2015 where both exist), the public places by kind and category, salon coverage for each
target group, shelter reach, the privacy-safe counts of restricted things, and the limits of
the data that every figure rests on. Everything is computed for all areas of the city at once
(the analyses already answer per area), so the comparison table and one profile agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app.domain.demand import MEASURE_UNITS, MEASURES
from app.domain.kinds import AREA_KINDS, HAZARDS, RESOURCE_KINDS
from app.domain.said import Said
from app.domain.targets import CATEGORIES, TARGET_GROUPS
from app.services._stores import uses_stores
from app.services.analysis import AnalysisError, Analyzer, Query
from app.services.coverage import coverage
from app.services.privacy import counts_by_district
from app.services.reach import reach
from app.storage.repository import Repository

PROFILE_MEASURES = ("total", "age65", "age75", "age85", "older_living_alone", "children", "foreign")
COVERAGE_TARGETS = ("older", "older_living_alone", "children")
REACH_COLUMNS = ("pct_shelter", "pct_welfare_shelter", "pct_emergency_site")


class ProfileError(ValueError):
    """No such area, or nothing to profile it with; the message says what to do."""


@dataclass
class Profile:
    """One area's profile (see the module docstring)."""

    area: dict
    population: list[dict] = field(default_factory=list)  # measure, label, unit, value, value_2015
    places: list[dict] = field(default_factory=list)  # kind, label, category, count
    coverage: list[dict] = field(default_factory=list)  # target, label, measure, pct, covered, population
    reach: dict = field(default_factory=dict)  # REACH_COLUMNS → % (None: unknown)
    private_counts: list[dict] = field(default_factory=list)  # kind, label (thresholded)
    drills: list[dict] = field(default_factory=list)  # 防災訓練 held here: name, schedule, venue, hazards
    limits: list[str] = field(default_factory=list)


@dataclass
class CityProfiles:
    """Every area of one kind in a city, each with its figures (the comparison table's rows)."""

    area_kind: str
    city: str
    minutes: float
    rows: dict[str, dict]  # area code → figures
    limits: list[str]


def _population(analyzer: Analyzer, area_kind: str, city: str, rows: dict, limits: list[str]) -> None:
    for measure in PROFILE_MEASURES:
        try:
            pieces = analyzer.demand(area_kind, city, measure).pieces
        except AnalysisError as exc:
            limits.append(f"{MEASURES[measure]}: {exc}")
            continue
        for code, value in pieces.groupby("area_code")["weight"].sum().items():
            rows[code][measure] = round(float(value), 1)
    try:
        earlier = analyzer.demand(area_kind, city, "total", units="mesh500").pieces
    except AnalysisError:
        limits.append(Said("no_2015"))
        return
    for code, value in earlier.groupby("area_code")["weight"].sum().items():
        rows[code]["total_2015"] = round(float(value), 1)
    limits.append(Said("change_2015"))


def _coverage(analyzer: Analyzer, query: Query, rows: dict, limits: list[str]) -> None:
    for target in COVERAGE_TARGETS:
        try:
            result = coverage(analyzer, replace(query, target=target))
        except AnalysisError as exc:  # e.g. the loaded units do not count that group
            limits.append(f"coverage for {TARGET_GROUPS[target][1].lower()}: {exc}")
            continue
        for area in result["areas"]:
            rows[area["area_code"]][f"coverage_{target}"] = area["pct_covered"]
        # "only places for … are counted" is said by the profile's own lines, one per group.
        limits.extend(line for line in result["data_limits"]
                      if line not in limits and getattr(line, "key", "") != "only_target")
    reached = reach(analyzer, query)
    for area in reached["areas"]:
        rows[area["area_code"]].update({c: area.get(c) for c in REACH_COLUMNS})
    limits.extend(line for line in reached["data_limits"] if line not in limits)


@uses_stores
def city_profiles(repo: Repository, analyzer: Analyzer, area_kind: str, city: str, minutes: float = 10,
                  visible_cities=()) -> CityProfiles:
    """The figures of every ``area_kind`` area of ``city`` (walking limit ``minutes``)."""
    areas = repo.areas_frame(kind=area_kind, city=city)
    if areas.empty:
        raise ProfileError(f"city {city} has no {area_kind} areas; import them, or derive approximate "
                           f"districts with `fureai areas approximate --city {city}`")
    rows = {a.code: {"area_code": a.code, "area_name": a.name, "provenance": a.provenance}
            for a in areas.itertuples()}
    limits: list[str] = []
    query = Query(kind="salon", area_kind=area_kind, city=city, minutes=minutes,
                  visible_cities=tuple(visible_cities))
    try:
        _population(analyzer, area_kind, city, rows, limits)
        _coverage(analyzer, query, rows, limits)
    except AnalysisError as exc:
        raise ProfileError(str(exc)) from None
    return CityProfiles(area_kind, city, minutes, rows, limits)


def _inside(repo: Repository, area, visible_cities, kinds=None):
    frame = repo.resources_frame(bbox=area.geometry.bounds, placed_only=True, kinds=kinds,
                                 restricted_cities=tuple(visible_cities))
    return frame[frame.geometry.covered_by(area.geometry)]


def _drills(repo: Repository, area) -> list[dict]:
    """The 防災訓練 held inside the area, as their list states them (date, venue, hazards)."""
    return [{"name": r["name"], "schedule": (r["attributes"] or {}).get("schedule", ""),
             "venue": (r["attributes"] or {}).get("venue_name", "") or r["address"],
             "hazards": [HAZARDS[h][1] for h in r["hazards"]]}
            for r in _inside(repo, area, (), ["drill"]).to_dict("records")]


def _places(repo: Repository, area, visible_cities) -> list[dict]:
    inside = _inside(repo, area, visible_cities)
    out = []
    for (kind, category), group in inside.groupby(["kind", "category"], sort=True):
        out.append({"kind": kind, "label": RESOURCE_KINDS[kind].label_ja,
                    "category": CATEGORIES.get(category, ("",))[0], "count": len(group),
                    "private": int(group["restricted"].astype(bool).sum())})
    return out


@uses_stores
def district_profile(repo: Repository, analyzer: Analyzer, area_kind: str, code: str, minutes: float = 10,
                     visible_cities=(), threshold: int = 3) -> Profile:
    """The 地区カルテ of one area."""
    if area_kind not in AREA_KINDS:
        raise ProfileError(f"unknown area kind {area_kind!r}; use one of {', '.join(AREA_KINDS)}")
    found = repo.areas_frame(kind=area_kind, codes=[code])
    if found.empty:
        raise ProfileError(f"no {area_kind} with code {code!r}; see /api/v1/areas?kind={area_kind}")
    area = found.iloc[0]
    city = area["city_code"] or code
    figures = city_profiles(repo, analyzer, area_kind, city, minutes, visible_cities)
    row = figures.rows[code]
    profile = Profile(area={"code": code, "name": area["name"], "kind": area_kind, "city_code": city,
                            "provenance": area["provenance"], "minutes": minutes},
                      places=_places(repo, area, visible_cities), limits=figures.limits,
                      drills=_drills(repo, area),
                      reach={c: row.get(c) for c in REACH_COLUMNS})
    profile.population = [{"measure": m, "label": MEASURES[m], "unit": MEASURE_UNITS[m], "value": row.get(m),
                           "value_2015": row.get("total_2015") if m == "total" else None}
                          for m in PROFILE_MEASURES]
    profile.coverage = [{"target": t, "label": TARGET_GROUPS[t][0], "pct": row.get(f"coverage_{t}")}
                        for t in COVERAGE_TARGETS]
    if area_kind == "school_district":
        profile.private_counts = [{"kind": "vacant_house", **c} for c in counts_by_district(
            repo, "vacant_house", threshold) if c["area_code"] == code]
    return profile
