"""What placing rows needs of a geocoder: an address in, a 町丁目 point (or nothing) out.

The implementation that reads the Geolonia address files lives in ``app.importers.address``;
the domain only knows this protocol, so placement logic is testable with a hand-made one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Geocoded:
    """A 町丁目 representative point and what of the address was left after the 町丁目."""

    lat: float
    lon: float
    town: str
    rest: str


class Geocoder(Protocol):
    """Anything that geocodes an address to its 町丁目 point."""

    def geocode(self, address: str, city_name: str = "") -> Geocoded | None:
        """The 町丁目 point of ``address`` (in ``city_name`` when the address omits it), or None."""

    def towns(self, city_name: str) -> list[Geocoded]:
        """Every 町丁目 of ``city_name`` with its representative point."""

    def cities_naming(self, text: str, city_names: list[str]) -> list[str]:
        """Those of ``city_names`` that have a 町丁目 named in ``text`` (where to geocode it)."""
