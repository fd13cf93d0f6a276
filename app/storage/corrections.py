"""Corrections from the public (a mixin of ``Accounts``): each step and its audit record together."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from app.storage.schema import corrections

PUBLIC_ACTOR = {"id": None, "username": "public (correction form)"}


class Corrections:
    """Submit, list and decide corrections; expects ``self.engine``, ``_audit`` and ``update``."""

    def submit_correction(self, resource: dict, proposed: dict, message: str) -> int:
        """Store a pending correction of ``resource`` (nothing public changes), audited."""
        with self.engine.begin() as conn:
            found = conn.execute(insert(corrections).values(
                resource_id=resource["id"], city_code=resource["city_code"], proposed=proposed,
                message=message, submitted_at=datetime.now(UTC), status="pending", decided_by="",
                decision_note="")).inserted_primary_key[0]
            self._audit(conn, PUBLIC_ACTOR, "correction", resource["id"], resource["city_code"], None,
                        proposed, f"correction #{found} sent: {', '.join(sorted(proposed)) or 'a message'}")
        return found

    def corrections(self, *, cities=None, status: str | None = "pending") -> list[dict]:
        """Corrections of ``cities`` (None: all), newest first."""
        query = select(corrections).order_by(corrections.c.submitted_at.desc(), corrections.c.id.desc())
        if cities is not None:
            query = query.where(corrections.c.city_code.in_(list(cities)))
        if status:
            query = query.where(corrections.c.status == status)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.limit(1000))]

    def correction(self, correction_id: int) -> dict | None:
        """One correction, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(corrections).where(corrections.c.id == correction_id)).first()
        return dict(row._mapping) if row else None

    def decide_correction(self, correction_id: int, actor: dict, *, changes: dict | None,
                          note: str = "") -> None:
        """Approve (``changes``: the validated columns to write) or reject (None), in one transaction.

        The resource's change, the correction's decision and both audit records commit together.
        """
        with self.engine.begin() as conn:
            row = conn.execute(select(corrections).where(corrections.c.id == correction_id)
                               .with_for_update()).first()
            if row is None or row.status != "pending":
                raise LookupError(f"correction {correction_id} is not pending")
            if changes:
                self.update(row.resource_id, changes, actor, connection=conn)
            status = "approved" if changes is not None else "rejected"
            conn.execute(update(corrections).where(corrections.c.id == correction_id).values(
                status=status, decided_by=actor["username"], decided_at=datetime.now(UTC),
                decision_note=note))
            self._audit(conn, actor, "correction", row.resource_id, row.city_code, None, None,
                        f"correction #{correction_id} {status}" + (f": {note}" if note else ""))
