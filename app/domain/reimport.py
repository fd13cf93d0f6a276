"""A list imported again: which new row is which stored place, and which coordinator's edits stay.

Councils send the same list every month. A coordinator's correction of a stored place (a name,
a capacity, a point moved by hand, a deletion) must survive it: the new row of the same place
takes the edited fields, and where the new list changed the same field too, the coordinator's
value is kept and the difference is listed for a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.text import name_key

# Fields a coordinator's edit may change and a re-import carries over (``lonlat`` a moved point).
CARRIED = ("name", "address", "capacity", "restricted", "category", "targets", "attributes", "lonlat",
           "placement", "placement_detail")


def identity_keys(row: dict) -> list[tuple]:
    """The keys one place is known by across imports, most exact first."""
    keys = []
    if row.get("external_id"):
        keys.append(("external_id", row["external_id"]))
    if row.get("site_key"):
        keys.append(("site_key", row["site_key"]))
    keys.append(("name", name_key(row.get("name", "")), name_key(row.get("address", ""))))
    return keys


def match(stored: list[dict], incoming: list[dict]) -> dict[int, int]:
    """Stored row id → index of the incoming row that is the same place (each used once)."""
    by_key: dict[tuple, int] = {}
    for index, row in enumerate(incoming):
        for key in identity_keys(row):
            by_key.setdefault(key, index)
    out: dict[int, int] = {}
    taken: set[int] = set()
    for row in stored:
        for key in identity_keys(row.get("imported") or row):
            index = by_key.get(key)
            if index is not None and index not in taken:
                out[row["id"]] = index
                taken.add(index)
                break
    return out


@dataclass
class Carried:
    """What a re-import kept of coordinators' work: edits carried, conflicts to decide, deletions."""

    edits: int = 0
    deletions: int = 0
    conflicts: list[str] = field(default_factory=list)


def carry(stored: dict, edited: set[str], imported: dict, incoming: dict, result: Carried) -> dict:
    """``incoming`` with the coordinator's edited fields of ``stored`` laid over it.

    ``imported``: the stored row's fields as its list first gave them (to tell whether the new
    list changed an edited field too: then the edit stays and the conflict is listed).
    """
    out = dict(incoming)
    for name in (f for f in CARRIED if f in edited):
        if name in incoming and incoming.get(name) != imported.get(name):
            result.conflicts.append(f"{stored.get('name', '')}: {name} — kept the coordinator's "
                                    f"{stored.get(name)!r}; the new list says {incoming.get(name)!r}")
        out[name] = stored.get(name)
    if edited & set(CARRIED):
        result.edits += 1
    return out
