"""Where a registered person goes today: the nearest open shelter that suits them and has room.

Pure rules over a site's status on the day (``domain.site_status``), its target groups
(``domain.targets``), its designation for the event's hazard and its accessibility
(``domain.site_access``). What is not known is said, never taken as yes or as no: a shelter
whose list carries no hazard designation, or whose entrance nobody has described, is planned
with that named; one that says no (not designated, 段差あり, 満員) is not planned at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain import site_access
from app.domain.targets import open_to_all, welfare_for


def free_room(status: dict) -> int | None:
    """Places left at an open site (capacity for the day less the people there), None if unknown."""
    if status.get("capacity_day") is None or status.get("people") is None:
        return None
    return max(status["capacity_day"] - status["people"], 0)


def takes_people(status: dict) -> bool:
    """An open site that is not 満員 and has not filled its known capacity."""
    room = free_room(status)
    return bool(status.get("open")) and status.get("state") != "full" and (room is None or room > 0)


def designation(hazards, twin_hazards, hazard: str | None) -> bool | None:
    """Whether a shelter is designated for ``hazard``: True, False, or None when no list says.

    The GSI 指定避難所 list carries no hazards; its twin in the 指定緊急避難場所 list (the same
    site) does. A site neither list flags for any hazard has not said.
    """
    if hazard is None:
        return True
    flags = set(hazards or ()) | set(twin_hazards or ())
    if not flags:
        return None
    return hazard in flags


@dataclass
class Fit:
    """Whether a site may be planned for a person, and what about it nobody has said."""

    ok: bool
    unknown: list[str] = field(default_factory=list)  # feature keys, and "hazard" when undesignated


def fits(site: dict, groups, needed, hazard: str | None) -> Fit:
    """A shelter for everyone or for one of the person's own groups, designated, one they can enter.

    ``site`` carries ``targets``, ``hazards``, ``twin_hazards`` and ``access`` (merged answers).
    """
    if not (open_to_all(site.get("targets")) or welfare_for(site.get("targets"), groups)):
        return Fit(False)
    designated = designation(site.get("hazards"), site.get("twin_hazards"), hazard)
    if designated is False:
        return Fit(False)
    enters, unknown = site_access.fit(site.get("access"), needed)
    if not enters:
        return Fit(False)
    return Fit(True, unknown + ([] if designated else ["hazard"]))


def unknown_words(unknown, lang: int = 0) -> list[str]:
    """「段差なし入口が不明」 … for the unknowns of a fit, to be checked before sending someone."""
    hazard = ("この災害への指定", "designation for this hazard", "この さいがいの ための 指定")
    said = ("が不明", " unknown", "が わからない")
    return [(hazard[lang] if k == "hazard" else site_access.FEATURES[k][lang]) + said[lang] for k in unknown]
