"""The register of 避難行動要支援者 as use cases: register, read for a purpose, plan, withdraw.

Who may read whom is decided by ``domain.access`` (``Viewer.person_scope``); every function
here asks it, and every read goes through ``storage.persons.Register.read``, which audits it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.domain import persons as rules
from app.domain.access import NotAllowed, Viewer
from app.domain.targets import group_label, open_to_all, welfare_for
from app.domain.walking import DEFAULT_MINUTES, WalkingModel, nearest
from app.importers.persons import parse_person_rows, parse_persons
from app.importers.report import ImportFailed, ImportReport, RowError
from app.services._stores import uses_stores
from app.services.card import CardError, household_card, nearest_welfare
from app.services.imports import placement_context
from app.storage.accounts import Accounts
from app.storage.persons import Register
from app.storage.repository import Repository
from app.storage.sealing import new_key

__all__ = [
    "DEFAULT_MINUTES",
    "NotAllowed",
    "beyond_reach",
    "choose_destination",
    "new_key",
    "people",
    "person",
    "plan",
    "register_file",
    "register_one",
    "supporter_areas",
    "with_destinations",
    "withdraw",
]

PLACE_KINDS = ("school_district", "middle_school_district", "daily_living_area", "neighbourhood_association")


def chome_code(city: str, town: str) -> str:
    """The area code of a 町丁目 (「13214:西町四丁目」): a supporter may look after one."""
    return f"{city}:{town}"


def _areas_of(repo: Repository, record: dict, cache: dict) -> list[tuple[str, str]]:
    point = (record["lon"], record["lat"])
    if point not in cache:
        cache[point] = [(a["kind"], a["code"]) for a in repo.areas_at(*point) if a["kind"] in PLACE_KINDS]
    return [("chome", chome_code(record["city_code"], record["town"])), *cache[point]]


def _store(repo: Repository, register: Register, records: list[dict], city: str, actor: dict,
           source: str) -> list[int]:
    """Store checked records with their 町丁目 and areas (looked up once per 町丁目 point)."""
    cache: dict = {}
    people = [{**r, "chome_code": chome_code(city, r["town"]), "areas": _areas_of(repo, r, cache)}
              for r in records]
    return register.add(people, actor, city, source)


def _check_city(repo: Repository, viewer: Viewer, city: str) -> None:
    if city not in repo.city_names():
        raise ImportFailed([RowError("--city", None, None,
                                     f"unknown city {city!r}; import its boundary first")])
    if not viewer.can_edit(city):
        raise NotAllowed(f"only coordinators of {city} and admins register its people")


@uses_stores
def register_file(repo: Repository, register: Register, geocoder, path: Path, city: str, viewer: Viewer,
                  actor: dict) -> ImportReport:
    """Import a consented list of ``city``: all rows or none."""
    _check_city(repo, viewer, city)
    records, report = parse_persons(path, placement_context(repo, geocoder), city)
    report.stored = len(_store(repo, register, records, city, actor, f"file {Path(path).name}"))
    return report


@uses_stores
def register_one(repo: Repository, register: Register, geocoder, form: dict, city: str, viewer: Viewer,
                 actor: dict) -> int:
    """Register one person entered in the form (the same checks as a file's row); returns the id."""
    _check_city(repo, viewer, city)
    header = [k for k in form if k not in ("csrf_token", "city_code")]
    records, _ = parse_person_rows("form", header, [dict(form)], placement_context(repo, geocoder), city,
                                   date.today())
    return _store(repo, register, records, city, actor, "entry form")[0]


@uses_stores
def people(repo: Repository, register: Register, viewer: Viewer, purpose: str, actor: dict,
           area_code: str = "") -> list[dict]:
    """Everyone ``viewer`` may read (of one area, with ``area_code``), opened; each read audited."""
    scope = viewer.person_scope(repo.city_names())
    return [_flat(p) for p in register.read(scope, purpose, actor, area_code=area_code)]


@uses_stores
def person(repo: Repository, register: Register, viewer: Viewer, person_id: int, purpose: str,
           actor: dict) -> dict | None:
    """One person ``viewer`` may read, or None (also for one who does not exist: the same answer)."""
    scope = viewer.person_scope(repo.city_names())
    found = register.read(scope, purpose, actor, person_id=person_id)
    return _flat(found[0]) if found else None


def _flat(row: dict) -> dict:
    personal = row.pop("personal")
    pace, why = rules.pace_for(personal.get("needs", []))
    return {**row, **personal, "pace": pace, "pace_reason": why,
            "need_labels": [rules.NEEDS[k].label for k in personal.get("needs", []) if k in rules.NEEDS]
            + ([personal["needs_other"]] if personal.get("needs_other") else [])}


@uses_stores
def plan(repo: Repository, accounts: Accounts, person_row: dict) -> dict:
    """個別避難計画: who helps, where to go (and why there), how long it takes, the hazards at home."""
    try:
        card = household_card(repo, person_row["lon"], person_row["lat"], pace=person_row["pace"])
    except CardError:
        card = None
    groups = rules.care_groups(person_row.get("needs", []), person_row.get("age_band", ""))
    model = WalkingModel(pace_m_per_min=person_row["pace"])
    destination = nearest_welfare(repo, person_row["lon"], person_row["lat"], groups, model) if card else None
    reason = (f"{group_label(groups)}のための最寄りの福祉避難所" if destination else
              f"{group_label(groups)}のための福祉避難所が見つかりません。市に確認してください")
    chosen = person_row.get("plan") or {}
    kept = _chosen(repo, chosen)
    if kept is not None:
        [destination] = nearest((person_row["lon"], person_row["lat"]), [kept], 1, model)
        reason = chosen.get("reason", "")
    elif chosen.get("resource_id"):  # chosen, but no longer in the list: said, and the default shown
        reason = (f"選ばれていた「{chosen.get('name', '')}」は今の一覧にありません（市に確認してください）。"
                  + reason)
    return {"person": person_row, "card": card, "destination": destination, "destination_reason": reason,
            "overridden": kept is not None,
            "helpers": person_row.get("supporters", []),
            "supporters": accounts.supporters_of(person_row["areas"])}


@uses_stores
def choose_destination(repo: Repository, register: Register, viewer: Viewer, person_id: int, resource_id: int,
                       reason: str, actor: dict) -> None:
    """Set where a person goes instead of the nearest welfare shelter, with the reason kept."""
    where = register.where(person_id)
    if where is None or not viewer.can_edit(where["city_code"]):
        raise NotAllowed("only coordinators of the person's city and admins change a plan")
    found = repo.find_resources(ids=[resource_id], kinds=["shelter"], limit=1)
    if not found:
        raise ImportFailed([RowError("form", None, "resource_id",
                                     f"no shelter {resource_id}; choose one from the list")])
    if not reason.strip():
        raise ImportFailed([RowError("form", None, "reason", "say why this place instead of the nearest "
                                     "welfare shelter; the reason is kept with the plan")])
    # Kept by the place's identity in its list as well as its row id, which a re-import changes.
    site = found[0]
    register.change(person_id, {"plan": {"resource_id": resource_id, **{k: site[k] for k in IDENTITY},
                                         "reason": reason.strip(), "by": actor["username"],
                                         "on": date.today().isoformat()}},
                    actor, None, "destination chosen")


IDENTITY = ("kind", "city_code", "external_id", "site_key", "name")


def chosen_place(repo: Repository, chosen: dict) -> dict | None:
    """The place a plan chose, found again after its list was imported anew (new row ids).

    The kept row id if it is still that place; else the place of the same kind and city with the
    same 共通ID, site or name. None when the place is no longer listed (the plan then says so).
    """
    kept = repo.find_resources(ids=[chosen["resource_id"]], limit=1)
    if kept and all(kept[0].get(k) == chosen[k] for k in IDENTITY if chosen.get(k)):
        return kept[0]
    if not chosen.get("kind"):
        return kept[0] if kept else None  # a plan kept before identities were: its id is all there is
    ids = repo.ids_by_identity(chosen["kind"], chosen.get("city_code", ""),
                               external_id=chosen.get("external_id", ""), site_key=chosen.get("site_key", ""),
                               name=chosen.get("name", ""))
    found = repo.find_resources(ids=ids[:1], limit=1) if ids else []
    return found[0] if found else None


@uses_stores
def withdraw(register: Register, viewer: Viewer, person_id: int, actor: dict) -> bool:
    """Delete a person whose consent was withdrawn: nothing of them stays."""
    where = register.where(person_id)
    # A person outside the caller's cities answers as one who does not exist: whether an id is
    # registered somewhere is itself not for them to learn.
    if where is None or not viewer.can_edit(where["city_code"]):
        return False
    return register.withdraw(person_id, actor)


@uses_stores
def supporter_areas(repo: Repository, geocoder, cities: list[str],
                    written: list[str]) -> list[tuple[str, str]]:
    """The (kind, code) of each area a supporter is given: a stored area's code, or a 町丁目 name.

    Raises
    ------
    ValueError
        For a code that names no area of the supporter's cities and no 町丁目 of them.
    """
    names = repo.city_names()
    out = []
    for text in written:
        found = [(kind, text) for kind in PLACE_KINDS
                 if not (frame := repo.areas_frame(kind=kind, codes=[text])).empty
                 and set(frame["city_code"]) & set(cities)]
        if found:
            out.append(found[0])
            continue
        city, _, town = text.rpartition(":")
        candidates = [city] if city else cities
        town_of = {c: _town(geocoder, names.get(c, ""), town) for c in candidates if c in cities}
        hits = [c for c, t in town_of.items() if t]
        if len(hits) != 1:
            raise ValueError(f"--area {text!r} is neither an area of {', '.join(cities)} (see `fureai areas "
                             "list`) nor one 町丁目 of it; write a district code or a 町丁目 such as "
                             "西町四丁目")
        out.append(("chome", chome_code(hits[0], town_of[hits[0]])))
    return out


def _town(geocoder, city_name: str, town: str) -> str | None:
    found = geocoder.geocode(f"{city_name}{town}", city_name) if geocoder and city_name and town else None
    return found.town if found and not found.rest.strip() else None


@uses_stores
def with_destinations(repo: Repository, rows: list[dict]) -> list[dict]:
    """Each row with its nearest welfare shelter and 指定避難所 (or the chosen place), at its own pace.

    The shelters are read once for all rows, so a whole city's list costs one query.
    """
    shelters = repo.find_resources(kinds=["shelter"], placed_only=True, limit=100_000)
    for shelter in shelters:
        shelter["lon"], shelter["lat"] = shelter["geometry"]["coordinates"]
    general = [s for s in shelters if open_to_all(s["targets"])]
    for row in rows:
        model = WalkingModel(pace_m_per_min=row["pace"])
        origin = (row["lon"], row["lat"])
        chosen = _chosen(repo, row.get("plan") or {})
        # Only a welfare shelter for this person's own groups: never a nursery for a frail older person.
        groups = rules.care_groups(row.get("needs", []), row.get("age_band", ""))
        suited = [s for s in shelters if welfare_for(s["targets"], groups)]
        [destination] = nearest(origin, [chosen] if chosen else suited, 1, model) or [None]
        row["destination"] = destination
        row["shelter"] = next(iter(nearest(origin, general, 1, model)), None)
    return rows


def _chosen(repo: Repository, plan: dict) -> dict | None:
    if not plan.get("resource_id"):
        return None
    found = chosen_place(repo, plan)
    if found is not None:
        found["lon"], found["lat"] = found["geometry"]["coordinates"]
    return found


def beyond_reach(rows: list[dict], minutes: float = DEFAULT_MINUTES) -> list[dict]:
    """Per school district: the people read, and those with no welfare shelter within ``minutes``.

    ``rows`` come from ``with_destinations`` (each at its own pace), so the count says who, walking as
    they do, cannot reach a welfare shelter in time: where a planner looks for another.
    """
    out: dict[str, dict] = {}
    for row in rows:
        code = next((c for k, c in row["areas"] if k == "school_district"), "")
        entry = out.setdefault(code, {"district": code.split(":", 1)[-1] or "小学校区不明", "registered": 0,
                                      "beyond": 0})
        entry["registered"] += 1
        destination = row.get("destination")
        entry["beyond"] += destination is None or destination["walk_minutes"] > minutes
    return sorted(out.values(), key=lambda e: e["district"])


@uses_stores
def reads(register: Register, limit: int = 1000) -> list[dict]:
    """The latest reads of people: who, when, whom, why (admins only; the caller checks)."""
    return register.reads(limit)


@uses_stores
def rotate_key(register: Register, actor: dict) -> dict[str, int]:
    """Seal every sealed value again under the first configured key; counts per table."""
    return register.rotate(actor)
