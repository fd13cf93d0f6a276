"""How analysis answers are written: header, totals, rows, gaps and shelter catchments.

Shared by every analysis (coverage, reach, suggestions, declared catchments), so that each
answer says the same things about its model, limit and demand in the same words.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np
import pandas as pd

from app.domain.coverage import DistanceModel, coverage_table
from app.domain.demand import MEASURES, Demand
from app.domain.projection import xy
from app.domain.reach import catchments, two_step_fca
from app.domain.walking import DEFAULT_MINUTES


class Answer(TypedDict, total=False):
    """What every analysis says first: its parameters, walking model and demand."""

    parameters: dict  # kind, area kind, city, minutes or metres, the limit in metres, hazard, what-ifs
    walking: dict  # the distance model (straight line × detour, or a network) and its pace
    demand: dict  # the measure counted (older people, everyone …), its label and its units
    facilities: int  # places counted
    data_limits: list  # what the answer cannot tell (Said sentences), never silently 0


class CoverageResult(Answer, total=False):
    """``coverage``: per area and in all, who is within the limit; unknown (None) where no list exists."""

    totals: dict
    areas: list[dict]
    gaps: list[dict]  # the units beyond the limit, most people first
    resources: dict  # the places listed, placed and counted
    baseline: dict  # a what-if's totals without it


class ReachResult(Answer, total=False):
    """``reach``: per area, the share within the limit of a shelter, an emergency site, a welfare shelter."""

    layers: dict[str, dict]
    areas: list[dict]
    catchments: dict  # per shelter: people nearest it against its capacity
    welfare_groups: list[str]
    city_capacity: list[dict]


class SuggestionResult(Answer, total=False):
    """``suggestions``: the candidate sites that would bring the most people within the limit."""

    suggestion_model: dict
    private_candidates: int
    covered_now: float
    population: float
    picks: list[dict]


def header(query, model: DistanceModel, demand: Demand, limit: float, facilities=None) -> Answer:
    """Parameters, walking model and demand of a result (and how many facilities counted)."""
    minutes = DEFAULT_MINUTES if query.minutes is None and query.metres is None else query.minutes
    out = {"parameters": {"kind": query.kind, "area_kind": query.area_kind, "city": query.city,
                          "minutes": minutes, "metres": query.metres, "limit_walk_m": limit,
                          "hazard": query.hazard, "added": [list(p) for p in query.add],
                          "removed": list(query.remove)},
           "walking": model.describe(),
           "demand": {"measure": demand.measure, "label": MEASURES[demand.measure],
                      "units": demand.unit_type}}
    if facilities is not None:
        out["facilities"] = len(facilities)
    return out


def totals(table: pd.DataFrame) -> dict:
    """Population, covered, not covered and % covered over all rows of a coverage table."""
    population = float(table["population"].sum())
    covered = float(table["covered"].sum())
    return {"population": round(population, 1), "covered": round(covered, 1),
            "not_covered": round(population - covered, 1),
            "pct_covered": round(100 * covered / population, 2) if population else None}


def known_totals(table: pd.DataFrame, blind: set[str]) -> dict:
    """``totals`` over the areas of cities whose figure can be known, and how many cannot.

    ``population`` stays everyone's; covered, not covered and % are of the known areas only, and
    None when no area's figure can be known.
    """
    unknown = table["city_code"].isin(blind)
    if not unknown.any():
        return totals(table)
    known = totals(table[~unknown])
    everyone = float(table["population"].sum())
    if not (~unknown).any():
        known.update(covered=None, not_covered=None, pct_covered=None)
    return {**known, "population": round(everyone, 1), "population_known": known["population"],
            "unknown_areas": int(unknown.sum())}


def blinded(table: pd.DataFrame, blind: set[str]) -> pd.DataFrame:
    """The table with covered, not covered and % as None in ``blind`` cities: unknown, not 0."""
    unknown = table["city_code"].isin(blind)
    if not unknown.any():
        return table
    table = table.astype({"covered": object, "not_covered": object, "pct_covered": object})
    table.loc[unknown, ["covered", "not_covered", "pct_covered"]] = None
    return table


def records(table: pd.DataFrame) -> list[dict]:
    """Table rows as JSON-ready dicts: floats rounded, NaN and infinities as None."""
    out = []
    for row in table.to_dict("records"):
        out.append({k: (None if v is None or (isinstance(v, float) and not np.isfinite(v)) or v is pd.NA
                        else round(v, 2) if isinstance(v, float) else v) for k, v in row.items()})
    return out


def gaps(demand: Demand, walk: np.ndarray, limit: float) -> list[dict]:
    """Demand pieces beyond the limit, as lon/lat points with their people."""
    outside = demand.pieces[walk > limit].to_crs("EPSG:4326")
    return [{"lon": round(p.x, 6), "lat": round(p.y, 6), "people": round(w, 1), "area_code": code,
             "walk_m": None if not np.isfinite(d) else round(float(d), 1)}
            for p, w, code, d in zip(outside.geometry, outside["weight"], outside["area_code"],
                                     walk[walk > limit], strict=True)]


def shelter_catchments(facilities, demand: Demand, walk, nearest, limit: float, model) -> dict:
    """Each shelter's assigned people against its capacity; 2SFCA where capacities exist."""
    capacities = [None if pd.isna(c) else int(c) for c in facilities["capacity"]]
    table = catchments(demand.weights, nearest, walk, limit, capacities)
    points = facilities.geometry.to_crs("EPSG:4326")  # where each is, so its table can be a map too
    rows = [{"id": None if pd.isna(f["id"]) else int(f["id"]), "name": f["name"],
             "city_code": f["city_code"], "lon": round(p.x, 6), "lat": round(p.y, 6),
             "assigned": round(float(a), 1),
             "assigned_within_limit": round(float(w), 1),
             "capacity": None if pd.isna(c) else int(c),
             "load_ratio": None if pd.isna(r) else round(float(r), 3)}
            for f, p, a, w, c, r in zip(facilities.to_dict("records"), points, table["assigned"],
                                     table["assigned_within_limit"], table["capacity"],
                                     table["load_ratio"], strict=True)]
    known = [i for i, c in enumerate(capacities) if c]
    out = {"shelters": sorted(rows, key=lambda r: -r["assigned"]),
           "capacity_known": len(known), "capacity_unknown": len(capacities) - len(known)}
    if not known:
        out["two_step_fca"] = None
        out["two_step_fca_note"] = ("no capacity is known for these shelters; not computed (a council's "
                                    "list can be imported: fureai import capacity FILE)")
        return out
    if len(known) < len(capacities):
        out["two_step_fca_note"] = (f"computed over the {len(known)} shelters with a known capacity; "
                                    f"{len(capacities) - len(known)} without one are left out, so areas "
                                    "served by them read low")
    access, _ = two_step_fca(demand.xy, demand.weights, xy(facilities.iloc[known]),
                             np.array([capacities[i] for i in known]), limit / model.walking.detour)
    frame = pd.DataFrame({"area_code": demand.pieces["area_code"], "w": demand.weights, "a": access})
    out["two_step_fca"] = {code: round(float((g["a"] * g["w"]).sum() / g["w"].sum()), 4)
                           for code, g in frame.groupby("area_code") if g["w"].sum() > 0}
    return out


def layer_table(demand, walk, limit, blind_cities: set[str], facilities: int):
    """One reach layer per area, unknown (None) in ``blind_cities``, and its totals."""
    table = coverage_table(demand, walk, limit).set_index("area_code")
    blind = table["city_code"].isin(blind_cities)
    table.loc[blind, "pct_covered"] = None
    layer = {"facilities": facilities, **totals(table[~blind].reset_index()),
             "unknown_areas": int(blind.sum())}
    return table, layer
