"""Query-parameter parsing for the API: every bad value becomes a 400 that says why."""

from __future__ import annotations

import math
import re

from app.domain.kinds import AREA_KINDS, HAZARDS, PROVENANCES, RESOURCE_KINDS
from app.domain.walking import BOUNDS

# ASCII digits only: str.isdigit() also accepts "²" and "١", which int() then rejects.
WHOLE_NUMBER = re.compile(r"^-?[0-9]{1,12}$")
DECIMAL = re.compile(r"^[+-]?([0-9]{1,12}(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$")


class BadParameter(ValueError):
    """A request value that cannot be used; ``name`` is the parameter, the message says why."""

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(f"parameter {name!r}: {message}")


def number(args, name: str, *, lo: float, hi: float, default=None) -> float | None:
    raw = args.get(name)
    if raw is None or raw == "":
        if default is None:
            return None
        return default
    if not DECIMAL.match(raw.strip()):
        raise BadParameter(name, f"{raw[:40]!r} is not a number")
    value = float(raw)
    if not math.isfinite(value) or not lo <= value <= hi:
        raise BadParameter(name, f"{raw} is out of range ({lo} to {hi})")
    return value



def walking(args, name: str, default=None) -> float | None:
    """A walking parameter (minutes, metres, pace, detour) within ``domain.walking.BOUNDS``."""
    lo, hi = BOUNDS[name]
    return number(args, name, lo=lo, hi=hi, default=default)

def required_number(args, name: str, *, lo: float, hi: float) -> float:
    value = number(args, name, lo=lo, hi=hi)
    if value is None:
        raise BadParameter(name, "is required")
    return value


def integer(args, name: str, *, default: int, lo: int, hi: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not WHOLE_NUMBER.match(raw):
        raise BadParameter(name, f"{raw[:40]!r} is not a whole number")
    value = int(raw)
    if not lo <= value <= hi:
        raise BadParameter(name, f"{value} is out of range ({lo} to {hi})")
    return value


def point(args, name: str) -> tuple[float, float] | None:
    """``lon,lat`` in decimal degrees, or None when not given."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) != 2 or not all(DECIMAL.match(p.strip()) for p in parts):
        raise BadParameter(name, f"{raw!r} is not lon,lat in decimal degrees, e.g. 139.48,35.70")
    lon, lat = (float(p) for p in parts)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BadParameter(name, f"{raw!r} is outside -180..180, -90..90")
    return lon, lat


def bbox(args, name: str = "bbox", degrees: bool = True) -> tuple[float, float, float, float] | None:
    """Four numbers, min before max; in lon/lat degrees unless ``degrees`` is False (another CRS)."""
    raw = args.get(name)
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise BadParameter(name, "expected minlon,minlat,maxlon,maxlat" if degrees
                           else "expected four numbers in the axis order of bbox-crs")
    if not all(DECIMAL.match(p.strip()) for p in parts):
        raise BadParameter(name, f"{raw[:80]!r} has a value that is not a number")
    minx, miny, maxx, maxy = (float(p) for p in parts)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise BadParameter(name, "values must be finite numbers")
    if not degrees:
        if minx > maxx or miny > maxy:
            raise BadParameter(name, "min values exceed max values (swapped corners?)")
        return minx, miny, maxx, maxy
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90):
        raise BadParameter(name, "longitudes must be within -180..180 and latitudes within -90..90")
    if minx > maxx or miny > maxy:
        raise BadParameter(name, "min values exceed max values (swapped corners?); "
                                 "write minlon,minlat,maxlon,maxlat")
    return minx, miny, maxx, maxy


def kinds(args, name: str = "kind", *, vocabulary=RESOURCE_KINDS) -> list[str] | None:
    raw = args.get(name)
    if not raw:
        return None
    values = [v.strip() for v in raw.split(",") if v.strip()]
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise BadParameter(name, f"unknown kind {', '.join(unknown)}; use {', '.join(vocabulary)}")
    return values


def area_kind(args, name: str = "kind") -> str | None:
    values = kinds(args, name, vocabulary=AREA_KINDS)
    if values and len(values) > 1:
        raise BadParameter(name, "give one area kind")
    return values[0] if values else None


def choice(args, name: str, vocabulary) -> str | None:
    """One value of ``vocabulary`` or ``None`` when the parameter is absent."""
    raw = args.get(name)
    if not raw:
        return None
    if raw not in vocabulary:
        raise BadParameter(name, f"unknown {name} {raw!r}; use {', '.join(vocabulary)}")
    return raw


def hazard(args, name: str = "hazard") -> str | None:
    return choice(args, name, HAZARDS)


def city(args, name: str = "city") -> str | None:
    raw = args.get(name)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) in (5, 6)):
        raise BadParameter(name, f"{raw[:20]!r} is not a 5-digit city code such as 13214")
    return raw[:5]


def text(args, name: str, *, max_length: int = 100) -> str | None:
    raw = (args.get(name) or "").strip()
    if len(raw) > max_length:
        raise BadParameter(name, f"longer than {max_length} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise BadParameter(name, "control characters are not allowed")
    return raw or None


def provenance(args, name: str = "provenance") -> str | None:
    return choice(args, name, PROVENANCES)
