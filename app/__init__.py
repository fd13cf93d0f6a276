"""Fureai Map (ふれあいマップ): welfare and hazard map for social welfare councils."""

from __future__ import annotations

from flask import Flask

from app.config import load_config
from app.storage.engine import make_engine
from app.storage.repository import Repository


def create_app(config: dict | None = None) -> Flask:
    """Application factory: configuration → storage → blueprints → CLI."""
    app = Flask(__name__)
    app.config.update(load_config(config))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    engine = make_engine(app.config["DATABASE_URL"])
    repo = Repository(engine)
    repo.init_db()
    app.extensions["repository"] = repo

    from app.analysis import Analyzer
    from app.networks import NetworkStore

    app.extensions["analyzer"] = Analyzer(repo, NetworkStore(repo, app.config["NETWORK_DIR"]))

    from app.storage.accounts import Accounts
    from app.web.auth import init_auth

    app.extensions["accounts"] = Accounts(engine)
    init_auth(app)

    from app.web import analysis_api, api, assets, editing_api, ogcapi, pages, workspace

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(analysis_api.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(ogcapi.bp)
    app.register_blueprint(workspace.bp)
    app.register_blueprint(editing_api.bp)

    from app.cli import register

    register(app)
    return app


def get_repository(app: Flask) -> Repository:
    return app.extensions["repository"]
