"""Sealing personal fields at rest: Fernet (AES-128-CBC with HMAC-SHA256) under keys from config.

``PERSONAL_DATA_KEY`` holds one key, or several separated by commas while rotating: the first
seals, every one of them opens (``MultiFernet``). The keys live in configuration only, never in
the database or the repository; without one, nothing personal is stored or read.
"""

from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

HOW_TO_MAKE = "make one with `fureai persons new-key` and set it as PERSONAL_DATA_KEY"


class NoKey(RuntimeError):
    """Personal data was asked for, and no usable key is configured."""


class WrongKey(RuntimeError):
    """A sealed value does not open with any configured key."""


def new_key() -> str:
    """A fresh random key, as PERSONAL_DATA_KEY expects it."""
    return Fernet.generate_key().decode("ascii")


class Sealer:
    """Seals a dict of personal fields to bytes, and opens them again."""

    def __init__(self, keys: str | None):
        parts = [k.strip() for k in (keys or "").split(",") if k.strip()]
        try:
            self._fernet = MultiFernet([Fernet(k) for k in parts]) if parts else None
            self._first = Fernet(parts[0]) if parts else None
        except (ValueError, TypeError):
            raise NoKey(f"PERSONAL_DATA_KEY is not a valid key (32 url-safe base64 bytes); {HOW_TO_MAKE}") \
                from None

    @property
    def ready(self) -> bool:
        """A key is configured."""
        return self._fernet is not None

    def _need(self) -> MultiFernet:
        if self._fernet is None:
            raise NoKey(f"no PERSONAL_DATA_KEY is set, so personal data is neither stored nor read; "
                        f"{HOW_TO_MAKE}")
        return self._fernet

    def seal(self, fields: dict) -> bytes:
        """``fields`` as one sealed token (JSON inside, so a field added later needs no migration)."""
        return self._need().encrypt(json.dumps(fields, ensure_ascii=False).encode("utf-8"))

    def open(self, token: bytes) -> dict:
        """The fields sealed in ``token``; ``WrongKey`` when no configured key opens it."""
        try:
            return json.loads(self._need().decrypt(bytes(token)))
        except InvalidToken:
            raise WrongKey("the register was sealed with a key that is not in PERSONAL_DATA_KEY; set the key "
                           "it was sealed with (or 'new,old' while rotating)") from None

    def current(self, token: bytes) -> bool:
        """Whether ``token`` is sealed under the first key already (a rotation may skip it)."""
        if self._first is None:
            return False
        try:
            self._first.decrypt(bytes(token))
            return True
        except InvalidToken:
            return False

    def reseal(self, token: bytes) -> bytes:
        """``token`` sealed again under the first key (``rotate-key``)."""
        try:
            return self._need().rotate(bytes(token))
        except InvalidToken:
            raise WrongKey("a sealed record opens with none of the keys in PERSONAL_DATA_KEY; list the old "
                           "key after the new one ('new,old') and rotate again") from None
