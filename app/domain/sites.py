"""Finding the stored site a council's row is about (a capacity list names its shelters).

A row is matched by name within its city, the way venues are; an address breaks a tie or
matches on its own when the name is written differently. A row that fits several sites, or
none, is not guessed: the caller reports it with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.text import clean_address, name_key, name_parts


@dataclass(frozen=True)
class Site:
    """A stored place a figure can attach to (``site_key``: city and normalised address)."""

    site_key: str
    kind: str
    name: str
    city_code: str
    address: str


def address_key(address: str) -> str:
    """Key for comparing two addresses of one city (postcode, notes and 市内 dropped)."""
    return name_key(clean_address(address))


def site_key(city_code: str, address: str) -> str:
    """One site in both GSI lists, or in a council's list, has one key: its city and address."""
    return f"{city_code}:{address_key(address)}"


class SiteIndex:
    """Stored sites of one or more cities, by name part and by address."""

    def __init__(self, sites: list[Site]):
        self._by_name: dict[tuple[str, str], list[Site]] = {}
        self._by_address: dict[tuple[str, str], list[Site]] = {}
        for site in sites:
            for key in name_parts(site.name):
                self._by_name.setdefault((site.city_code, key), []).append(site)
            if site.address:
                self._by_address.setdefault((site.city_code, address_key(site.address)), []).append(site)

    def _address_matches(self, city_code: str, address: str) -> list[Site]:
        key = address_key(address)
        if not key:
            return []
        # A council list may omit the city (「西町3-22-1」) where the GSI list has 「国分寺市西町…」.
        return [s for (city, stored), found in self._by_address.items() if city == city_code
                and (stored == key or stored.endswith(key)) for s in found]

    def match(self, name: str, address: str, city_code: str) -> tuple[Site | None, str]:
        """The one site of ``city_code`` the row means, and a sentence saying how (or why not)."""
        keys = name_parts(name)
        by_name = self._by_name.get((city_code, keys[0]), []) if keys else []
        by_address = self._address_matches(city_code, address) if address else []
        if by_name and by_address:
            both = [s for s in by_name if s in by_address]
            by_name = both or by_name
        found = by_name or by_address
        sites = {s.site_key: s for s in found}
        if len(sites) == 1:
            site = next(iter(sites.values()))
            how = "name" if by_name else "address"
            return site, f"{name!r} = {site.kind} {site.name!r} (by {how})"
        if not sites:
            return None, (f"{name!r} matches no stored shelter of city {city_code} by name"
                          + (" or address" if address else "; add its 住所 column or write the name "
                             "as the GSI list does"))
        names = ", ".join(sorted(f"{s.name} ({s.address})" for s in sites.values()))
        return None, f"{name!r} fits several sites: {names}; add the 住所 to say which"
