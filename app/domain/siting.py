"""Where a new salon would help most: greedy maximal coverage with existing salons fixed."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree


def greedy_sites(demand_xy: np.ndarray, weights: np.ndarray, covered: np.ndarray,
                 candidate_xy: np.ndarray, radius_m: float, k: int) -> list[tuple[int, float]]:
    """Choose up to ``k`` candidates, each adding the most not-yet-covered people.

    Parameters
    ----------
    covered : ndarray of bool
        Demand already within reach of an existing facility (those stay fixed).
    radius_m : float
        Straight-line radius a candidate covers (walking limit divided by the detour factor).

    Returns
    -------
    list of (candidate index, people added); stops early when no candidate adds anyone.
    """
    covered = covered.copy()
    tree = cKDTree(demand_xy)
    reach = [np.asarray(m, dtype=int) for m in tree.query_ball_point(candidate_xy, r=radius_m)] \
        if len(candidate_xy) else []
    chosen: list[tuple[int, float]] = []
    available = set(range(len(reach)))
    for _ in range(k):
        best, gain = None, 0.0
        for j in sorted(available):
            members = reach[j]
            g = float(weights[members][~covered[members]].sum()) if len(members) else 0.0
            if g > gain:
                best, gain = j, g
        if best is None:
            break
        covered[reach[best]] = True
        available.discard(best)
        chosen.append((best, gain))
    return chosen
