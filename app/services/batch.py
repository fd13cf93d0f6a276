"""``fureai batch``: the per-city analyses of many cities as tasks on Dask distributed.

Each task opens the database itself (a worker may be another machine), runs one city's analysis
and writes the result to ``analysis_runs`` before it returns, so a batch that stops resumes where
it stopped, and a second run of the same inputs (parameters and data version) does nothing. A city
that cannot be answered (no population, no districts) is recorded as failed with the reason; the
others go on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime

from app.services._stores import uses_stores
from app.services.analysis import AnalysisError, Analyzer, Query
from app.services.coverage import coverage
from app.services.reach import reach
from app.storage.engine import make_engine
from app.storage.networks import NetworkStore
from app.storage.repository import Repository
from app.storage.runs import RunBook

ANALYSES = {"coverage": coverage, "reach": reach}


def params_key(analysis: str, params: dict) -> str:
    """The parameters' fingerprint (the city is not part of it)."""
    return hashlib.sha256(json.dumps([analysis, params], sort_keys=True).encode()).hexdigest()


@uses_stores
def pick_cities(repo: Repository, written: str) -> list[str]:
    """``all``, a prefecture code (「13」) or codes (「13214,13210」) as stored city codes.

    Raises
    ------
    ValueError
        For a code that is not a stored city, or a prefecture with none.
    """
    stored = sorted(repo.city_names())
    if written == "all":
        return stored
    if written.isascii() and written.isdigit() and len(written) == 2:
        found = [c for c in stored if c.startswith(written)]
        if not found:
            raise ValueError(f"no stored city of prefecture {written}")
        return found
    wanted = [c.strip() for c in written.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in stored]
    if unknown or not wanted:
        known = ", ".join(stored) or "none"
        raise ValueError(f"unknown city {', '.join(unknown) or repr(written)}; stored: {known}")
    return wanted


def figures(result: dict) -> dict:
    """What a run keeps of a result: its totals, its per-area rows and its data limits, as JSON."""
    kept = {k: result.get(k) for k in ("totals", "areas", "data_limits", "parameters")}
    return json.loads(json.dumps(kept, default=str))


def city_task(database_url: str, network_dir: str, analysis: str, city: str, params: dict,
              version: str) -> dict:
    """One city's analysis, run on a Dask worker; its run is stored before it returns.

    Returns
    -------
    dict
        ``city``, ``status`` (done or failed), ``error`` and ``seconds``.
    """
    engine = make_engine(database_url)
    try:
        analyzer = Analyzer(Repository(engine), NetworkStore(engine, network_dir))
        started = datetime.now(UTC)
        query = Query(city=city, **params)
        try:
            result = ANALYSES[analysis](analyzer, query)
            error = _nobody(result, city)
        except AnalysisError as exc:
            result, error = None, str(exc)
        finished = datetime.now(UTC)
        RunBook(engine).record({
            "analysis": analysis, "city_code": city, "params_key": params_key(analysis, params),
            "parameters": params, "data_version": version, "status": "failed" if error else "done",
            "started_at": started, "finished_at": finished,
            "figures": figures(result) if result else None, "error": error})
        return {"city": city, "status": "failed" if error else "done", "error": error,
                "seconds": (finished - started).total_seconds()}
    finally:
        engine.dispose()


def split_task(database_url: str, network_dir: str, params: dict) -> int:
    """Split the population over every area of the batch's kind once, before the cities read it.

    Without it every city task of a new data version would find no kept split and make the whole
    one itself. Returns how many pieces the split has (0 when it cannot be made: each city then
    says why).
    """
    engine = make_engine(database_url)
    try:
        analyzer = Analyzer(Repository(engine), NetworkStore(engine, network_dir))
        return len(analyzer.query_demand(Query(**params)).pieces)
    except AnalysisError:
        return 0
    finally:
        engine.dispose()


def _nobody(result: dict, city: str) -> str:
    """Why a result that counts no one is not an answer ("" when it counts someone)."""
    if (result.get("totals") or {}).get("population") == 0:
        return (f"no population units cover city {city}; import the census mesh or 町丁目 table that "
                "covers it (`fureai import population`)")
    return ""


def batch_params(analysis: str, **options) -> dict:
    """The analysis parameters of a batch (those of ``Query`` that apply to every city)."""
    if analysis not in ANALYSES:
        raise ValueError(f"analysis must be one of {', '.join(ANALYSES)}")
    defaults = asdict(Query())
    params = {k: v for k, v in options.items() if k in defaults and v is not None}
    if analysis == "reach":
        params["kind"] = "shelter"
    return params


@uses_stores
def run_batch(repo: Repository, client, network_dir: str, analysis: str, cities: list[str],
              params: dict, force: bool = False, on_done=None) -> dict:
    """Submit a task per city not yet done with these inputs; wait for all, calling ``on_done`` per city.

    The workers open the database by its URL (password and all): they are other processes.

    Returns
    -------
    dict
        ``skipped`` (cities already done), ``outcomes`` (per city run now) and ``data_version``.
    """
    from dask.distributed import as_completed  # deferred: only a batch needs the scheduler's client

    database_url = repo.engine.url.render_as_string(hide_password=False)
    version = repo.data_version()
    done = set() if force else RunBook(repo.engine).done(analysis, params_key(analysis, params), version)
    todo = [c for c in cities if c not in done]
    if todo:
        client.submit(split_task, database_url, network_dir, params, pure=False).result()
    futures = [client.submit(city_task, database_url, network_dir, analysis, city, params, version,
                             key=f"{analysis}-{city}-{version[:8]}", pure=False) for city in todo]
    outcomes = []
    for future in as_completed(futures):
        try:
            outcome = future.result()
        except Exception as exc:  # noqa: BLE001 - a crashed task is reported, the other cities go on
            outcome = {"city": todo[futures.index(future)], "status": "failed", "error": repr(exc),
                       "seconds": None}
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
    return {"skipped": sorted(done & set(cities)), "outcomes": sorted(outcomes, key=lambda o: o["city"]),
            "data_version": version}
