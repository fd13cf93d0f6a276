"""Sealing everything sealed again under a new key: the register and survey free text alike.

Every sealed column of the schema is listed here once (``SEALED``), so that ``rotate-key`` and
``db check`` cannot miss one. A rotation commits a batch at a time and skips what is already
under the new key, so a rotation cut short (power, kill -9) is finished by running it again.
"""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from app.storage.persons import audit
from app.storage.schema import persons, survey_answers
from app.storage.sealing import Sealer

# (table, sealed column, what a row is, in words): every column that holds a Fernet token.
SEALED = ((persons, "sealed", "registered people"),
          (survey_answers, "free_text", "survey free-text answers"))
BATCH = 200


def rotate(engine: Engine, sealer: Sealer, actor: dict) -> dict[str, int]:
    """Re-seal every sealed value not yet under the first key, a batch per transaction.

    Returns
    -------
    dict
        What (``SEALED``'s words) → how many values were re-sealed in this run.
    """
    done: dict[str, int] = {}
    for table, column, what in SEALED:
        done[what] = 0
        last = 0
        while True:
            with engine.begin() as conn:
                rows = conn.execute(select(table.c.id, table.c[column])
                                    .where(table.c.id > last, table.c[column].is_not(None))
                                    .order_by(table.c.id).limit(BATCH)).all()
                stale = [r for r in rows if not sealer.current(r[1])]
                for row in stale:
                    conn.execute(update(table).where(table.c.id == row[0])
                                 .values({column: sealer.reseal(row[1])}))
                if stale:
                    audit(conn, actor, "rekey", "", f"{len(stale)} {what} re-sealed under the new key")
            done[what] += len(stale)
            if len(rows) < BATCH:
                break
            last = rows[-1][0]
    return done


def not_current(engine: Engine, sealer: Sealer) -> dict[str, int]:
    """What (``SEALED``'s words) → how many sealed values are not under the first key (``db check``)."""
    out = {}
    with engine.connect() as conn:
        for table, column, what in SEALED:
            tokens = conn.execute(select(table.c[column]).where(table.c[column].is_not(None))).scalars()
            out[what] = sum(1 for token in tokens if not sealer.current(token))
    return out
