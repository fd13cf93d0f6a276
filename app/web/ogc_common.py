"""What every OGC API route shares: the answer's format, absolute links, and the collection named."""

from __future__ import annotations

from flask import abort, current_app, jsonify, render_template, request, url_for

from app.services import catalogue
from app.web import params
from app.web.access import visible_cities

FORMATS = ("json", "html", "csv")


def wants_html() -> bool:
    """Whether the answer is a page: ``f=html``, or a browser's Accept without ``f``."""
    if request.args.get("f"):
        return params.choice(request.args, "f", FORMATS) == "html"
    best = request.accept_mimetypes.best_match(["application/json", "application/geo+json", "text/html"])
    return best == "text/html"


def respond(body: dict, template: str, media_type: str = "application/json", **context):
    """``body`` as JSON of ``media_type``, or the page ``template`` drawing it when HTML is asked."""
    if wants_html():
        return render_template(template, body=body, **context)
    response = jsonify(body)
    response.mimetype = media_type
    return response


def link(endpoint: str, rel: str, media: str, title: str = "", **values) -> dict:
    """A link object to ``endpoint``, absolute from ``PUBLIC_URL``."""
    # Absolute links start at PUBLIC_URL, never at the request's Host header (which anyone may set).
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return {"href": base + url_for(endpoint, **values), "rel": rel, "type": media, "title": title}


def layer_info(cid: str) -> catalogue.Layer:
    """A collection from its id alone (serving must not count every layer); 404 for any other."""
    try:
        # A restricted kind exists only for those who may read it: for anyone else, 404 (never 403).
        return catalogue.describe(cid, restricted_cities=visible_cities())
    except catalogue.UnknownLayer:
        abort(404)
