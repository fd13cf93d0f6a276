"""Notes from the 懇談会 (a mixin of ``Accounts``): each write, its version and its audit together."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from app.storage.edits import StaleWrite
from app.storage.schema import area_note_versions, area_notes

NOTE_FIELDS = ("noted_on", "issue", "proposal", "owner", "status")


class NoteBook:
    """Add, change and read notes; expects ``self.engine`` and ``_audit``."""

    def _keep(self, conn, note: dict, actor: dict, action: str) -> None:
        conn.execute(insert(area_note_versions).values(
            note_id=note["id"], version=note["version"], snapshot={f: note[f] for f in NOTE_FIELDS},
            username=actor["username"], at=datetime.now(UTC)))
        where = f"{note['area_kind']} {note['area_code']}"
        self._audit(conn, actor, action, None, note["city_code"], None, None,
                    f"area note {note['id']} ({where}) version {note['version']}")

    def _note(self, conn, note_id: int) -> dict | None:
        row = conn.execute(select(area_notes).where(area_notes.c.id == note_id)).first()
        return dict(row._mapping) if row else None

    def add_note(self, area: dict, fields: dict, actor: dict) -> int:
        """A new note about ``area`` (``kind``, ``code``, ``city_code``), audited."""
        with self.engine.begin() as conn:
            note_id = conn.execute(insert(area_notes).values(
                city_code=area["city_code"], area_kind=area["kind"], area_code=area["code"], version=1,
                **{f: fields[f] for f in NOTE_FIELDS})).inserted_primary_key[0]
            self._keep(conn, self._note(conn, note_id), actor, "note")
        return note_id

    def change_note(self, note_id: int, changes: dict, actor: dict, expected_version: int | None) -> None:
        """Change a note (``StaleWrite`` when it moved on since ``expected_version``), audited."""
        with self.engine.begin() as conn:
            guard = area_notes.c.id == note_id
            if expected_version is not None:
                guard = guard & (area_notes.c.version == expected_version)
            values = {f: changes[f] for f in NOTE_FIELDS if f in changes}
            done = conn.execute(update(area_notes).where(guard)
                                .values(**values, version=area_notes.c.version + 1))
            if done.rowcount == 0:
                raise StaleWrite(self._note(conn, note_id) or {"id": note_id, "version": None})
            self._keep(conn, self._note(conn, note_id), actor, "note")

    def notes(self, area_kind: str, area_code: str) -> list[dict]:
        """The notes of one area, newest meeting first."""
        query = (select(area_notes)
                 .where(area_notes.c.area_kind == area_kind, area_notes.c.area_code == area_code)
                 .order_by(area_notes.c.noted_on.desc(), area_notes.c.id.desc()))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def note(self, note_id: int) -> dict | None:
        """One note, or None."""
        with self.engine.connect() as conn:
            return self._note(conn, note_id)

    def note_history(self, note_id: int) -> list[dict]:
        """Every version of a note, oldest first: who wrote what, when."""
        query = (select(area_note_versions).where(area_note_versions.c.note_id == note_id)
                 .order_by(area_note_versions.c.version))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
