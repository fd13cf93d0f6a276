"""Passwords are kept as Argon2id at the library's recommended cost (the suite itself runs a cheaper one)."""

from __future__ import annotations

import importlib

import pytest
from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY

from app.storage import passwords


def test_production_hashes_are_argon2id_at_the_recommended_cost():
    production = importlib.reload(passwords)  # the module as a server loads it, not the suite's
    try:
        stored = production.hash_password("架空のパスワード123")
        assert stored.startswith("$argon2id$")
        low = RFC_9106_LOW_MEMORY  # the RFC's choice for machines short of memory, argon2-cffi's default
        assert f"m={low.memory_cost},t={low.time_cost},p={low.parallelism}" in stored
        assert production.verify_password(stored, "架空のパスワード123")
        assert not production.verify_password(stored, "架空のパスワード124")
        assert not production.verify_password(None, "架空のパスワード123")
        with pytest.raises(ValueError, match="at least"):
            production.hash_password("short")
    finally:  # the suite's cheap hasher back (tests/conftest.py)
        passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        passwords._DUMMY = passwords._hasher.hash("not a password of anyone's")
