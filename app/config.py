"""Configuration: defaults, then environment overrides, then an explicit mapping."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENV_KEYS = ("DATABASE_URL", "OPEN_DATA_DIR", "SECRET_KEY", "NETWORK_DIR", "PUBLIC_URL")


def default_config() -> dict:
    """Return the defaults: an embedded SpatiaLite file and the shared open-data folder."""
    return {
        "DATABASE_URL": f"sqlite:///{PROJECT_ROOT / 'instance' / 'fureai.db'}",
        "OPEN_DATA_DIR": str((PROJECT_ROOT.parent / "shared" / "data").resolve()),
        # Overridden in production through the environment; only signs session cookies.
        "SECRET_KEY": "dev-only-change-me",
        "NETWORK_DIR": str(PROJECT_ROOT / "instance" / "networks"),
        # The address printed maps' QR codes point to.
        "PUBLIC_URL": "http://127.0.0.1:5000",
        "API_MAX_LIMIT": 1000,
        # Restricted resources are shown to the public only as counts per school district,
        # and a count below this is shown as "fewer than N".
        "PRIVACY_THRESHOLD": 3,
        "LOGIN_RATE_LIMIT": "5 per minute",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "API_DEFAULT_LIMIT": 200,
    }


def load_config(overrides: dict | None = None) -> dict:
    """Build the effective configuration.

    Parameters
    ----------
    overrides : dict, optional
        Values that win over both defaults and the environment (tests pass these).
    """
    config = default_config()
    for key in ENV_KEYS:
        if os.environ.get(key):
            config[key] = os.environ[key]
    config.update(overrides or {})
    config["OPEN_DATA_DIR"] = str(Path(config["OPEN_DATA_DIR"]).resolve())
    return config
