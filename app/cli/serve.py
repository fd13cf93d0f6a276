"""``fureai serve``: gunicorn over the factory, refusing a database that needs an upgrade."""

from __future__ import annotations

import os

import click
from gunicorn.app.base import BaseApplication

from app.cli.common import data_command
from app.services import get_repository


class Server(BaseApplication):
    """gunicorn with settings from the command line and the factory as the app."""

    def __init__(self, settings: dict, factory):
        self.settings = settings
        self.factory = factory
        super().__init__()

    def load_config(self):
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        return self.factory()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
# One process per core and one thread each: on 2 cores, 1 thread per worker served ~2× the
# requests of 4 with a third of the p99 (scripts/bench_serve.py; docs/benchmarks.md).
@click.option("--workers", default=os.cpu_count() or 1, show_default="the number of cores", type=int,
              help="Processes (one per core).")
@click.option("--threads", default=1, show_default=True, type=int, help="Threads per process.")
@data_command
def serve_command(host, port, workers, threads):
    """Serve the app with a production WSGI server (gunicorn)."""
    url = get_repository().engine.url.render_as_string(hide_password=True)
    get_repository().engine.dispose()  # each worker process opens its own connections
    settings = {"bind": f"{host}:{port}", "workers": workers, "threads": threads, "accesslog": "-",
                "timeout": 60}

    def factory():
        # deferred: the factory registers this command, so this module cannot import it at the top
        from app import create_app

        return create_app()

    click.echo(f"Fureai Map on http://{host}:{port}/ (database {url})")
    Server(settings, factory).run()
