"""Users, API tokens, session versions and sign-in attempts; edits come from ``edits``."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, tuple_, update

from app.domain.access import ROLES
from app.storage.corrections import Corrections
from app.storage.edits import EDITABLE, NoSuchResource, ResourceEdits, StaleWrite
from app.storage.notes import NoteBook
from app.storage.schema import api_tokens, audit_log, login_attempts, user_areas, user_cities, users

__all__ = ["EDITABLE", "Accounts", "NoSuchResource", "StaleWrite", "token_hash"]



def token_hash(token: str) -> str:
    """SHA-256 of an API token: what is stored instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts(ResourceEdits, Corrections, NoteBook):
    """Users, API tokens, sessions, attempts, resource edits and corrections, with their audit records."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # -- users --------------------------------------------------------------------
    def add_user(self, username: str, password_hash: str, role: str, cities: list[str],
                 display_name: str = "") -> int:
        """Store a user with an already hashed password; returns the new id."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        with self.engine.begin() as conn:
            if conn.execute(select(users.c.id).where(users.c.username == username)).first():
                raise ValueError(f"user {username!r} exists already")
            user_id = conn.execute(insert(users).values(
                username=username, display_name=display_name or username, password_hash=password_hash,
                role=role, active=True, created_at=datetime.now(UTC), session_version=1,
            )).inserted_primary_key[0]
            _set_cities(conn, user_id, cities)
            return user_id

    def user(self, *, user_id: int | None = None, username: str | None = None) -> dict | None:
        """One user row by id or name, with its ``cities`` and a supporter's ``areas``, or None."""
        query = select(users).where(users.c.id == user_id if user_id is not None
                                    else users.c.username == username)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            areas = conn.execute(select(user_areas.c.area_kind, user_areas.c.area_code)
                                 .where(user_areas.c.user_id == row.id)).all()
            cities = _cities_of(conn, [row.id]).get(row.id, [])
        return {**dict(row._mapping), "cities": cities, "areas": [tuple(a) for a in areas]}

    def set_areas(self, username: str, areas: list[tuple[str, str]], actor: dict | None = None) -> None:
        """The areas (kind, code) a supporter looks after, replacing the earlier ones.

        With ``actor`` (a change made on the web), the change and its audit record commit together.
        """
        user = self.user(username=username)
        if user is None:
            raise ValueError(f"no user {username!r}")
        with self.engine.begin() as conn:
            conn.execute(delete(user_areas).where(user_areas.c.user_id == user["id"]))
            if areas:
                conn.execute(insert(user_areas), [{"user_id": user["id"], "area_kind": k, "area_code": c}
                                                  for k, c in dict.fromkeys(areas)])
            if actor is not None:
                conn.execute(insert(audit_log).values(
                    at=datetime.now(UTC), user_id=actor.get("id"), username=actor["username"],
                    action="areas", resource_id=None, city_code=(user["cities"] or [""])[0],
                    summary=f"{username}: {len(areas)}",
                    before={"supporter_areas": [c for _, c in user["areas"]]},
                    after={"supporter_areas": [c for _, c in dict.fromkeys(areas)]}))

    def supporters_of(self, areas: list[tuple[str, str]]) -> list[dict]:
        """Active supporters looking after any of ``areas``: their names and display names."""
        if not areas:
            return []
        query = (select(users.c.username, users.c.display_name).distinct()
                 .join(user_areas, user_areas.c.user_id == users.c.id)
                 .where(users.c.active.is_(True), users.c.role == "supporter",
                        tuple_(user_areas.c.area_kind, user_areas.c.area_code).in_(list(areas))))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(users.c.username))]

    def supported_areas(self) -> set[tuple[str, str]]:
        """Every (area kind, code) some active supporter looks after: who is covered on the day."""
        query = (select(user_areas.c.area_kind, user_areas.c.area_code).distinct()
                 .join(users, user_areas.c.user_id == users.c.id)
                 .where(users.c.active.is_(True), users.c.role == "supporter"))
        with self.engine.connect() as conn:
            return {tuple(r) for r in conn.execute(query)}

    def users(self) -> list[dict]:
        """Every user, by name, with its ``cities``."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.username)).all()
            cities = _cities_of(conn, [r.id for r in rows])
        return [{**dict(r._mapping), "cities": cities.get(r.id, [])} for r in rows]

    def update_user(self, username: str, **values) -> None:
        """Change a user's columns (role, active, password_hash …) or ``cities`` (a list, replacing).

        Disabling a user or changing the password also ends every session of that user.
        """
        cities = values.pop("cities", None)
        if "role" in values and values["role"] not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if values.get("active") is False or "password_hash" in values:
            values["session_version"] = users.c.session_version + 1
        with self.engine.begin() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
            if user_id is None:
                raise ValueError(f"no user {username!r}")
            if values:
                conn.execute(update(users).where(users.c.id == user_id).values(**values))
            if "password_hash" in values:  # a new password ends the old tokens as well as the sessions
                conn.execute(update(api_tokens).where(api_tokens.c.user_id == user_id).values(revoked=True))
            if cities is not None:
                _set_cities(conn, user_id, cities)

    def end_sessions(self, user_id: int) -> None:
        """End every session of the user (their session version moves on)."""
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == user_id)
                         .values(session_version=users.c.session_version + 1))

    def attempt_allowed(self, key: str, limit: int, window_s: int) -> bool:
        """Record an attempt (sign-in, correction) for ``key``; False when ``limit`` were made in the window.

        Counted in the database, so every worker process shares one throttle. Only this key's
        expired attempts are cleared (another key's window may be longer: an hour for survey codes
        against a minute for sign-in); anything older than a day goes, whatever its key.
        """
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            at = login_attempts.c.at
            expired = (login_attempts.c.key == key) & (at < now - timedelta(seconds=window_s))
            conn.execute(delete(login_attempts).where(expired | (at < now - timedelta(days=1))))
            recent = conn.execute(select(func.count()).select_from(login_attempts)
                                  .where(login_attempts.c.key == key)).scalar_one()
            if recent >= limit:
                return False
            conn.execute(insert(login_attempts).values(key=key, at=now))
        return True

    # -- API tokens -------------------------------------------------------------------
    def issue_token(self, username: str, label: str = "") -> str:
        """A new token for ``username``; only its hash is stored, so it is shown this once."""
        user = self.user(username=username)
        if user is None:
            raise ValueError(f"no user {username!r}")
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            # A new token replaces the user's earlier ones: a leaked token is ended by issuing anew.
            conn.execute(update(api_tokens).where(api_tokens.c.user_id == user["id"]).values(revoked=True))
            conn.execute(insert(api_tokens).values(user_id=user["id"], token_hash=token_hash(token),
                                                   label=label, created_at=datetime.now(UTC)))
        return token

    def user_for_token(self, token: str, touch: bool = False) -> dict | None:
        """The user an unrevoked API token belongs to, or None.

        ``touch`` notes when it was used; reads never write, so that they keep working on a
        read-only database.
        """
        query = (select(users).join(api_tokens, api_tokens.c.user_id == users.c.id)
                 .where(api_tokens.c.token_hash == token_hash(token), api_tokens.c.revoked.is_(False)))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is not None and touch:
            with self.engine.begin() as conn:
                conn.execute(update(api_tokens).where(api_tokens.c.token_hash == token_hash(token))
                             .values(last_used_at=datetime.now(UTC)))
        return self.user(user_id=row.id) if row else None  # with the areas a supporter has


def _set_cities(conn, user_id: int, cities: list[str]) -> None:
    conn.execute(delete(user_cities).where(user_cities.c.user_id == user_id))
    if cities:
        conn.execute(insert(user_cities), [{"user_id": user_id, "city_code": code}
                                           for code in dict.fromkeys(cities)])


def _cities_of(conn, user_ids: list[int]) -> dict[int, list[str]]:
    """Each user's city codes, in code order."""
    found: dict[int, list[str]] = {}
    if user_ids:
        query = (select(user_cities.c.user_id, user_cities.c.city_code)
                 .where(user_cities.c.user_id.in_(user_ids))
                 .order_by(user_cities.c.user_id, user_cities.c.city_code))
        for user_id, code in conn.execute(query):
            found.setdefault(user_id, []).append(code)
    return found
