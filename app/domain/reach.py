"""Shelter reach and load: catchments by nearest shelter and the two-step floating catchment."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree


def catchments(weights: np.ndarray, nearest: np.ndarray, walk_m: np.ndarray, limit_m: float,
               capacities: list[int | None]) -> pd.DataFrame:
    """Population assigned to each facility (every unit to its nearest one) against capacity.

    ``capacities[j]`` is ``None`` where unknown: the load ratio then stays unknown (``None``),
    never a ratio against zero. ``within_limit`` counts only people within ``limit_m``.
    """
    count = len(capacities)
    assigned = np.bincount(nearest[nearest >= 0], weights=weights[nearest >= 0], minlength=count)
    ok = (nearest >= 0) & (walk_m <= limit_m)
    within = np.bincount(nearest[ok], weights=weights[ok], minlength=count)
    return pd.DataFrame({
        "assigned": assigned[:count], "assigned_within_limit": within[:count],
        "capacity": pd.array(capacities, dtype="Int64"),
        "load_ratio": pd.array([assigned[j] / c if c else None for j, c in enumerate(capacities)],
                               dtype="Float64"),
    })


def two_step_fca(demand_xy: np.ndarray, weights: np.ndarray, facility_xy: np.ndarray,
                 capacities: np.ndarray, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Two-step floating catchment area accessibility (Luo & Wang 2003), straight-line radius.

    Step 1: each facility's ratio R_j = capacity_j / population within ``radius_m``.
    Step 2: each demand point's accessibility A_i = sum of R_j of facilities within ``radius_m``.
    Returns (A per demand point, R per facility), in places per person.
    """
    if len(facility_xy) == 0:
        return np.zeros(len(demand_xy)), np.zeros(0)
    demand_tree = cKDTree(demand_xy)
    ratios = np.zeros(len(facility_xy))
    for j, members in enumerate(demand_tree.query_ball_point(facility_xy, r=radius_m)):
        population = weights[members].sum()
        ratios[j] = capacities[j] / population if population > 0 else 0.0
    access = np.zeros(len(demand_xy))
    for i, near in enumerate(cKDTree(facility_xy).query_ball_point(demand_xy, r=radius_m)):
        access[i] = ratios[near].sum() if near else 0.0
    return access, ratios
