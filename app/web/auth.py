"""Sign-in, roles, CSRF and throttling. Public users need no account; editors sign in."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from app.domain.access import Viewer
from app.services import get_accounts, get_repository
from app.services.accounts import check_sign_in, viewer_of

bp = Blueprint("auth", __name__)


@dataclass
class SignedIn:
    """The signed-in user (Flask-Login's user object)."""

    id: int
    username: str
    display_name: str
    role: str
    cities: tuple[str, ...]
    active: bool
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
        return Viewer(self.role, self.cities, self.active)

    @property
    def is_admin(self) -> bool:
        return self.viewer.is_admin

    def can_edit(self, city: str) -> bool:
        return self.viewer.can_edit(city)

    @property
    def restricted_cities(self) -> tuple[str, ...]:
        """Cities whose restricted data (vacant houses …) this user may see."""
        return self.viewer.restricted_cities(get_repository().city_names())

    def actor(self) -> dict:
        return {"id": self.id, "username": self.username}

    @classmethod
    def from_row(cls, row: dict) -> SignedIn:
        who = viewer_of(row)
        return cls(row["id"], row["username"], row["display_name"], who.role, who.cities, who.active)


def init_app(app) -> None:
    login = LoginManager(app)
    login.login_view = "auth.login"

    @login.user_loader
    def load(user_id: str):
        row = get_accounts().user(user_id=int(user_id))
        return SignedIn.from_row(row) if row and row["active"] else None

    @login.request_loader
    def from_token(req):
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        row = get_accounts().user_for_token(header[7:].strip())
        if row is None or not row["active"]:
            return None
        g.token_authenticated = True
        return SignedIn.from_row(row)

    csrf = CSRFProtect()
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    csrf.init_app(app)

    @app.before_request
    def csrf_unless_token():
        # Token-authenticated API calls carry no browser session, so no CSRF risk; every other
        # state-changing request needs the form's or header's CSRF token.
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.headers.get("Authorization", "").startswith("Bearer ") and current_user.is_authenticated:
            return
        csrf.protect()

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        return render_template("error.html", message=f"CSRF: {exc.description}"), 400

    # Only sign-in attempts are throttled, so nothing else pays for a rate-limit check
    # (Flask-Limiter's app-wide hook measured about 0.13 ms on every request).
    app.extensions["login_limiter"] = (MovingWindowRateLimiter(MemoryStorage()),
                                       parse(app.config.get("LOGIN_RATE_LIMIT", "5 per minute")))
    app.register_blueprint(bp)


def _throttled(username: str) -> bool:
    limiter, limit = current_app.extensions["login_limiter"]
    return not limiter.hit(limit, request.remote_addr or "", username)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "").strip()
    if _throttled(username):
        flash("サインインの試行が多すぎます。1分待ってください / too many sign-in attempts; wait a minute")
        return render_template("login.html", next=""), 429
    row = check_sign_in(get_accounts(), username, request.form.get("password", ""))
    if row is None:
        flash("ユーザー名またはパスワードが違います / wrong user name or password")
        return render_template("login.html", next=request.form.get("next", "")), 401
    if not row["active"]:
        flash("このアカウントは無効です / this account is disabled")
        return render_template("login.html", next=""), 403
    login_user(SignedIn.from_row(row))
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//")
                    else url_for("workspace.dashboard"))


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("pages.index"))
