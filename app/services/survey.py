"""「自分の避難場所を知ろう」 as use cases: make the round, print its sheets, take the answers back.

A survey covers one area (a school district, a 圏域, a 自治会, or a set of 町丁目) and one hazard.
Each printed sheet has its own short code: the QR code opens the form bound to the survey and the
sheet's 町丁目, and the same code later shows the answer so that it can be corrected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shapely import Point

from app.domain import survey as rules
from app.domain.access import Viewer
from app.domain.chome import town_order
from app.domain.kinds import HAZARDS
from app.domain.targets import open_to_all
from app.domain.walking import WalkingModel
from app.importers.report import ImportFailed, ImportReport, RowError
from app.importers.survey_tally import parse_tally
from app.services._stores import uses_stores
from app.services.catalogue import context_around
from app.services.nearby import nearest_places
from app.services.persons import NotAllowed
from app.storage.repository import Repository
from app.storage.surveys import SurveyBook

AREA_KINDS = ("school_district", "middle_school_district", "daily_living_area", "neighbourhood_association",
              "chome")
SHEET_PACE = 43.0  # m/min, as the plan asks: the older-adult pace
MAX_SHEETS_PER_CHOME = 2000


def _fail(field: str, message: str) -> None:
    raise ImportFailed([RowError("survey", None, field, message)])


def area_towns(repo: Repository, geocoder, area_kind: str, area_code: str) -> tuple[dict, list]:
    """The area (``kind``, ``code``, ``name``, ``city_code``) and its 町丁目 (``Geocoded``, by name).

    A 町丁目 belongs to an area when its representative point does; ``chome`` areas are written
    「13214:西町四丁目,西町五丁目」.
    """
    if area_kind not in AREA_KINDS:
        _fail("area_kind", f"area kind must be one of {', '.join(AREA_KINDS)}")
    if geocoder is None:
        _fail("area", "no address data to list the 町丁目 with (OPEN_DATA_DIR)")
    names = repo.city_names()
    if area_kind == "chome":
        city, _, written = area_code.partition(":")
        wanted = [w.strip() for w in written.split(",") if w.strip()]
        towns = [t for t in geocoder.towns(names.get(city, "")) if t.town in wanted]
        missing = sorted(set(wanted) - {t.town for t in towns})
        if city not in names or missing or not wanted:
            _fail("area", f"{area_code!r}: write CITY:町丁目,町丁目 (e.g. 13214:西町四丁目,西町五丁目); "
                          f"not found: {', '.join(missing) or city}")
        return {"kind": area_kind, "code": area_code, "name": "、".join(wanted), "city_code": city}, towns
    found = repo.areas_frame(kind=area_kind, codes=[area_code])
    if found.empty:
        _fail("area", f"no {area_kind} {area_code!r}; see `fureai areas list` or the 地区カルテ")
    row = found.iloc[0]
    shape = found.geometry.iloc[0]
    towns = [t for t in geocoder.towns(names.get(row["city_code"], "")) if shape.covers(Point(t.lon, t.lat))]
    return {"kind": area_kind, "code": area_code, "name": row["name"], "city_code": row["city_code"]}, \
        sorted(towns, key=lambda t: t.town)


@dataclass(frozen=True)
class AreaChoices:
    """What a round can be made for: areas per kind, and 町丁目 per city to tick."""

    areas: dict[str, list[tuple[str, str]]]  # kind → (code, 「name（city）」)
    towns: dict[str, list[tuple[str, str]]]  # city name → (「13214:西町四丁目」, 「西町四丁目」)


@uses_stores
def area_choices(repo: Repository, geocoder, cities) -> AreaChoices:
    """The areas and 町丁目 of ``cities``, so that a coordinator picks a name instead of typing a code."""
    names = repo.city_names()
    mine = [city for city in cities if city in names]
    areas = {}
    for kind in (k for k in AREA_KINDS if k != "chome"):  # 町丁目 are ticked, not picked
        frames = [repo.areas_frame(kind=kind, city=city) for city in mine]
        areas[kind] = [(row.code, f"{row.name}（{names[row.city_code]}）")
                       for frame in frames for row in frame.sort_values("name").itertuples()]
    towns = {} if geocoder is None else {
        names[city]: [(f"{city}:{t.town}", t.town)
                      for t in sorted(geocoder.towns(names[city]), key=lambda t: town_order(t.town))]
        for city in mine}
    return AreaChoices(areas, towns)


def chosen_area(picked: str, towns: list[str]) -> tuple[str, str]:
    """(area kind, area code) from the form: 「kind|code」, or 「chome」 and the ticked 町丁目 of one city."""
    if picked != "chome":
        kind, _, code = picked.partition("|")
        if kind not in AREA_KINDS or not code:
            _fail("area", "調査する地区を選んでください / choose the area the round is for")
        return kind, code
    cities = {town.partition(":")[0] for town in towns}
    if not towns or len(cities) != 1:
        _fail("chome", "町丁目は一つの市の中から選んでください / tick the 町丁目 of the round, "
                       "all in one city")
    return "chome", f"{cities.pop()}:{','.join(town.partition(':')[2] for town in towns)}"


@uses_stores
def create_survey(repo: Repository, book: SurveyBook, geocoder, viewer: Viewer, area_kind: str,
                  area_code: str, hazard: str, per_chome: int, actor: dict) -> int:
    """Make the round: one survey of the area, ``per_chome`` sheets (codes) for each of its 町丁目."""
    if hazard not in HAZARDS:
        _fail("hazard", f"hazard must be one of {', '.join(HAZARDS)}")
    if not 1 <= per_chome <= MAX_SHEETS_PER_CHOME:
        _fail("households_per_chome", f"sheets per 町丁目 is a number from 1 to {MAX_SHEETS_PER_CHOME}")
    area, towns = area_towns(repo, geocoder, area_kind, area_code)
    if not viewer.can_edit(area["city_code"]):
        raise NotAllowed(f"only coordinators of {area['city_code']} and admins make its surveys")
    if not towns:
        _fail("area", f"{area['name']} holds no 町丁目 point of the address data; choose a larger area")
    sheets = [(rules.new_code(), t.town) for t in towns for _ in range(per_chome)]
    return book.create({"city_code": area["city_code"], "area_kind": area_kind, "area_code": area_code,
                        "area_name": area["name"], "hazard": hazard, "chome": [t.town for t in towns]},
                       sheets, actor)


@uses_stores
def sheet_plans(repo: Repository, book: SurveyBook, geocoder, survey: dict) -> list[dict]:
    """Per 町丁目 of a survey: its point, nearest 指定避難所 and hazard site (minutes at 43 m/min), codes."""
    model = WalkingModel(pace_m_per_min=SHEET_PACE)
    city = repo.city_names().get(survey["city_code"], "")
    points = {t.town: t for t in geocoder.towns(city)} if geocoder else {}
    codes: dict[str, list[str]] = {}
    for sheet in book.sheets(survey["id"]):
        codes.setdefault(sheet["chome"], []).append(sheet["code"])
    out = []
    for town in survey["chome"]:
        point = points.get(town)
        if point is None:
            continue
        shelter = nearest_places(repo, point.lon, point.lat, 1, model, kinds=["shelter"],
                                 keep=lambda r: open_to_all(r["targets"]))
        site = nearest_places(repo, point.lon, point.lat, 1, model, kinds=["emergency_site"],
                              hazard=survey["hazard"])
        out.append({"chome": town, "lon": point.lon, "lat": point.lat, "codes": codes.get(town, []),
                    "shelter": shelter[0] if shelter else None, "site": site[0] if site else None})
    return out


def surroundings(plans: list[dict]):
    """Railways, rivers and stations around a survey's 町丁目 and their places: what its maps orient by."""
    points = [(p["lon"], p["lat"]) for p in plans] + [(q["lon"], q["lat"]) for p in plans
                                                       for q in (p["shelter"], p["site"]) if q]
    if not points:
        return context_around((0.0, 0.0, 0.0, 0.0))[0]
    lons, lats = zip(*points, strict=True)
    return context_around((min(lons) - 0.01, min(lats) - 0.01, max(lons) + 0.01, max(lats) + 0.01))[0]


