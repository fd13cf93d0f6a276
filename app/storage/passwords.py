"""Password hashes (Argon2id). Only hashes are stored; verification costs the same for unknown users."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
_hasher = PasswordHasher()
# Verifying against this when the user name is unknown makes both answers take as long,
# so response time does not tell which user names exist.
_DUMMY = _hasher.hash("not a password of anyone's")


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``.

    Raises
    ------
    ValueError
        When the password is shorter than ``MIN_LENGTH``.
    """
    if len(password) < MIN_LENGTH:
        raise ValueError(f"passwords need at least {MIN_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``; ``None`` (no such user) is never a match."""
    try:
        return _hasher.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
