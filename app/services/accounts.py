"""Accounts as use cases: adding users with checked passwords and cities, signing in."""

from __future__ import annotations

from app.domain.access import ROLES, Viewer
from app.storage.accounts import Accounts
from app.storage.passwords import hash_password, verify_password

__all__ = ["ROLES", "add_user", "check_sign_in", "viewer_of"]


def add_user(accounts: Accounts, username: str, password: str, role: str, cities: list[str],
             display_name: str = "") -> int:
    """Add a user; the password is hashed (Argon2id) and never stored.

    Raises
    ------
    ValueError
        For a short password, an unknown role, a coordinator without cities, or a taken name.
    """
    if role == "coordinator" and not cities:
        raise ValueError("a coordinator needs at least one --city")
    return accounts.add_user(username, hash_password(password), role, list(cities), display_name)


def check_sign_in(accounts: Accounts, username: str, password: str) -> dict | None:
    """The user row when ``password`` is right, else None (as slow for unknown names)."""
    row = accounts.user(username=username)
    ok = verify_password(row["password_hash"] if row else None, password)
    return row if ok else None


def viewer_of(row: dict) -> Viewer:
    """A stored user as a ``Viewer`` for access decisions."""
    return Viewer(row["role"], tuple(c for c in row["cities"].split(",") if c), bool(row["active"]))
