"""Security headers on every response (Flask-Talisman): a strict CSP with nonces, no framing.

Scripts: only the app's own files and inline scripts carrying this response's nonce (folium's
map script). Styles: the app's own, plus inline style attributes, which Leaflet sets on
every marker and tile and which CSP can only allow as a whole ('unsafe-inline'; they cannot
run code). Images: the app, data: URIs and the three tile servers the map names.
"""

from __future__ import annotations

import re

from flask import request
from flask_login import current_user
from flask_talisman import Talisman
from markupsafe import Markup

from app.web.mapbuild import TILE_HOSTS

INLINE_SCRIPT = re.compile(r"<script(?=[\s>])(?![^>]*\bsrc=)")


def policy() -> dict:
    """The Content-Security-Policy, directive by directive."""
    tiles = [f"https://{host}" for host in TILE_HOSTS]
    return {"default-src": "'self'", "script-src": "'self'", "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", *tiles], "connect-src": "'self'", "font-src": "'self'",
            "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'",
            "frame-ancestors": "'none'"}


def init_app(app) -> None:
    """Headers on every response; ``with_nonce`` marks inline scripts in templates."""
    Talisman(app, force_https=False, content_security_policy=policy(),
             content_security_policy_nonce_in=["script-src"], frame_options="DENY",
             referrer_policy="strict-origin-when-cross-origin",
             session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
             strict_transport_security=app.config["SESSION_COOKIE_SECURE"])

    app.extensions["talisman_embed"] = embed_options(app.config.get("EMBED_ORIGINS", ()))

    @app.after_request
    def signed_in_answers_are_not_kept(response):
        """An answer to a signed-in user or a token may hold restricted rows: kept by no cache."""
        signed_in = request.authorization is not None or (
            request.endpoint != "static" and current_user and current_user.is_authenticated)
        if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "private, no-store"
            response.vary.update(("Cookie", "Authorization"))
        return response

    @app.template_filter("with_nonce")
    def with_nonce(html: str, nonce: str) -> Markup:
        """Give every inline ``<script>`` of ``html`` this response's nonce."""
        return Markup(INLINE_SCRIPT.sub(f'<script nonce="{nonce}"', str(html)))


def embed_options(origins) -> dict:
    """Headers of ``/embed``: framed by the configured sites only, by none when there are none."""
    return {"frame_options": None if origins else "DENY",
            "content_security_policy": {**policy(), "frame-ancestors": " ".join(origins) or "'none'"}}


def embeddable(app, endpoint: str) -> None:
    """Let ``endpoint`` be framed by this app's ``EMBED_ORIGINS`` (a copy of the view, options per app)."""
    view = app.view_functions[endpoint]

    def framed(**values):
        return view(**values)

    framed.talisman_view_options = dict(app.extensions["talisman_embed"])
    app.view_functions[endpoint] = framed


def personal(blueprint) -> None:
    """Every answer of ``blueprint`` carries personal data: no browser or proxy may keep a copy."""

    @blueprint.after_request
    def never_cached(response):
        response.headers["Cache-Control"] = "no-store"
        return response
