"""Accounts as use cases: users with strong passwords and known cities, signing in, signing out."""

from __future__ import annotations

from app.domain.access import ROLES, Viewer
from app.services._stores import uses_stores
from app.storage.accounts import Accounts
from app.storage.passwords import hash_password, verify_password

__all__ = ["ROLES", "add_user", "check_sign_in", "set_password", "viewer_of"]
# zxcvbn scores 0-4; 3 is "safely unguessable" against an online attack with throttling.
MIN_SCORE = 3


def check_password(password: str, *hints: str) -> None:
    """Raise ``ValueError`` (with zxcvbn's advice) for a password that is easy to guess."""
    # zxcvbn's word lists take about 13 MB, which every web worker would otherwise hold although
    # passwords are only set now and then.
    from zxcvbn import zxcvbn  # deferred: see above

    result = zxcvbn(password[:100], user_inputs=[h for h in hints if h])
    if result["score"] < MIN_SCORE:
        feedback = result["feedback"]
        advice = " ".join(filter(None, [feedback.get("warning"), *feedback["suggestions"]]))
        raise ValueError(f"this password is too easy to guess (strength {result['score']} of 4, "
                         f"{MIN_SCORE} needed). {advice or 'Use a longer phrase of unrelated words.'}")


@uses_stores
def add_user(accounts: Accounts, username: str, password: str, role: str, cities: list[str],
             display_name: str = "", known_cities=None) -> int:
    """Add a user; the password is checked, hashed (Argon2id) and never stored.

    Raises
    ------
    ValueError
        For a weak password, an unknown role or city, a coordinator without cities, or a
        name that is taken.
    """
    if role in ("coordinator", "supporter") and not cities:
        raise ValueError(f"a {role} needs at least one --city")
    unknown = sorted(set(cities) - set(known_cities)) if known_cities is not None else []
    if unknown:
        known = ", ".join(sorted(known_cities)) or "none"
        raise ValueError(f"unknown city {', '.join(unknown)}; known: {known}")
    check_password(password, username, display_name)
    return accounts.add_user(username, hash_password(password), role, list(cities), display_name)


@uses_stores
def set_password(accounts: Accounts, username: str, password: str) -> None:
    """A new password for ``username``; every session of the user ends."""
    user = accounts.user(username=username)
    if user is None:
        raise ValueError(f"no user {username!r}")
    check_password(password, username, user["display_name"])
    accounts.update_user(username, password_hash=hash_password(password))


@uses_stores
def check_sign_in(accounts: Accounts, username: str, password: str) -> dict | None:
    """The user row when ``password`` is right, else None (as slow for unknown names)."""
    row = accounts.user(username=username)
    ok = verify_password(row["password_hash"] if row else None, password)
    return row if ok else None


def viewer_of(row: dict) -> Viewer:
    """A stored user as a ``Viewer`` for access decisions."""
    return Viewer(row["role"], tuple(row["cities"]), bool(row["active"]),
                  tuple(tuple(a) for a in row.get("areas", ())))


@uses_stores
def find_user(accounts: Accounts, *, user_id: int | None = None, username: str | None = None) -> dict | None:
    """A user by id or by name (with their areas), or None."""
    return accounts.user(user_id=user_id, username=username)


@uses_stores
def user_for_token(accounts: Accounts, token: str, touch: bool = False) -> dict | None:
    """The user a bearer token belongs to, or None; ``touch`` notes its use (a write)."""
    return accounts.user_for_token(token, touch=touch)


@uses_stores
def users(accounts: Accounts) -> list[dict]:
    """Every user, by name."""
    return accounts.users()


@uses_stores
def update_user(accounts: Accounts, username: str, **values) -> None:
    """Change a user's role, cities, name or state (disabling ends their sessions)."""
    accounts.update_user(username, **values)


@uses_stores
def set_areas(accounts: Accounts, username: str, areas: list[tuple[str, str]],
              actor: dict | None = None) -> None:
    """The (kind, code) areas a supporter covers, replacing the earlier ones (audited with ``actor``)."""
    accounts.set_areas(username, areas, actor)


@uses_stores
def supporters_of_cities(accounts: Accounts, cities) -> list[dict]:
    """The active supporters whose cities are all among ``cities``: who a coordinator gives areas to."""
    found = []
    for user in accounts.users():
        ours = bool(user["cities"]) and set(user["cities"]) <= set(cities)
        if user["role"] == "supporter" and user["active"] and ours:
            found.append(accounts.user(username=user["username"]))
    return found


@uses_stores
def supported_areas(accounts: Accounts) -> set[tuple[str, str]]:
    """Every area some active supporter covers (an area nobody covers is flagged on the day)."""
    return accounts.supported_areas()


@uses_stores
def end_sessions(accounts: Accounts, user_id: int) -> None:
    """End every session of the user (signing out everywhere)."""
    accounts.end_sessions(user_id)


@uses_stores
def attempt_allowed(accounts: Accounts, key: str, limit: int, window_s: int) -> bool:
    """Count an attempt under ``key``; False once ``limit`` were made within ``window_s`` (all workers)."""
    return accounts.attempt_allowed(key, limit, window_s)


@uses_stores
def issue_token(accounts: Accounts, username: str, label: str) -> str:
    """A new API token for ``username`` (returned once; only its hash is kept)."""
    return accounts.issue_token(username, label)
