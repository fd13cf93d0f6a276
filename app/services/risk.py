"""「この場所の危険」 for a point: the hazard areas the database holds, and whether it lies in them."""

from __future__ import annotations

from app.domain.kinds import AREA_KINDS
from app.domain.risk import Risk, hazard_of_area_kind, risks_here
from app.storage.repository import Repository


def hazard_areas_held(repo: Repository) -> dict[str, str]:
    """Hazard key → how its areas are named (「土砂災害危険箇所・A26 2010」), for each held."""
    out: dict[str, str] = {}
    for area_set in repo.area_set_list():
        hazard = hazard_of_area_kind(area_set["kind"])
        if hazard and hazard not in out:
            kind = AREA_KINDS.get(area_set["kind"])
            out[hazard] = f"{kind.label_ja if kind else area_set['kind']}・{area_set['name']}"
    return out


def risks_at(repo: Repository, lon: float, lat: float) -> list[Risk]:
    """The risk sentences for (``lon``, ``lat``), the hazard areas it lies in first."""
    return risks_here(repo.areas_at(lon, lat), hazard_areas_held(repo))
