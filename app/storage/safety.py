"""安否確認: events opened for a disaster, and the marks supporters give each person during one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select, update

from app.storage.persons import audit
from app.storage.schema import event_site_updates, safety_events, safety_marks


class EventClosed(ValueError):
    """The event is closed (or does not exist): no more marks."""


class SafetyChecks:
    """Open, mark, read and close events; each change audited in its own transaction."""

    ANSWERS_KEPT = 32

    def __init__(self, engine: Engine):
        self.engine = engine
        # Public answers built from this database, per status version (``kept_answer``).
        self._answers: dict[tuple, dict] = {}

    def kept_answer(self, key: tuple, build) -> dict:
        """The answer for ``key`` (a version of the data it is built from), built once per process.

        On the day every phone asks for the same version; the oldest kept version goes first.
        """
        if key not in self._answers:
            self._answers[key] = build()
            while len(self._answers) > self.ANSWERS_KEPT:
                self._answers.pop(next(iter(self._answers)))
        return self._answers[key]

    def open_event(self, title: str, city: str, actor: dict, hazard: str | None = None) -> int:
        """A new open event for ``city`` (and its ``hazard``, when said); returns its id."""
        with self.engine.begin() as conn:
            event_id = conn.execute(insert(safety_events).values(
                title=title, city_code=city, opened_at=datetime.now(UTC), opened_by=actor["username"],
                hazard=hazard,
            )).inserted_primary_key[0]
            audit(conn, actor, "event", city, f"安否確認 {event_id} opened: {title}")
        return event_id

    def close_event(self, event_id: int, actor: dict) -> None:
        """Close an open event; its marks are kept."""
        with self.engine.begin() as conn:
            event = self._event(conn, event_id)
            if event is None or event["closed_at"] is not None:
                raise EventClosed(f"event {event_id} is not open")
            conn.execute(update(safety_events).where(safety_events.c.id == event_id)
                         .values(closed_at=datetime.now(UTC), closed_by=actor["username"]))
            audit(conn, actor, "event", event["city_code"], f"安否確認 {event_id} closed: {event['title']}")

    @staticmethod
    def _event(conn, event_id: int) -> dict | None:
        row = conn.execute(select(safety_events).where(safety_events.c.id == event_id)).first()
        return dict(row._mapping) if row else None

    def event(self, event_id: int) -> dict | None:
        """One event, or None."""
        with self.engine.connect() as conn:
            return self._event(conn, event_id)

    def events(self, cities: tuple[str, ...] | None = None) -> list[dict]:
        """Events (of ``cities``; all with None), newest first."""
        query = select(safety_events).order_by(safety_events.c.opened_at.desc(), safety_events.c.id.desc())
        if cities is not None:
            query = query.where(safety_events.c.city_code.in_(cities))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def mark(self, event_id: int, person_id: int, status: str, actor: dict) -> None:
        """Record ``status`` for a person now; refused once the event is closed."""
        with self.engine.begin() as conn:
            event = self._event(conn, event_id)
            if event is None or event["closed_at"] is not None:
                raise EventClosed(f"event {event_id} is closed; open a new one to record more")
            conn.execute(insert(safety_marks).values(event_id=event_id, person_id=person_id, status=status,
                                                     at=datetime.now(UTC), username=actor["username"]))

    def latest_marks(self, event_id: int) -> dict[int, dict]:
        """Per person id, the latest mark of the event (status, at, username)."""
        query = (select(safety_marks).where(safety_marks.c.event_id == event_id)
                 .order_by(safety_marks.c.at, safety_marks.c.id))
        with self.engine.connect() as conn:
            return {r.person_id: {"status": r.status, "at": r.at, "username": r.username}
                    for r in conn.execute(query)}

    def update_site(self, event_id: int, resource_id: int, status: dict, actor: dict) -> dict:
        """Record a site's new status now (a new row, never an overwrite), audited; the record.

        Refused (``EventClosed``) once the event is closed.
        """
        with self.engine.begin() as conn:
            event = self._event(conn, event_id)
            if event is None or event["closed_at"] is not None:
                raise EventClosed(f"event {event_id} is closed; a site's status is kept as it was")
            row = {"event_id": event_id, "resource_id": resource_id, "at": datetime.now(UTC),
                   "username": actor["username"], **status}
            conn.execute(insert(event_site_updates).values(**row))
            audit(conn, actor, "site", event["city_code"],
                  f"event {event_id}: site {resource_id} {'open' if status['open'] else 'closed'}, "
                  f"{status['state']}")
        return row

    def site_head(self, event_id: int) -> dict | None:
        """The event, how many site updates it has and the newest one's id: a poll's version, cheaply.

        Read on every poll, so it counts in the database (one row back), never the updates
        themselves, which grow all day.
        """
        with self.engine.connect() as conn:
            event = self._event(conn, event_id)
            if event is None:
                return None
            count, last = conn.execute(select(func.count(), func.max(event_site_updates.c.id))
                                       .where(event_site_updates.c.event_id == event_id)).one()
        return {"event": event, "count": count, "last": last or 0}

    def site_updates(self, event_id: int) -> list[dict]:
        """Every update of the event's sites, oldest first."""
        query = (select(event_site_updates).where(event_site_updates.c.event_id == event_id)
                 .order_by(event_site_updates.c.at, event_site_updates.c.id))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
