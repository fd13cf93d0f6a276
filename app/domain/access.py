"""Who may see and change what: one rule for every route, export, analysis and print.

Public visitors see public rows only. A coordinator sees and edits the restricted rows of
their own cities; an admin, of every city. A supporter (民生委員・児童委員, a 自治会 helper) edits
nothing and sees no restricted place, only the registered people of their own areas. A
disabled account sees nothing restricted. A shelter lead runs the sites named for them on the
day and reads no one. Everyone else knows the register only as counts.
"""

from __future__ import annotations

from dataclasses import dataclass

EDITOR_ROLES = ("coordinator", "admin")
ROLES = (*EDITOR_ROLES, "supporter", "shelter_lead")
# A shelter lead (避難所の運営責任者) runs named sites on the day and sees nothing else: the sites are
# kept as the account's areas of this kind, each code a site key (``domain.sites``), which
# survives a shelter list imported again.
SITE_AREA = "site"


class NotAllowed(PermissionError):
    """The viewer may not do this (the message says who may)."""


@dataclass(frozen=True)
class Viewer:
    """Whoever is asking: their role, their cities, their areas, whether the account is active."""

    role: str = "public"
    cities: tuple[str, ...] = ()
    active: bool = True
    areas: tuple[tuple[str, str], ...] = ()  # (area kind, area code) a supporter looks after

    @property
    def is_admin(self) -> bool:
        """An active admin."""
        return self.active and self.role == "admin"

    def can_edit(self, city: str) -> bool:
        """May change resources of ``city`` (and register and plan its people)."""
        return self.active and self.role in EDITOR_ROLES and (self.role == "admin" or city in self.cities)

    def may_run_sites_of(self, city: str) -> bool:
        """May run some site of ``city`` on the day (which ones: ``may_run_site``)."""
        return self.can_edit(city) or (self.active and self.role == "shelter_lead" and city in self.cities)

    def may_run_site(self, city: str, site_key: str) -> bool:
        """May open, close and fill a site on the day: its city's coordinators, admins, its leads."""
        if self.can_edit(city):
            return True
        return (self.active and self.role == "shelter_lead" and city in self.cities and bool(site_key)
                and (SITE_AREA, site_key) in self.areas)

    def restricted_cities(self, all_cities) -> tuple[str, ...]:
        """Cities whose restricted rows this viewer may see (from ``all_cities`` for admins)."""
        if not self.active or self.role not in EDITOR_ROLES:
            return ()
        return tuple(all_cities) if self.role == "admin" else self.cities

    def person_scope(self, all_cities) -> PersonScope:
        """Which registered people this viewer may read: whole cities, some areas, or none."""
        if not self.active:
            return NO_ONE
        if self.role == "supporter":
            return PersonScope(cities=(), areas=self.areas, within=self.cities)
        return PersonScope(cities=self.restricted_cities(all_cities), areas=(), within=())

    def may_mark(self, person: dict) -> bool:
        """May record a person's 安否 (the person's supporters, coordinators and admins)."""
        return self.person_scope((person["city_code"],)).holds(person)

    def may_read_audit(self) -> bool:
        """Only admins read who read whom."""
        return self.is_admin


@dataclass(frozen=True)
class PersonScope:
    """The people a viewer may read: of ``cities``, or living in one of ``areas`` of ``within``."""

    cities: tuple[str, ...]
    areas: tuple[tuple[str, str], ...]
    within: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Nobody at all: the viewer knows the register only as counts."""
        return not self.cities and not self.areas

    def holds(self, person: dict) -> bool:
        """``person`` (``city_code`` and ``areas``, a list of (kind, code)) is in the scope."""
        if person["city_code"] in self.cities:
            return True
        if person["city_code"] not in self.within:
            return False
        return bool(set(self.areas) & {tuple(a) for a in person.get("areas", ())})


NO_ONE = PersonScope((), (), ())
PUBLIC = Viewer()
