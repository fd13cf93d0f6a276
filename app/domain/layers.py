"""Published layers: the one spelling of a layer's id, and which kinds the public may see.

A layer is a resource kind (``salon``) or an area kind of one provenance
(``school_district-official``). The hyphen is the one spelling in every API, export, permalink
and OGC collection id: it needs no escaping in a URL path and no kind or provenance holds one.
Permalinks made before the spelling was settled wrote ``school_district:official``; they still
open.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.kinds import AREA_KINDS, PROVENANCES, RESOURCE_KINDS

PUBLIC_KINDS: tuple[str, ...] = tuple(k for k, v in RESOURCE_KINDS.items() if v.public)
SEPARATOR = "-"
OLD_SEPARATOR = ":"


def is_public(kind: str) -> bool:
    """May anyone, signed in or not, see the unrestricted rows of resource ``kind``."""
    found = RESOURCE_KINDS.get(kind)
    return found is not None and found.public


def kinds_for(restricted_cities) -> tuple[str, ...]:
    """The resource kinds a viewer with restricted rows of ``restricted_cities`` may ask for."""
    return tuple(RESOURCE_KINDS) if restricted_cities else PUBLIC_KINDS


@dataclass(frozen=True)
class LayerRef:
    """Which layer: a resource ``kind`` alone, or an area ``kind`` with its ``provenance``."""

    kind: str
    provenance: str | None = None

    @property
    def id(self) -> str:
        """The layer's id in its one spelling."""
        return self.kind if self.provenance is None else f"{self.kind}{SEPARATOR}{self.provenance}"

    @property
    def is_area(self) -> bool:
        """An area layer (districts, cities, hazard zones), not a layer of places."""
        return self.provenance is not None


def layer_ref(text: str) -> LayerRef | None:
    """The layer ``text`` names (``shelter``, ``school_district-official``), or None for no layer."""
    if text in RESOURCE_KINDS:
        return LayerRef(text)
    for separator in (SEPARATOR, OLD_SEPARATOR):
        kind, found, provenance = text.rpartition(separator)
        if found and kind in AREA_KINDS and provenance in PROVENANCES:
            return LayerRef(kind, provenance)
    return None
