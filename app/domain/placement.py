"""Placing a resource on the map: checking given coordinates, or finding a known venue."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shapely import Point
from shapely.geometry.base import BaseGeometry

from app.domain.projection import to_metric
from app.domain.said import Said
from app.domain.text import name_parts, nfkc

# What a public row says when its venue is a private place: the same words as for a name that
# matches nothing, because the row's details are public and must not reveal the place exists.
JAPAN_LAT = (20.0, 46.0)
JAPAN_LON = (122.0, 154.0)


@dataclass
class City:
    """A city's code, name and polygon (lon/lat), with its metric form made once."""

    code: str
    name: str
    geom: BaseGeometry  # lon/lat
    _metric: BaseGeometry | None = field(default=None, repr=False)

    @property
    def metric(self) -> BaseGeometry:
        """The polygon in metres."""
        if self._metric is None:
            self._metric = to_metric(self.geom)
        return self._metric

    def metres_outside(self, lon: float, lat: float) -> float:
        """0 inside the city, else the distance in metres to its boundary."""
        return to_metric(Point(lon, lat)).distance(self.metric)


def parse_coordinate(text: str) -> float | None:
    """A decimal degree from council text (full-width digits allowed); ``None`` if not one."""
    text = nfkc(text).replace("°", "").replace(",", ".")
    # float() reads Arabic-Indic and other scripts' digits too; a council's list writes ASCII ones
    # (after NFKC), so anything else is a cell to check, not a coordinate.
    if not text.isascii() or not re.fullmatch(r"[+-]?\d+(\.\d+)?", text.strip()):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None  # NaN is not a coordinate


def coordinate_problem(lat: float, lon: float) -> str | None:
    """Why ``(lat, lon)`` cannot be a place in Japan, or ``None`` if it can."""
    in_lat = JAPAN_LAT[0] <= lat <= JAPAN_LAT[1]
    in_lon = JAPAN_LON[0] <= lon <= JAPAN_LON[1]
    if in_lat and in_lon:
        return None
    if JAPAN_LAT[0] <= lon <= JAPAN_LAT[1] and JAPAN_LON[0] <= lat <= JAPAN_LON[1]:
        return f"latitude {lat} and longitude {lon} look swapped; exchange the two columns"
    return (
        f"({lat}, {lon}) is outside Japan (latitude {JAPAN_LAT[0]}–{JAPAN_LAT[1]}, "
        f"longitude {JAPAN_LON[0]}–{JAPAN_LON[1]}); check the numbers and that they are degrees"
    )


@dataclass(frozen=True)
class Venue:
    """A known facility a listed row may be held at."""

    name: str
    city_code: str
    lon: float
    lat: float
    kind: str
    # A private place (a home salon, a vacant house): it may place only rows that are
    # private too, so its location never becomes public through another row.
    restricted: bool = False
    address: str = ""  # told to the rows held there, which often give none of their own


class VenueIndex:
    """Known facilities by name, so an event held at 「本多公民館」 lands on that building."""

    def __init__(self, venues: list[Venue]):
        self._by_key: dict[tuple[str, str], list[Venue]] = {}
        for venue in venues:
            for key in name_parts(venue.name):
                self._by_key.setdefault((venue.city_code, key), []).append(venue)

    def match(self, name: str, city_code: str, allow_restricted: bool = False) -> tuple[Venue | None, str]:
        """The one venue of ``city_code`` called ``name``, and a sentence saying how.

        Several candidates at different places (over 100 m apart) are ambiguous: the row
        is left unplaced rather than put at a guess. Restricted venues count only when
        ``allow_restricted`` (the row being placed is restricted itself).
        """
        keys = name_parts(name)  # the name without notes in brackets
        key = keys[0] if keys else ""
        if not key:
            return None, "no venue name"
        found = self._by_key.get((city_code, key), [])
        candidates = [v for v in found if allow_restricted or not v.restricted]
        if found and not candidates:
            # Only a caller who may see the private place has it in this index at all.
            return None, (f"venue {name!r} is a restricted place; a public row is not placed there "
                          "(mark the row restricted, or give its coordinates)")
        if not candidates:
            return None, Said("venue_no_match", name=name, city=city_code)
        first = candidates[0]
        spread = max(
            to_metric(Point(v.lon, v.lat)).distance(to_metric(Point(first.lon, first.lat)))
            for v in candidates
        )
        if spread > 100:
            names = sorted({v.name for v in candidates})
            return None, Said("venue_ambiguous", name=name, names=", ".join(names))
        return first, f"venue {name!r} = {first.kind} {first.name!r}"
