"""「この場所の危険」: which hazard areas a point lies in, what that means, and how far is "near".

A household first needs to know whether its own place is at risk, then where to go. The areas
come from whatever hazard area sets the database holds (A26 土砂災害危険箇所 today; any area kind
named ``<hazard>_hazard`` later); a hazard the database holds no area for is said as unknown,
never as safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.kinds import HAZARDS
from app.domain.said import Said
from app.domain.walking import DEFAULT_PACE

# The walk beyond which a place is not offered as "near": half an hour at the chosen pace.
NEAR_MINUTES = 30.0
# An area kind whose name is not ``<hazard>_hazard`` but holds a hazard's areas.
AREA_KIND_HAZARD = {"sediment_hazard": "landslide"}
# What being inside an area of each hazard means, and what to do (plain words, 中学生 level): the
# sentences are ``said`` keys, so the card and the map say them in the reader's language.
INSIDE = {"landslide": "risk_inside_landslide", "flood": "risk_inside_flood"}


@dataclass(frozen=True)
class Risk:
    """One hazard at one point: inside or outside the areas held, or unknown (``inside`` None)."""

    hazard: str
    inside: bool | None
    sentence: Said
    source: str = ""  # the area set it was read from (「土砂災害危険箇所・A26 2010」)


def hazard_of_area_kind(kind: str) -> str | None:
    """The hazard key an area kind holds areas of (``sediment_hazard`` → landslide), or None."""
    if kind in AREA_KIND_HAZARD:
        return AREA_KIND_HAZARD[kind]
    stem = kind.removesuffix("_hazard")
    return stem if kind.endswith("_hazard") and stem in HAZARDS else None


def risks_here(containing: list[dict], held: dict[str, str]) -> list[Risk]:
    """The risk sentences for a point, insides first.

    Parameters
    ----------
    containing : list of dict
        The areas holding the point (``kind`` each), of every kind.
    held : dict
        Hazard key → how its areas are named on the page (「土砂災害危険箇所、2010年の調査」), for
        each hazard the database holds areas of.
    """
    inside = {hazard_of_area_kind(a["kind"]) for a in containing} - {None}
    out = []
    for hazard, source in held.items():
        key = INSIDE.get(hazard, "risk_inside_other") if hazard in inside else "risk_outside"
        out.append(Risk(hazard, hazard in inside, Said(key, hazard=hazard, source=source), source))
    out.sort(key=lambda r: not r.inside)
    # Inland Tokyo floods; the areas this map lacks for it are said as unknown, never as safe.
    out.extend(Risk(h, None, Said("risk_unknown", hazards=[h])) for h in ("flood", "inland_flood")
               if h not in held)
    return out


def risk_sentences(risks: list[Risk]) -> list[Said]:
    """The risks as sentences, the unknown hazards said once together."""
    unknown = [r.hazard for r in risks if r.inside is None]
    known = [r.sentence for r in risks if r.inside is not None]
    if unknown:
        known.append(Said("risk_unknown", hazards=unknown))
    return known


def near_limit_m(pace: float = DEFAULT_PACE, minutes: float = NEAR_MINUTES) -> float:
    """The walk in metres (the straight line × detour) that still counts as "near" at ``pace``."""
    return pace * minutes


def rounded_metres(metres: float) -> int:
    """A distance to tens of metres: it is measured from the 町丁目's point, not the door."""
    return int(round(metres / 10.0) * 10)


# (under half a minute, otherwise) in each language of the pages.
MINUTES = {"ja": ("1分未満", "約{n}分"), "en": ("under a minute", "about {n} min"),
           "ja-easy": ("1分より みじかい", "だいたい {n}分")}


def minutes_words(minutes: float, lang: str = "ja") -> str:
    """「約12分」, or 「1分未満」 rather than 「約0分」 (``lang`` ja, en or ja-easy)."""
    under, about = MINUTES.get(lang, MINUTES["ja"])
    return under if minutes < 0.5 else about.format(n=round(minutes))
