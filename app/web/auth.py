"""Who is asking: sessions and API tokens, CSRF, and JSON refusals for the API.

A session is valid only while it carries its user's current session version, so signing out,
disabling a user or a new password ends every session of that user at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, jsonify, render_template, request, session
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from app.domain.access import Viewer
from app.services import accounts as accounts_use
from app.services import stored
from app.services.accounts import viewer_of

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SESSION_VERSION = "sv"


@dataclass
class SignedIn:
    """The signed-in user (Flask-Login's user object)."""

    id: int
    username: str
    display_name: str
    role: str
    cities: tuple[str, ...]
    active: bool
    session_version: int = 1
    areas: tuple[tuple[str, str], ...] = ()
    is_authenticated: bool = True
    is_anonymous: bool = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    @property
    def viewer(self) -> Viewer:
        """The user as a viewer, for access decisions (``domain.access``)."""
        return Viewer(self.role, self.cities, self.active, self.areas)

    @property
    def is_admin(self) -> bool:
        return self.viewer.is_admin

    def can_edit(self, city: str) -> bool:
        return self.viewer.can_edit(city)

    @property
    def restricted_cities(self) -> tuple[str, ...]:
        """Cities whose restricted data (vacant houses …) this user may see."""
        return self.viewer.restricted_cities(stored.city_names())

    def actor(self) -> dict:
        return {"id": self.id, "username": self.username}

    @classmethod
    def from_row(cls, row: dict) -> SignedIn:
        who = viewer_of(row)
        return cls(row["id"], row["username"], row["display_name"], who.role, who.cities, who.active,
                   row["session_version"], who.areas)


def _from_session(user_id: str):
    row = accounts_use.find_user(user_id=int(user_id)) if user_id.isascii() and user_id.isdigit() else None
    if row is None or not row["active"] or session.get(SESSION_VERSION) != row["session_version"]:
        return None  # signed out, disabled or re-keyed since this session began
    return SignedIn.from_row(row)


def _from_token(req):
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    # A read notes nothing, so that reads keep working on a read-only database.
    row = accounts_use.user_for_token(header[7:].strip(), touch=req.method not in SAFE_METHODS)
    if not (row and row["active"]):
        return None
    g.signed_in_by_token = True  # this request's user is the token's: no browser session is involved
    return SignedIn.from_row(row)


def _api_write() -> bool:
    return request.path.startswith("/api/") and request.method not in SAFE_METHODS


def init_app(app) -> None:
    """Flask-Login with both loaders, and CSRF for browser sessions."""
    login = LoginManager(app)
    login.login_view = "auth.login"
    login.user_loader(_from_session)
    login.request_loader(_from_token)
    csrf = CSRFProtect()
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    csrf.init_app(app)

    @app.before_request
    def credentials_then_csrf():
        if request.method in SAFE_METHODS:
            return None
        if _api_write() and not current_user.is_authenticated:
            return jsonify({"error": "sign in, or send an API token as 'Authorization: Bearer …'"}), 401
        # Token-authenticated API calls carry no browser session, so no CSRF risk; every other
        # state-changing request needs the form's or header's CSRF token. A session cookie with any
        # Authorization header beside it is still a browser session (the user came from the cookie).
        if current_user.is_authenticated and g.get("signed_in_by_token"):
            return None
        csrf.protect()
        return None

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        if request.path.startswith("/api/"):
            return jsonify({"error": f"CSRF: {exc.description}; send the page's token as X-CSRFToken, "
                                     "or use an API token", "parameter": "X-CSRFToken"}), 403
        return render_template("error.html", message=f"CSRF: {exc.description}"), 400



def start_session(row: dict) -> None:
    """Remember the session version the user signs in under."""
    session[SESSION_VERSION] = row["session_version"]


def limits() -> tuple[int, int]:
    """(attempts, window in seconds) from ``LOGIN_RATE_LIMIT`` such as "5 per minute"."""
    count, _, unit = current_app.config["LOGIN_RATE_LIMIT"].partition(" per ")
    seconds = {"second": 1, "minute": 60, "hour": 3600}.get(unit.strip().rstrip("s"), 60)
    return int(count), seconds
