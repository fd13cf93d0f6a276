"""Surveys of 「自分の避難場所を知ろう」: sheets, answers (free text sealed) and tallies."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, insert, select, update

from app.storage.persons import audit
from app.storage.schema import TALLY_COLUMNS, survey_answers, survey_sheets, survey_tallies, surveys
from app.storage.sealing import Sealer

ANSWER_FIELDS = ("chome", "people", "knows", "alone", "needs_help", "help_kinds")


class SurveyBook:
    """Make surveys, print their codes, keep their answers and tallies."""

    def __init__(self, engine: Engine, sealer: Sealer):
        self.engine = engine
        self.sealer = sealer

    def create(self, survey: dict, sheets: list[tuple[str, str]], actor: dict) -> int:
        """A new survey with its sheets' (code, 町丁目); returns its id."""
        with self.engine.begin() as conn:
            survey_id = conn.execute(insert(surveys).values(
                **survey, created_at=datetime.now(UTC), created_by=actor["username"])).inserted_primary_key[0]
            self._sheets(conn, survey_id, sheets)
            audit(conn, actor, "survey", survey["city_code"],
                  f"survey {survey_id} of {survey['area_name']} ({survey['hazard']}): {len(sheets)} sheets")
        return survey_id

    @staticmethod
    def _sheets(conn, survey_id: int, sheets: list[tuple[str, str]]) -> None:
        if sheets:
            conn.execute(insert(survey_sheets), [{"code": c, "survey_id": survey_id, "chome": ch}
                                                 for c, ch in sheets])

    def add_sheets(self, survey_id: int, sheets: list[tuple[str, str]]) -> None:
        """More sheets for a survey (another print run)."""
        with self.engine.begin() as conn:
            self._sheets(conn, survey_id, sheets)

    def survey(self, survey_id: int) -> dict | None:
        """One survey, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(surveys).where(surveys.c.id == survey_id)).first()
        return dict(row._mapping) if row else None

    def surveys(self, cities: tuple[str, ...] | None = None) -> list[dict]:
        """Surveys (of ``cities``; all with None), newest first."""
        query = select(surveys).order_by(surveys.c.id.desc())
        if cities is not None:
            query = query.where(surveys.c.city_code.in_(cities))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def sheets(self, survey_id: int) -> list[dict]:
        """The printed sheets (code, 町丁目), in print order."""
        query = select(survey_sheets).where(survey_sheets.c.survey_id == survey_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(survey_sheets.c.chome))]

    def sheet(self, code: str) -> dict | None:
        """The sheet of a code, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(survey_sheets).where(survey_sheets.c.code == code)).first()
        return dict(row._mapping) if row else None

    def answer_for(self, code: str) -> dict | None:
        """The answer given with a code (to correct it), or None.

        Its free text is never opened here: a sheet found by someone else shows the ticks, not what
        the household wrote (``had_free_text`` says there was some).
        """
        with self.engine.connect() as conn:
            row = conn.execute(select(survey_answers).where(survey_answers.c.code == code)).first()
        if row is None:
            return None
        found = dict(row._mapping)
        return {**found, "free_text": "", "had_free_text": found["free_text"] is not None}

    def _opened(self, row: dict) -> dict:
        token = row.pop("free_text")
        row["free_text"] = self.sealer.open(token)["text"] if token else ""
        return row

    def save_answer(self, survey_id: int, code: str | None, answer: dict, source: str, actor: dict) -> bool:
        """Store an answer; one with a code already answered replaces it. True when it was a correction."""
        text = answer.get("free_text", "")
        values = {**{f: answer[f] for f in ANSWER_FIELDS}, "source": source, "at": datetime.now(UTC),
                  "username": actor["username"],
                  "free_text": self.sealer.seal({"text": text}) if text else None}
        with self.engine.begin() as conn:
            if code is not None:
                done = conn.execute(update(survey_answers).where(survey_answers.c.code == code)
                                    .values(**values))
                if done.rowcount:
                    return True
            conn.execute(insert(survey_answers).values(survey_id=survey_id, code=code, **values))
        return False

    def answers(self, survey_id: int, with_text: bool = False) -> list[dict]:
        """Every answer of a survey; free text opened only when asked (and a key is set)."""
        query = select(survey_answers).where(survey_answers.c.survey_id == survey_id)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query.order_by(survey_answers.c.id))]
        if with_text:
            return [self._opened(r) for r in rows]
        return [{**r, "free_text": ""} for r in rows]

    def replace_tallies(self, survey: dict, source_file: str, rows: list[dict], actor: dict) -> None:
        """A 自治会's tallies from one file, replacing that file's earlier import, audited."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(delete(survey_tallies).where(survey_tallies.c.survey_id == survey["id"],
                                                      survey_tallies.c.source_file == source_file))
            conn.execute(insert(survey_tallies), [
                {"survey_id": survey["id"], "chome": r["chome"], "source_file": source_file,
                 "answers": r["answers"], **{c: r.get(c, 0) for c in TALLY_COLUMNS}, "at": now,
                 "username": actor["username"]} for r in rows])
            audit(conn, actor, "tally", survey["city_code"],
                  f"survey {survey['id']}: tallies of {len(rows)} 町丁目 from {source_file}")

    def tallies(self, survey_id: int) -> list[dict]:
        """Every imported tally row of a survey."""
        query = select(survey_tallies).where(survey_tallies.c.survey_id == survey_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def sheets_per_chome(self, survey_id: int) -> dict[str, int]:
        """How many sheets were printed for each 町丁目."""
        query = (select(survey_sheets.c.chome, func.count()).where(survey_sheets.c.survey_id == survey_id)
                 .group_by(survey_sheets.c.chome))
        with self.engine.connect() as conn:
            return {chome: n for chome, n in conn.execute(query)}
