"""Who lives within walking distance of a facility: distances, coverage per area, gaps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from app.domain.demand import Demand
from app.domain.network import WalkNetwork
from app.domain.walking import DEFAULT_MINUTES, WalkingModel


@dataclass(frozen=True)
class DistanceModel:
    """Straight line × detour factor, or a walking network when one is given."""

    walking: WalkingModel
    network: WalkNetwork | None = None

    @property
    def name(self) -> str:
        """'network' or 'straight_line'."""
        return "network" if self.network is not None else "straight_line"

    def describe(self) -> dict:
        """The model and its parameters, for results to say how they were computed."""
        out = {"model": self.name, "pace_m_per_min": self.walking.pace_m_per_min}
        if self.network is None:
            out["detour_factor"] = self.walking.detour
        return out

    def nearest(self, demand_xy: np.ndarray, facility_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Walking metres from each demand point to its nearest facility, and that facility."""
        if self.network is not None:
            return self.network.nearest_facility(demand_xy, facility_xy)
        if len(facility_xy) == 0:
            return np.full(len(demand_xy), np.inf), np.full(len(demand_xy), -1)
        distance, index = cKDTree(facility_xy).query(demand_xy)
        return distance * self.walking.detour, index


def limit_metres(walking: WalkingModel, minutes: float | None, metres: float | None) -> float:
    """A threshold given in minutes (at the pace) or metres, as walking metres.

    Neither given: ``DEFAULT_MINUTES``. Both given, or a limit that is not positive, is an
    error: a zero would otherwise quietly become the default.
    """
    if minutes is not None and metres is not None:
        raise ValueError("give the limit either in minutes or in metres, not both")
    if metres is not None:
        if metres <= 0:
            raise ValueError(f"the walking limit must be more than 0 m (got {metres})")
        return float(metres)
    minutes = DEFAULT_MINUTES if minutes is None else minutes
    if minutes <= 0:
        raise ValueError(f"the walking limit must be more than 0 minutes (got {minutes})")
    return float(minutes) * walking.pace_m_per_min


def coverage_table(demand: Demand, walk_m: np.ndarray, limit_m: float) -> pd.DataFrame:
    """Per area: population, covered, not covered, % covered and nearest-distance quantiles.

    Sorted by people not covered, most first: the coordinator's work list.
    """
    frame = demand.pieces[["area_code", "area_name", "area_city", "weight"]]
    weight = frame["weight"].to_numpy(dtype=float)
    walk_m = np.asarray(walk_m, dtype=float)
    covered = np.where(walk_m <= limit_m, weight, 0.0)
    # Each area's pieces as index arrays in their stored order (what a pandas groupby would hand
    # over), without building a frame per group: the per-request cost of a what-if.
    group = frame.groupby(["area_code", "area_name", "area_city"], sort=False).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    members = np.split(order, np.flatnonzero(np.diff(group[order])) + 1) if len(order) else []
    codes, names, cities = (frame[c].to_numpy() for c in ("area_code", "area_name", "area_city"))
    rows = []
    for index in members:
        code, name, city = codes[index[0]], names[index[0]], cities[index[0]]
        population, covered_here = np.nansum(weight[index]), np.nansum(covered[index])
        rows.append({
            "area_code": code, "area_name": name, "city_code": city,
            "population": population, "covered": covered_here, "not_covered": population - covered_here,
            "pct_covered": 100.0 * covered_here / population if population else None,
            "median_walk_m": _weighted_quantile(walk_m[index], weight[index], 0.5),
            "p90_walk_m": _weighted_quantile(walk_m[index], weight[index], 0.9),
        })
    table = pd.DataFrame(rows, columns=["area_code", "area_name", "city_code", "population", "covered",
                                        "not_covered", "pct_covered", "median_walk_m", "p90_walk_m"])
    return table.sort_values(["not_covered", "area_code"], ascending=[False, True]).reset_index(drop=True)


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float | None:
    if weights.sum() <= 0:
        return None
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    value = values[order][min(np.searchsorted(cumulative, q), len(values) - 1)]
    return float(value) if np.isfinite(value) else None
