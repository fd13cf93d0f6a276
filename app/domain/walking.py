"""Walking distance and time, straight-line model with a stated detour factor."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.domain.projection import metric_transformer

DEFAULT_PACE = 43.0  # m/min: older-adult pace, the 逃げ地図 planning convention (also 60, 80)
DEFAULT_DETOUR = 1.3
# The one place the default walking limit is decided: a quarter hour at the chosen pace.
DEFAULT_MINUTES = 15.0
# What a walking question may ask, the same from the web, the API and the command line: a limit of
# 1 to 120 minutes or 50 m to 10 km, a pace of 10 to 200 m/min, a detour factor of 1 to 3.
BOUNDS = {"minutes": (1.0, 120.0), "metres": (50.0, 10_000.0), "pace": (10.0, 200.0), "detour": (1.0, 3.0)}


@dataclass(frozen=True)
class WalkingModel:
    """A walking pace (m/min) and the detour factor turning straight lines into walks."""

    pace_m_per_min: float = DEFAULT_PACE
    detour: float = DEFAULT_DETOUR

    def describe(self) -> dict:
        """The model's parameters, for results to say how they were computed."""
        return {"model": "straight_line", "detour_factor": self.detour,
                "pace_m_per_min": self.pace_m_per_min}


def nearest(origin_lonlat: tuple[float, float], candidates: list[dict], n: int,
            model: WalkingModel) -> list[dict]:
    """The ``n`` candidates (dicts with ``lon``/``lat``) closest to the origin.

    Adds ``distance_m`` (straight line), ``walk_m`` (times the detour factor) and
    ``walk_minutes`` at the model's pace.
    """
    if not candidates:
        return []
    transformer = metric_transformer()
    ox, oy = transformer.transform(*origin_lonlat)
    xs, ys = transformer.transform(np.array([c["lon"] for c in candidates]),
                                   np.array([c["lat"] for c in candidates]))
    distances = np.hypot(np.asarray(xs) - ox, np.asarray(ys) - oy)
    order = np.argsort(distances, kind="stable")[:n]
    out = []
    for i in order:
        walk = float(distances[i]) * model.detour
        out.append({**candidates[i], "distance_m": round(float(distances[i]), 1),
                    "walk_m": round(walk, 1), "walk_minutes": round(walk / model.pace_m_per_min, 1)})
    return out


