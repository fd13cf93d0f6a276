"""Putting the web room on the Flask app: sign-in, error handlers, blueprints."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from app.web import (
    analysis_api,
    api,
    assets,
    auth,
    calendar_api,
    card,
    corrections,
    editing_api,
    errors,
    event_sites_api,
    i18n,
    notes,
    ogc_tiles,
    ogcapi,
    openapi,
    pages,
    persons,
    persons_api,
    profile,
    pwa,
    safety,
    security,
    signin,
    supporters,
    survey_form,
    survey_pages,
    workspace,
)

BLUEPRINTS = (pages.bp, api.bp, analysis_api.bp, assets.bp, ogcapi.bp, ogc_tiles.bp, workspace.bp,
              editing_api.bp, signin.bp, openapi.bp, card.bp, profile.bp, calendar_api.bp,
              corrections.bp, notes.bp, persons.bp, persons_api.bp, safety.bp, survey_form.bp,
              survey_pages.bp, supporters.bp, event_sites_api.bp, pwa.bp)


class RowId(IntegerConverter):
    """A row id in a path: 1 to 2³¹−1 (the columns' range); anything else is simply not found."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1, fixed_digits=0)


def init_app(app) -> None:
    """Sign-in, error handlers and every blueprint."""
    app.url_map.converters["rid"] = RowId
    security.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    security.embeddable(app, "pages.embed")
