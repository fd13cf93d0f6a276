"""Fureai Map (ふれあいマップ): welfare and hazard map for social welfare councils.

``create_app`` is the factory: configuration, then each room's ``init_app`` (storage,
services, web) and the command line. The rooms and what each may import are listed in
README.md ("Layout") and checked by import-linter (``pyproject.toml``).
"""

from __future__ import annotations

from flask import Flask

from app import cli, services, storage
from app.config import load_config
from app.web import setup as web


def create_app(config: dict | None = None) -> Flask:
    """Build the application for ``config`` (over defaults and the environment)."""
    app = Flask(__name__)
    app.config.update(load_config(config))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    storage.init_app(app)
    services.init_app(app)
    web.init_app(app)
    cli.register(app)
    return app
