"""地域ごとに集計 and 紙上でシミュレーション: a survey's answers summed per 町丁目, set beside the analysis.

Sums come from the web and paper answers and the 自治会 tallies together. Beside them, per 町丁目:
the walk to the nearest welfare shelter and to the hazard's emergency site, and the supporters
and registered people there, so that the 懇談会 sees where help is needed and none is near.
"""

from __future__ import annotations

from collections import Counter

from app.domain import survey as rules
from app.domain.targets import WELFARE_LINES, welfare_for
from app.domain.walking import DEFAULT_MINUTES, WalkingModel
from app.services._stores import uses_stores
from app.services.nearby import nearest_places
from app.services.survey import SHEET_PACE, sheet_plans, surroundings
from app.storage.accounts import Accounts
from app.storage.repository import Repository
from app.storage.schema import TALLY_COLUMNS
from app.storage.surveys import SurveyBook

# Stored tally columns ("knows_yes", "help_pets") as the counting keys of ``domain.survey.Tally``.
COUNT_KEYS = {**{f"{q}_{c}": f"{q}:{c}" for q, (_, choices) in rules.QUESTIONS.items() for c in choices},
              **{f"help_{k}": f"help:{k}" for k in rules.HELP_KINDS}}


@uses_stores
def tallies(book: SurveyBook, survey: dict, answers: list[dict] | None = None) -> dict[str, rules.Tally]:
    """Per 町丁目 of the survey: sheets printed, answers in (web, paper and 自治会 tallies), counts.

    ``answers``: the survey's answers when the caller has read them already.
    """
    printed = book.sheets_per_chome(survey["id"])
    out = {town: rules.Tally(sheets=printed.get(town, 0)) for town in survey["chome"]}
    for answer in book.answers(survey["id"]) if answers is None else answers:
        out[answer["chome"]].add_answer(answer)
    for row in book.tallies(survey["id"]):
        out[row["chome"]].add(rules.Tally(answers=row["answers"],
                                          counts=Counter({COUNT_KEYS[c]: row[c] for c in TALLY_COLUMNS})))
    return out


def total(per_chome: dict[str, rules.Tally]) -> rules.Tally:
    """The area's tally: every 町丁目 added up."""
    whole = rules.Tally()
    for tally in per_chome.values():
        whole.add(tally)
    return whole


def table_rows(per_chome: dict[str, rules.Tally]) -> list[dict]:
    """One row per 町丁目 and one for the area: the figures of the CSV, the table and the chart."""
    rows = []
    for name, tally in [*per_chome.items(), ("計 (area)", total(per_chome))]:
        row = {"町丁目": name, "配布 sheets": tally.sheets, "回答 answers": tally.answers,
               "回答率 response rate": _pct(tally.response_rate),
               "知っている knows": _pct(tally.share("knows:yes")),
               "自力で行ける can go alone": _pct(tally.share("alone:yes")),
               "助けが必要 need help": tally.counts["needs_help:yes"]}
        row.update({f"{label} {key}": tally.counts[f"help:{key}"] for key, label in rules.HELP_KINDS.items()})
        rows.append(row)
    return rows


def _pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.0f}%"


def simulation(repo: Repository, accounts: Accounts, register, survey: dict, plans: list[dict],
               per_chome: dict[str, rules.Tally]) -> list[dict]:
    """Per 町丁目: households needing help beside the walks and the helpers near them.

    Returns
    -------
    list of dict
        ``chome``, ``needs_help`` (households), ``welfare`` and ``site`` (nearest, with minutes at
        43 m/min, or None), ``out_of_reach`` (help needed and no welfare shelter within 15 minutes),
        ``supporters`` (accounts looking after the 町丁目) and ``registered`` (people in the register).
    """
    model = WalkingModel(pace_m_per_min=SHEET_PACE)
    registered = register.counts("chome")
    out = []
    for plan in plans:
        welfare = nearest_places(repo, plan["lon"], plan["lat"], 1, model, kinds=["shelter"],
                                 keep=lambda r: welfare_for(r["targets"], WELFARE_LINES["older_disabled"]))
        welfare = welfare[0] if welfare else None
        code = f"{survey['city_code']}:{plan['chome']}"
        needs = per_chome[plan["chome"]].counts["needs_help:yes"]
        out.append({"chome": plan["chome"], "needs_help": needs, "welfare": welfare, "site": plan["site"],
                    "out_of_reach": bool(needs) and (welfare is None
                                                     or welfare["walk_minutes"] > DEFAULT_MINUTES),
                    "supporters": len(accounts.supporters_of([("chome", code)])),
                    "registered": registered.get(code, 0)})
    return out


@uses_stores
def report_parts(repo: Repository, accounts: Accounts, register, book: SurveyBook, geocoder,
                 survey: dict) -> dict:
    """All a report shows: tallies, table rows, sheet plans, the simulation and the free text.

    Returns
    -------
    dict
        ``per_chome``, ``rows``, ``plans``, ``context`` (railways, rivers, stations around),
        ``simulation`` and ``texts`` (どんな助け？ その他, for the
        coordinators of the survey's city only); the answers are read once for all of them.
    """
    answers = book.answers(survey["id"], with_text=book.sealer.ready)
    per_chome = tallies(book, survey, answers)
    plans = sheet_plans(repo, book, geocoder, survey)
    return {"per_chome": per_chome, "rows": table_rows(per_chome), "plans": plans,
            "context": surroundings(plans),
            "simulation": simulation(repo, accounts, register, survey, plans, per_chome),
            "texts": [{"chome": a["chome"], "text": a["free_text"]} for a in answers if a["free_text"]]}


def public_rows(per_chome: dict[str, rules.Tally], threshold: int) -> list[dict]:
    """What anyone may see per 町丁目: the response rate and who know, only from ``threshold`` answers on."""
    return [{"chome": name, **rules.public_view(tally, threshold)} for name, tally in per_chome.items()]
