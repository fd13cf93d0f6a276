"""The register of 避難行動要支援者: sealed on the way in, opened and audited on the way out.

No method returns a person without writing who read them and why in the same transaction, so a
read that cannot be audited does not happen. A withdrawal deletes the person and everything
keyed to them; only an anonymous count change stays in the audit.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, insert, or_, select, text, tuple_, update

from app.domain.access import PersonScope
from app.storage.edits import StaleWrite
from app.storage.schema import audit_log, person_areas, person_reads, persons
from app.storage.sealing import Sealer

PLAIN = ("id", "city_code", "chome_code", "lon", "lat", "version")
SWEEP_WAITS = 50  # tenths of a second at most before the register's file is rewritten
OTHER_SNAPSHOTS = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL")


def audit(conn, actor: dict, action: str, city: str, summary: str) -> None:
    """One audit record that names no one (the register's records carry counts and ids only)."""
    conn.execute(insert(audit_log).values(at=datetime.now(UTC), user_id=actor.get("id"),
                                          username=actor["username"], action=action, resource_id=None,
                                          city_code=city, summary=summary, before=None, after=None))


class Register:
    """Add, read, change, withdraw and re-key registered people."""

    def __init__(self, engine: Engine, sealer: Sealer):
        self.engine = engine
        self.sealer = sealer

    def add(self, people: list[dict], actor: dict, city: str, source: str) -> list[int]:
        """Store ``people`` (plain ``PLAIN`` fields, ``areas`` and ``personal``) in one transaction."""
        now = datetime.now(UTC)
        sealed = [self.sealer.seal(p["personal"]) for p in people]  # NoKey before anything is written
        ids = []
        with self.engine.begin() as conn:
            for person, token in zip(people, sealed, strict=True):
                new_id = conn.execute(insert(persons).values(
                    city_code=person["city_code"], chome_code=person["chome_code"], lon=person["lon"],
                    lat=person["lat"], sealed=token, version=1, created_at=now, updated_at=now,
                )).inserted_primary_key[0]
                ids.append(new_id)
                if person["areas"]:
                    conn.execute(insert(person_areas), [{"person_id": new_id, "area_kind": k, "area_code": c}
                                                        for k, c in person["areas"]])
            audit(conn, actor, "register", city, f"registered {len(people)} people ({source})")
        return ids

    def _scoped(self, scope: PersonScope):
        conditions = []
        if scope.cities:
            conditions.append(persons.c.city_code.in_(scope.cities))
        if scope.areas and scope.within:
            inside = select(person_areas.c.person_id).where(
                tuple_(person_areas.c.area_kind, person_areas.c.area_code).in_(list(scope.areas)))
            conditions.append(persons.c.city_code.in_(scope.within) & persons.c.id.in_(inside))
        return or_(*conditions) if conditions else None

    def read(self, scope: PersonScope, purpose: str, actor: dict, person_id: int | None = None,
             area_code: str = "") -> list[dict]:
        """The people ``scope`` holds (one, with ``person_id``; of one area, with ``area_code``), opened.

        Each person returned is audited as read; one filtered out is neither opened nor audited.
        """
        condition = self._scoped(scope)
        if condition is None:
            return []
        query = select(persons).where(condition).order_by(persons.c.chome_code, persons.c.id)
        if person_id is not None:
            query = query.where(persons.c.id == person_id)
        if area_code:
            query = query.where(persons.c.id.in_(select(person_areas.c.person_id)
                                                 .where(person_areas.c.area_code == area_code)))
        with self.engine.begin() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
            areas = self._areas(conn, [r["id"] for r in rows])
            out = [{**{k: r[k] for k in PLAIN}, "areas": areas.get(r["id"], []),
                    "personal": self.sealer.open(r["sealed"])} for r in rows]
            if out:
                now = datetime.now(UTC)
                conn.execute(insert(person_reads), [{"at": now, "user_id": actor.get("id"),
                                                     "username": actor["username"], "person_id": p["id"],
                                                     "purpose": purpose} for p in out])
        return out

    @staticmethod
    def _areas(conn, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        out: dict[int, list[tuple[str, str]]] = {}
        if not ids:
            return out
        query = select(person_areas).where(person_areas.c.person_id.in_(ids))
        for row in conn.execute(query):
            out.setdefault(row.person_id, []).append((row.area_kind, row.area_code))
        return out

    def where(self, person_id: int) -> dict | None:
        """A person's city and areas only (no personal field, so no read to audit), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(persons.c.id, persons.c.city_code, persons.c.version)
                               .where(persons.c.id == person_id)).first()
            if row is None:
                return None
            return {**dict(row._mapping), "areas": self._areas(conn, [person_id]).get(person_id, [])}

    def change(self, person_id: int, changes: dict, actor: dict, expected_version: int | None,
               what: str) -> None:
        """Merge ``changes`` into a person's sealed fields; ``StaleWrite`` when it moved on."""
        with self.engine.begin() as conn:
            row = conn.execute(select(persons).where(persons.c.id == person_id)).first()
            if row is None or (expected_version is not None and row.version != expected_version):
                raise StaleWrite({"id": person_id, "version": row.version if row else None})
            personal = {**self.sealer.open(row.sealed), **changes}
            conn.execute(update(persons).where(persons.c.id == person_id).values(
                sealed=self.sealer.seal(personal), version=row.version + 1, updated_at=datetime.now(UTC)))
            audit(conn, actor, "person", row.city_code, f"person {person_id} changed: {what}")

    def withdraw(self, person_id: int, actor: dict) -> bool:
        """Delete a person for good (consent withdrawn); the audit keeps only the count."""
        with self.engine.begin() as conn:
            city = conn.execute(select(persons.c.city_code).where(persons.c.id == person_id)).scalar()
            if city is None:
                return False
            conn.execute(delete(persons).where(persons.c.id == person_id))
            left = conn.execute(select(func.count()).select_from(persons)
                                .where(persons.c.city_code == city)).scalar_one()
            audit(conn, actor, "withdraw", city, f"one person left the register (consent withdrawn); "
                                                 f"{left + 1} → {left}")
        self._sweep()
        return True

    def _sweep(self) -> None:
        """On PostgreSQL, rewrite the register's table so a withdrawn record leaves its file at once.

        A deleted row stays in the table file as a dead tuple until VACUUM; VACUUM FULL writes the
        live rows to a new file and drops the old one (a register is small: the lock is brief).
        SQLite's ``secure_delete`` zeroes the freed pages; its write-ahead log still holds the
        pages as they were written before, so it is checkpointed and emptied. PostgreSQL's WAL
        keeps the deleted bytes until its segments are recycled; docs/security.md says so.
        """
        if self.engine.dialect.name != "postgresql":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # A snapshot held elsewhere in this database (a reader, autovacuum's ANALYZE) keeps the
            # deleted row "recently dead", and VACUUM FULL copies such rows: wait a moment for them.
            for _ in range(SWEEP_WAITS):
                if not conn.execute(OTHER_SNAPSHOTS).scalar():
                    break
                time.sleep(0.1)
            conn.execute(text("VACUUM FULL persons"))

    def counts(self, area_kind: str) -> dict[str, int]:
        """Registered people per area code of ``area_kind`` (no personal field is opened)."""
        query = (select(person_areas.c.area_code, func.count()).where(person_areas.c.area_kind == area_kind)
                 .group_by(person_areas.c.area_code))
        with self.engine.connect() as conn:
            return {code: n for code, n in conn.execute(query)}

    def city_counts(self) -> dict[str, int]:
        """Registered people per city."""
        query = select(persons.c.city_code, func.count()).group_by(persons.c.city_code)
        with self.engine.connect() as conn:
            return {code: n for code, n in conn.execute(query)}

    def rotate(self, actor: dict) -> dict[str, int]:
        """Seal every sealed value of the database again under the first key (``storage.rekey``)."""
        from app.storage import rekey  # deferred: rekey imports this module (its audit) at its top

        return rekey.rotate(self.engine, self.sealer, actor)

    def reads(self, limit: int = 1000) -> list[dict]:
        """The latest reads of people: who, when, whom (an id), why; for admins."""
        query = select(person_reads).order_by(person_reads.c.at.desc(), person_reads.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
