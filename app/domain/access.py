"""Who may see and change what: one rule for every route, export, analysis and print.

Public visitors see public rows only. A coordinator sees and edits the restricted rows of
their own cities; an admin, of every city. A disabled account sees nothing restricted.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("coordinator", "admin")


@dataclass(frozen=True)
class Viewer:
    """Whoever is asking: their role, their cities, whether the account is active."""

    role: str = "public"
    cities: tuple[str, ...] = ()
    active: bool = True

    @property
    def is_admin(self) -> bool:
        """An active admin."""
        return self.active and self.role == "admin"

    def can_edit(self, city: str) -> bool:
        """May change resources of ``city``."""
        return self.active and self.role in ROLES and (self.role == "admin" or city in self.cities)

    def restricted_cities(self, all_cities) -> tuple[str, ...]:
        """Cities whose restricted rows this viewer may see (from ``all_cities`` for admins)."""
        if not self.active or self.role not in ROLES:
            return ()
        return tuple(all_cities) if self.role == "admin" else self.cities


PUBLIC = Viewer()
