"""The caller as a ``domain.access.Viewer``, and what the caller may therefore see."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from app.domain.access import PUBLIC, Viewer
from app.services import stored


def viewer() -> Viewer:
    """The signed-in user (session or API token) as a viewer; the public otherwise."""
    # Most requests are anonymous: skip loading a user when there is nothing to load it from.
    cookie = current_app.config.get("SESSION_COOKIE_NAME", "session")
    if cookie not in request.cookies and "Authorization" not in request.headers:
        return PUBLIC
    return current_user.viewer if current_user.is_authenticated else PUBLIC


def visible_cities() -> tuple[str, ...]:
    """Cities whose restricted rows the caller may see: none for the public."""
    who = viewer()
    if who is PUBLIC:
        return ()
    return who.restricted_cities(stored.city_names())
