"""Areas as councils define them (町丁目 lists, or lists of other areas), before they are stored.

A draft collects one area's rows of a table; resolving turns its descriptions into members,
and validation says what a coordinator should look at (町丁目 in no area or in two, unknown
names). Problems are returned, not raised: the service reports them with the file's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.domain.chome import ChomeIndex

MEMBER_SEPARATORS = r"[、,，・;；/]"


@dataclass(frozen=True)
class Problem:
    """A reason a table cannot be stored: its row (1-based), column and message."""

    row: int | None
    column: str | None
    message: str


@dataclass
class AreaDraft:
    """One area of a table: its rows, descriptions and (once resolved) its members."""

    name: str
    code: str
    city: str
    rows: list[int] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    members: dict[str, dict] = field(default_factory=dict)  # town → {town, population, partial, note}
    member_areas: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def population(self) -> float:
        """The 2015 census population of the member 町丁目."""
        return sum(m["population"] for m in self.members.values())


def resolve_chome(drafts: dict[str, AreaDraft], index: ChomeIndex) -> list[Problem]:
    """Parse each draft's 町丁目 descriptions into members; a whole 町丁目 wins over a part."""
    problems = []
    for draft in drafts.values():
        for row, text in zip(draft.rows, draft.definitions, strict=True):
            parsed = index.parse(text, draft.city)
            problems += [Problem(row, "definition", e) for e in parsed.errors]
            draft.unknown += parsed.unknown
            for m in parsed.members:
                kept = draft.members.get(m.chome.town)
                if kept is None or (kept["partial"] and not m.partial):
                    draft.members[m.chome.town] = {"town": m.chome.town, "population": m.chome.population,
                                                   "partial": m.partial, "note": m.note}
    return problems


def resolve_member_areas(drafts: dict[str, AreaDraft], known: set[str], *,
                         same_set: bool) -> list[Problem]:
    """Split each description into names of areas of another set (``known``).

    ``same_set``: the members come from the set being built, so a member defined in the same
    table is a cycle.
    """
    problems = []
    for draft in drafts.values():
        for row, text in zip(draft.rows, draft.definitions, strict=True):
            for member in (m.strip() for m in re.split(MEMBER_SEPARATORS, text)):
                if not member:
                    continue
                if member == draft.name or (same_set and member in drafts):
                    problems.append(Problem(row, "definition", f"{draft.name!r} is defined by {member!r} "
                                            "of the same table: a cycle"))
                elif member not in known:
                    draft.unknown.append(member)
                else:
                    draft.member_areas.append(member)
    return problems


def validation(index: ChomeIndex, drafts: dict[str, AreaDraft], by_members: bool) -> tuple[list, list]:
    """Notes (membership, 町丁目 in no area or several) and the areas or names not stored.

    Returns
    -------
    notes, not_stored
        Two lists of sentences for the import report.
    """
    notes, not_stored = [], []
    for draft in drafts.values():
        count = len(draft.member_areas) if by_members else len(draft.members)
        notes.append(f"{draft.name}: {count} members" +
                     ("" if by_members else f", population {draft.population:,.0f} (2015)"))
        if not count:
            not_stored.append(f"area {draft.name!r} has no members and was not stored")
        not_stored += [f"area {draft.name!r}: unknown name {name!r} (not guessed)" for name in draft.unknown]
    if not by_members:
        notes += _coverage_notes(index, drafts)
    return notes, not_stored


def _coverage_notes(index: ChomeIndex, drafts: dict[str, AreaDraft]) -> list[str]:
    notes = []
    assigned: dict[str, list[str]] = {}
    for draft in drafts.values():
        for town in draft.members:
            assigned.setdefault(town, []).append(draft.name)
    for code in sorted({d.city for d in drafts.values()}):
        free = [c.town for c in index.by_city.get(code, []) if c.town not in assigned]
        if free:
            notes.append(f"{len(free)} 町丁目 of {index.city_names.get(code, code)} in no area: "
                         f"{'、'.join(free[:15])}{' …' if len(free) > 15 else ''}")
    for town, names in sorted(assigned.items()):
        whole = [n for n in names if not drafts[n].members[town]["partial"]]
        if len(names) > 1:
            how = "split between" if len(whole) < len(names) else "assigned to"
            notes.append(f"{town} {how} {len(names)} areas: {'、'.join(names)}")
    return notes


def area_record(draft: AreaDraft, geometry, population: float, resource_id: int | None = None) -> dict:
    """The stored form of a resolved draft: code, name, city, geometry and its membership."""
    return {"code": draft.code, "name": draft.name, "city_code": draft.city, "geometry": geometry,
            "resource_id": resource_id,
            "properties": {"population": population, "members": list(draft.members.values()),
                           "member_areas": draft.member_areas, "unknown": draft.unknown,
                           "definition": "、".join(draft.definitions),
                           "polygon": "union of member areas" if draft.member_areas else
                           "町丁目 points' Voronoi cells clipped to the city, dissolved"}}
