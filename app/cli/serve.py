"""``fureai serve``: gunicorn over the factory, refusing a database that needs an upgrade."""

from __future__ import annotations

import contextlib
import gc
import os

import click
from gunicorn.app.base import BaseApplication

from app.cli.common import data_command
from app.services import schema, stored
from app.services.analysis import AnalysisError, Query
from app.services.coverage import coverage


class Server(BaseApplication):
    """gunicorn with settings from the command line and the factory as the app."""

    def __init__(self, settings: dict, factory):
        self.settings = settings
        self.factory = factory
        self.flask_app = None
        super().__init__()

    def load_config(self):
        for key, value in self.settings.items():
            self.cfg.set(key, value)
        self.cfg.set("post_fork", self.post_fork)

    def load(self):
        self.flask_app = self.factory()
        if self.cfg.preload_app:
            warm(self.flask_app)
        # Frozen objects are left out of the workers' collections, which would otherwise write to
        # (and so copy) nearly every page they share with the master.
        gc.collect()
        gc.freeze()
        return self.flask_app

    def post_fork(self, _server, _worker):
        """A preloaded app's pooled connections belong to the master: each worker opens its own."""
        if self.flask_app is not None:
            with self.flask_app.app_context():
                stored.own_connections()


def warm(flask_app) -> None:
    """One analysis in the master before the fork, so that every worker starts with what it needs.

    The code paths, projections and caches a first analysis builds (about 90 ms of a fresh
    worker's first answer, scripts/bench_serve.py) are then shared by the workers instead of
    built in each. A database with no analysis to run yet is simply not warmed.
    """
    with flask_app.app_context():
        cities = sorted(stored.city_names())
        if cities and schema.current_status().ready:
            with contextlib.suppress(AnalysisError):
                coverage(Query(city=cities[0]))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
# One process per core and one thread each: on 2 cores, 1 thread per worker served ~2× the
# requests of 4 with a third of the p99 (scripts/bench_serve.py; docs/benchmarks.md).
@click.option("--workers", default=os.cpu_count() or 1, show_default="the number of cores", type=int,
              help="Processes (one per core).")
@click.option("--threads", default=1, show_default=True, type=int, help="Threads per process.")
# Preloading imports the app (geopandas, shapely, scipy, pandas…) once in the master and forks the
# workers from it, so they share those pages and start answering at once: the per-worker memory
# and first-request figures of scripts/bench_pygeoapi.py and scripts/bench_analysis.py.
@click.option("--preload/--no-preload", default=True, show_default=True,
              help="Load the app once before forking the workers.")
@data_command
def serve_command(host, port, workers, threads, preload):
    """Serve the app with a production WSGI server (gunicorn)."""
    url = stored.database_url()
    stored.release_connections()  # each worker process opens its own connections
    settings = {"bind": f"{host}:{port}", "workers": workers, "threads": threads, "accesslog": "-",
                "timeout": 60, "preload_app": preload}

    def factory():
        # deferred: the factory registers this command, so this module cannot import it at the top
        from app import create_app

        return create_app()

    click.echo(f"Fureai Map on http://{host}:{port}/ (database {url})")
    Server(settings, factory).run()