@uses_stores
def submit(book: SurveyBook, survey: dict, values: dict, source: str, actor: dict,
           code: str | None = None) -> bool:
    """Store one household's answer (web with its code, or paper); True when it corrected an earlier one.

    Raises
    ------
    ImportFailed
        Naming the field that is wrong (or a code of another survey).
    """
    if code is not None:
        sheet = book.sheet(code)
        if sheet is None or sheet["survey_id"] != survey["id"]:
            _fail("code", "this code belongs to no sheet of this survey; check the code on the sheet")
        values = {**values, "chome": sheet["chome"]}
    try:
        answer = rules.check_answer(values, survey["chome"])
    except rules.AnswerError as exc:
        raise ImportFailed([RowError(source, None, exc.field, str(exc))]) from None
    if not book.sealer.ready:
        answer["free_text"] = ""  # nothing personal is kept without the key that seals it
    return book.save_answer(survey["id"], code, answer, source, actor)


@uses_stores
def import_tally(book: SurveyBook, survey: dict, path: Path, viewer: Viewer, actor: dict) -> ImportReport:
    """A 自治会's counts per 町丁目, replacing that file's earlier import; more than printed is flagged."""
    if not viewer.can_edit(survey["city_code"]):
        raise NotAllowed("only coordinators of the survey's city and admins import its tallies")
    rows, report = parse_tally(path, survey["chome"])
    printed = book.sheets_per_chome(survey["id"])
    for row in rows:
        if row["answers"] > printed.get(row["chome"], 0):
            report.notes.append(f"{row['chome']}: {row['answers']} answers, more than the "
                                f"{printed.get(row['chome'], 0)} sheets printed (kept; check the count)")
    book.replace_tallies(survey, Path(path).name, rows, actor)
    return report


@uses_stores
def sheet(book: SurveyBook, code: str) -> dict | None:
    """The answer sheet with this printed code, or None."""
    return book.sheet(code)


@uses_stores
def survey(book: SurveyBook, survey_id: int) -> dict | None:
    """One survey round, or None."""
    return book.survey(survey_id)


@uses_stores
def surveys(book: SurveyBook, cities=None) -> list[dict]:
    """The survey rounds of ``cities`` (all when None), newest first."""
    return book.surveys(cities)


@uses_stores
def answer_for(book: SurveyBook, code: str) -> dict | None:
    """The answer already given on the sheet ``code``, or None."""
    return book.answer_for(code)


@uses_stores
def free_text_kept(book: SurveyBook) -> bool:
    """Whether free text can be kept (it is sealed, so only with a personal-data key)."""
    return book.sealer.ready
