"""The results of ``fureai batch``: one row per analysis, city, parameters and data version."""

from __future__ import annotations

from sqlalchemy import Engine, delete, insert, select

from app.storage.schema import analysis_runs

KEY = ("analysis", "city_code", "params_key", "data_version")


class RunBook:
    """Record and read per-city runs; a run of the same key replaces the earlier one."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def record(self, run: dict) -> None:
        """Store ``run`` (every column but ``id``), replacing a run with the same key."""
        with self.engine.begin() as conn:
            conn.execute(delete(analysis_runs).where(*(analysis_runs.c[k] == run[k] for k in KEY)))
            conn.execute(insert(analysis_runs).values(**run))

    def done(self, analysis: str, params_key: str, data_version: str) -> set[str]:
        """The cities whose run of these inputs finished without error."""
        query = select(analysis_runs.c.city_code).where(
            analysis_runs.c.analysis == analysis, analysis_runs.c.params_key == params_key,
            analysis_runs.c.data_version == data_version, analysis_runs.c.status == "done")
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def runs(self, analysis: str | None = None) -> list[dict]:
        """Every stored run (of ``analysis``), by city."""
        query = select(analysis_runs).order_by(analysis_runs.c.city_code, analysis_runs.c.id)
        if analysis:
            query = query.where(analysis_runs.c.analysis == analysis)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
