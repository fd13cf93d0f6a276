"""Kept population splits (``demand_splits``): read one by its key, or keep a new one.

Keeping is best effort: on a read-only or busy database the analysis still answers from the
split it just made, and the next one tries again.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import DBAPIError

from app.storage.dialects import dialect_for
from app.storage.engine import StorageBusy, StorageReadOnly
from app.storage.partitions import prefecture_of
from app.storage.schema import demand_split_pieces, demand_splits

PIECE_COLUMNS = ("area_code", "area_name", "area_city", "weight", "x", "y")


class SplitStore:
    """Population splits by (area kind, units asked, measure asked, data version)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def load(self, key: dict, city: str | None = None) -> tuple[dict, pd.DataFrame] | None:
        """The split header (``resolved_measure``, ``unit_type``) and its pieces (``city``'s), or None."""
        with self.engine.connect() as conn:
            header = conn.execute(select(demand_splits).where(
                *(demand_splits.c[k] == v for k, v in key.items()))).first()
            if header is None:
                return None
            rows = conn.execute(self.pieces_query(header.id, city)).all()
        return dict(header._mapping), pd.DataFrame(rows, columns=list(PIECE_COLUMNS))

    @staticmethod
    def pieces_query(split_id: int, city: str | None = None):
        """The pieces of a split, of one city when ``city`` is given (by ``ix_demand_split_pieces_city``)."""
        query = select(*(demand_split_pieces.c[c] for c in PIECE_COLUMNS)).where(
            demand_split_pieces.c.split_id == split_id)
        if not city:
            return query
        return query.where(demand_split_pieces.c.area_city == city,  # and one partition on PostgreSQL
                           demand_split_pieces.c.area_pref == prefecture_of(city))

    def keep(self, key: dict, resolved_measure: str, unit_type: str, pieces: pd.DataFrame) -> bool:
        """Keep a split (older versions of the same kind, units and measure go); False when it could not."""
        stale = [demand_splits.c[k] == key[k] for k in ("area_kind", "units", "measure")]
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(demand_splits).where(*stale))
                split_id = conn.execute(insert(demand_splits).values(
                    **key, resolved_measure=resolved_measure, unit_type=unit_type,
                    created_at=datetime.now(UTC))).inserted_primary_key[0]
                if len(pieces):
                    rows = pieces[list(PIECE_COLUMNS)].to_dict("records")
                    dialect_for(self.engine).bulk_insert(conn, demand_split_pieces,
                                                         [{"split_id": split_id, **row} for row in rows])
        except (DBAPIError, StorageBusy, StorageReadOnly):
            return False  # another worker kept it first, or the database takes no writes now
        return True
