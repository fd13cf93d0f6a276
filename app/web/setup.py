"""Putting the web room on the Flask app: sign-in, error handlers, blueprints."""

from __future__ import annotations

from app.web import analysis_api, api, assets, auth, editing_api, errors, ogcapi, pages, workspace

BLUEPRINTS = (pages.bp, api.bp, analysis_api.bp, assets.bp, ogcapi.bp, workspace.bp, editing_api.bp)


def init_app(app) -> None:
    """Sign-in, error handlers and every blueprint."""
    auth.init_app(app)
    errors.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
