"""Council programmes shown with the places run under them, and what their counts say."""

from __future__ import annotations

from app.domain.programmes import programme_for, reported_count
from app.domain.said import Said
from app.services._stores import uses_stores
from app.storage.repository import Repository

SHOWN = ("name", "operator", "rules", "count_reported", "as_of", "notes", "source")


@uses_stores
def attach(repo: Repository, rows: list[dict]) -> list[dict]:
    """Give each resource row its ``programme`` (name, rules, source …) or ``None``; rows as given."""
    listed = [r for r in rows if (r.get("attributes") or {}).get("category")]
    if not listed:
        return rows
    programmes = repo.programmes()
    for row in listed:
        found = programme_for(row["attributes"]["category"], row["city_code"], programmes)
        row["programme"] = {k: found[k] for k in SHOWN} if found else None
    return rows


def _listed_under(frame, programme: dict) -> int:
    """How many rows of ``frame`` (resources) were listed under ``programme``."""
    return sum(1 for row in frame.itertuples() if row.city_code == programme["city_code"]
               and programme_for((row.attributes or {}).get("category", ""), row.city_code, [programme]))


@uses_stores
def summary(repo: Repository, city: str | None = None) -> list[dict]:
    """Each programme with the number of public places this data lists under it."""
    frame = repo.resources_frame(city=city, placed_only=True)
    out = []
    for programme in repo.programmes(city=city):
        listed = _listed_under(frame, programme)
        out.append({**{k: programme[k] for k in ("city_code", *SHOWN)}, "listed": listed})
    return out


def count_limits(repo: Repository, frame, cities: set[str]) -> list[str]:
    """Sentences for programmes whose publisher reports more places than this data lists.

    ``frame``: the places of the answer's kinds (with ``attributes`` and ``city_code``), every
    one of them whether counted or not, so that the comparison is with the whole list.
    """
    names = repo.city_names()
    out = []
    for programme in repo.programmes():
        reported = reported_count(programme["count_reported"])
        if programme["city_code"] not in cities or reported is None:
            continue
        listed = _listed_under(frame, programme)
        if listed < reported:
            out.append(Said("programme_count", city=names.get(programme["city_code"], programme["city_code"]),
                            reported=programme["count_reported"], programme=programme["name"],
                            as_of=f" ({programme['as_of']})" if programme["as_of"] else "", listed=listed))
    return out
