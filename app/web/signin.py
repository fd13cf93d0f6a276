"""Sign-in and sign-out pages: throttled across workers, same-site redirects only."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from app.services import accounts as accounts_use
from app.services.accounts import check_sign_in
from app.web.auth import SignedIn, limits, start_session

bp = Blueprint("auth", __name__)
# A path on this site: one slash, then no slash or backslash, and no control characters anywhere.
SAME_SITE = re.compile(r"^/(?![/\\])[^\x00-\x1f\x7f]*$")


def safe_next(target: str) -> str:
    """``target`` when it is a path on this site, else the workspace (no open redirect)."""
    if target and SAME_SITE.match(target) and "\\" not in target:
        return target
    return url_for("workspace.dashboard")


# A user's attempts from all addresses together may go this many times further than one address's:
# a stranger's guesses slow a name down, but cannot lock its owner out from their own address.
ACCOUNT_FACTOR = 10


def _throttled(username: str) -> bool:
    count, window = limits()
    address = request.remote_addr or ""
    by_address = accounts_use.attempt_allowed(f"address:{address}", count, window)
    by_name_here = accounts_use.attempt_allowed(f"user:{username}@{address}", count, window)
    by_name = accounts_use.attempt_allowed(f"user:{username}", count * ACCOUNT_FACTOR, window)
    return not (by_address and by_name_here and by_name)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "").strip()[:100]
    if _throttled(username):
        flash("サインインの試行が多すぎます。1分待ってください / too many sign-in attempts; wait a minute")
        return render_template("login.html", next=""), 429
    row = check_sign_in(username, request.form.get("password", ""))
    if row is None:
        flash("ユーザー名またはパスワードが違います / wrong user name or password")
        return render_template("login.html", next=request.form.get("next", "")), 401
    if not row["active"]:
        flash("このアカウントは無効です / this account is disabled")
        return render_template("login.html", next=""), 403
    login_user(SignedIn.from_row(row))
    start_session(row)
    return redirect(safe_next(request.form.get("next", "")))


@bp.post("/logout")
def logout():
    """Sign out here, and end this user's other sessions too (a lost phone stays signed out)."""
    if current_user.is_authenticated:
        accounts_use.end_sessions(current_user.id)
    logout_user()
    return redirect(url_for("pages.index"))
