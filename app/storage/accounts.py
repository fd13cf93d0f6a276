"""Users, API tokens, and resource editing with an audit trail (one transaction per change)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import Engine, func, insert, select, update

from app.domain.access import ROLES
from app.storage.resource_queries import hazard_values
from app.storage.schema import SRID, api_tokens, audit_log, datasets, resources, users

EDITABLE = ("kind", "name", "address", "city_code", "placement", "placement_detail", "restricted",
            "capacity", "welfare_shelter", "attributes")


def token_hash(token: str) -> str:
    """SHA-256 of an API token: what is stored instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Users, API tokens, and resource edits with their audit records."""

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
            return conn.execute(insert(users).values(
                username=username, display_name=display_name or username, password_hash=password_hash,
                role=role, cities=",".join(cities), active=True, created_at=datetime.now(UTC),
            )).inserted_primary_key[0]

    def user(self, *, user_id: int | None = None, username: str | None = None) -> dict | None:
        """One user row by id or name, or None."""
        query = select(users).where(users.c.id == user_id if user_id is not None
                                    else users.c.username == username)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None

    def users(self) -> list[dict]:
        """Every user, by name."""
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(users).order_by(users.c.username))]

    def update_user(self, username: str, **values) -> None:
        """Change a user's columns (role, cities, active …)."""
        if "role" in values and values["role"] not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        with self.engine.begin() as conn:
            done = conn.execute(update(users).where(users.c.username == username).values(**values))
        if done.rowcount == 0:
            raise ValueError(f"no user {username!r}")

    # -- API tokens -------------------------------------------------------------------
    def issue_token(self, username: str, label: str = "") -> str:
        """A new token for ``username``; only its hash is stored, so it is shown this once."""
        user = self.user(username=username)
        if user is None:
            raise ValueError(f"no user {username!r}")
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(insert(api_tokens).values(user_id=user["id"], token_hash=token_hash(token),
                                                   label=label, created_at=datetime.now(UTC)))
        return token

    def user_for_token(self, token: str) -> dict | None:
        """The user an unrevoked API token belongs to, or None; notes when it was used."""
        query = (select(users).join(api_tokens, api_tokens.c.user_id == users.c.id)
                 .where(api_tokens.c.token_hash == token_hash(token), api_tokens.c.revoked.is_(False)))
        with self.engine.begin() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            conn.execute(update(api_tokens).where(api_tokens.c.token_hash == token_hash(token))
                         .values(last_used_at=datetime.now(UTC)))
        return dict(row._mapping)

    # -- editing ----------------------------------------------------------------------
    def _dataset(self, conn, city: str) -> int:
        key = f"workspace:{city}"
        found = conn.execute(select(datasets.c.id).where(datasets.c.key == key)).scalar()
        if found is not None:
            return found
        return conn.execute(insert(datasets).values(
            key=key, layer="workspace", title=f"resources edited in the workspace ({city})",
            source_file="(workspace)",
            attribution="地域福祉コーディネーターによる登録 / entered by coordinators",
            licence="", source_date="", imported_at=datetime.now(UTC), record_count=0, notes="",
            status="loaded", city_code="",
        )).inserted_primary_key[0]

    def create(self, record: dict, actor: dict) -> int:
        """Add a resource and its audit record in one transaction; returns its id."""
        with self.engine.begin() as conn:
            values = {c: record.get(c) for c in EDITABLE}
            values.update(restricted=bool(record.get("restricted")),
                          welfare_shelter=bool(record.get("welfare_shelter")),
                          dataset_id=self._dataset(conn, record["city_code"]), external_id="",
                          site_key="", source_row=0, attributes=record.get("attributes", {}),
                          geom=_point(record.get("lonlat")), **hazard_values(()))
            new_id = conn.execute(insert(resources).values(**values)).inserted_primary_key[0]
            self._audit(conn, actor, "create", new_id, record["city_code"], None, _snapshot(record))
        return new_id

    def current(self, conn, resource_id: int) -> dict | None:
        """The stored resource row with lon/lat, read inside ``conn``'s transaction."""
        row = conn.execute(select(resources, func.ST_X(resources.c.geom).label("lon"),
                                  func.ST_Y(resources.c.geom).label("lat"))
                           .where(resources.c.id == resource_id)).first()
        return dict(row._mapping) if row else None

    def update(self, resource_id: int, record: dict, actor: dict) -> None:
        """Change a resource and write the before/after audit record in one transaction."""
        with self.engine.begin() as conn:
            before = self.current(conn, resource_id)
            values = {c: record[c] for c in EDITABLE if c in record}
            if "lonlat" in record:
                values["geom"] = _point(record["lonlat"])
            conn.execute(update(resources).where(resources.c.id == resource_id).values(**values))
            after = self.current(conn, resource_id)
            self._audit(conn, actor, "update", resource_id, after["city_code"], _snapshot(before),
                        _snapshot(after))

    def set_deleted(self, resource_id: int, deleted: bool, actor: dict) -> None:
        """Soft-delete (or restore) a resource, with its audit record."""
        with self.engine.begin() as conn:
            before = self.current(conn, resource_id)
            stamp = datetime.now(UTC) if deleted else None
            conn.execute(update(resources).where(resources.c.id == resource_id).values(deleted_at=stamp))
            self._audit(conn, actor, "delete" if deleted else "restore", resource_id, before["city_code"],
                        _snapshot(before), None if deleted else _snapshot(before))

    def record_import(self, actor: dict, city: str, summary: str) -> None:
        """Audit an import of a list for ``city``."""
        with self.engine.begin() as conn:
            self._audit(conn, actor, "import", None, city, None, None, summary)

    def _audit(self, conn, actor, action, resource_id, city, before, after, summary=""):
        conn.execute(insert(audit_log).values(
            at=datetime.now(UTC), user_id=actor.get("id"), username=actor["username"], action=action,
            resource_id=resource_id, city_code=city or "", before=before, after=after,
            summary=summary or (after or before or {}).get("name", "")))

    def history(self, *, resource_id: int | None = None, city: str | None = None) -> list[dict]:
        """Audit records of a resource or a city, newest first."""
        query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
        if resource_id is not None:
            query = query.where(audit_log.c.resource_id == resource_id)
        if city:
            query = query.where(audit_log.c.city_code == city)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.limit(5000))]

    def resource(self, resource_id: int) -> dict | None:
        """The stored resource row with lon/lat, or None."""
        with self.engine.connect() as conn:
            return self.current(conn, resource_id)


def _point(lonlat):
    return from_shape(Point(*lonlat), srid=SRID) if lonlat else None


def _snapshot(row: dict | None) -> dict | None:
    if row is None:
        return None
    out = {c: row.get(c) for c in EDITABLE}
    if row.get("lonlat"):
        out["lon"], out["lat"] = row["lonlat"]
    elif row.get("lon") is not None:
        out["lon"], out["lat"] = round(row["lon"], 6), round(row["lat"], 6)
    return out
