"""Configuration: defaults, then environment overrides, then an explicit mapping.

The secret key that signs sessions is never a shared default: when ``SECRET_KEY`` is not set,
a random one is made on first start in the instance folder (mode 0600) and reused after.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENV_KEYS = ("DATABASE_URL", "OPEN_DATA_DIR", "SECRET_KEY", "NETWORK_DIR", "PUBLIC_URL", "INSTANCE_DIR",
            "PRIVACY_THRESHOLD", "MAX_UPLOAD_MB", "LOGIN_RATE_LIMIT", "PERSONAL_DATA_KEY",
            "STALE_AFTER_YEARS", "EMBED_ORIGINS", "SITE_STALE_HOURS", "MAP_TILES_ABOVE")
INTEGER_KEYS = ("PRIVACY_THRESHOLD", "MAX_UPLOAD_MB", "STALE_AFTER_YEARS", "SITE_STALE_HOURS",
                "MAP_TILES_ABOVE")
# Values seen in examples and old defaults (this project's own included): refused outright.
WEAK_SECRETS = {"dev-only-change-me", "dev", "development", "secret", "secret-key", "secretkey", "changeme",
                "change-me", "change_me", "password", "flask", "test", "testing", "default", "please-change"}
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration cannot be used as it is; the message says what to change."""


def default_config() -> dict:
    """Return the defaults: an embedded SpatiaLite file and the shared open-data folder."""
    instance = PROJECT_ROOT / "instance"
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'fureai.db'}",
        "OPEN_DATA_DIR": str((PROJECT_ROOT.parent / "shared" / "data").resolve()),
        "INSTANCE_DIR": str(instance),
        "NETWORK_DIR": "",  # empty: INSTANCE_DIR/networks, wherever the instance folder is
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
        "MAX_UPLOAD_MB": 10,
        # A place's information stated longer ago than this is 「情報が古い可能性」 (domain.freshness).
        "STALE_AFTER_YEARS": 3,
        # An open shelter whose news is older than this says so on the day (domain.site_status).
        "SITE_STALE_HOURS": 3,
        # A layer with more places than this is drawn on the residents' map from vector tiles: a
        # GeoJSON answer by view holds at most 1,000 places (API_MAX_LIMIT) and slows past that.
        "MAP_TILES_ABOVE": 1000,
        # Sites that may show the map in a frame (/embed), e.g. "https://www.city.kokubunji.tokyo.jp";
        # none by default: no page of this product may be framed.
        "EMBED_ORIGINS": "",
    }


def load_config(overrides: dict | None = None) -> dict:
    """Build the effective configuration.

    Parameters
    ----------
    overrides : dict, optional
        Values that win over both defaults and the environment (tests pass these).

    Raises
    ------
    ConfigError
        For a weak ``SECRET_KEY`` or a setting that is not a number where one is needed.
    """
    config = default_config()
    for key in ENV_KEYS:
        if os.environ.get(key):
            config[key] = os.environ[key]
    config.update(overrides or {})
    for key in INTEGER_KEYS:
        try:
            config[key] = int(config[key])
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a whole number, not {config[key]!r}") from None
    config["EMBED_ORIGINS"] = embed_origins(config["EMBED_ORIGINS"])
    config["OPEN_DATA_DIR"] = str(Path(config["OPEN_DATA_DIR"]).resolve())
    config["NETWORK_DIR"] = config["NETWORK_DIR"] or str(Path(config["INSTANCE_DIR"]) / "networks")
    config["MAX_CONTENT_LENGTH"] = config["MAX_UPLOAD_MB"] * 1024 * 1024
    config["SECRET_KEY"] = secret_key(config.get("SECRET_KEY"), Path(config["INSTANCE_DIR"]))
    return config


ORIGIN = re.compile(r"https://[a-z0-9.-]+(:\d{1,5})?|http://(localhost|127\.0\.0\.1)(:\d{1,5})?")


def embed_origins(given) -> tuple[str, ...]:
    """The sites allowed to frame ``/embed``: origins separated by spaces or commas, each checked.

    Raises
    ------
    ConfigError
        For anything but an https origin (or a local http one): a path, a wildcard, a typo.
    """
    words = given if isinstance(given, list | tuple) else str(given or "").replace(",", " ").split()
    for word in words:
        if not ORIGIN.fullmatch(word.lower().rstrip("/")):
            raise ConfigError(f"EMBED_ORIGINS: {word!r} is not a site's origin; write it as "
                              "https://www.city.example.lg.jp (no path, no *)")
    return tuple(word.lower().rstrip("/") for word in words)


def secret_key(given: str | None, instance: Path) -> str:
    """``given`` when it is strong; else the instance's own key, made on first use.

    Returns
    -------
    str
        The key to sign sessions with.
    """
    if given:
        if given.strip().lower() in WEAK_SECRETS or len(given) < MIN_SECRET_LENGTH:
            make = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
            raise ConfigError(f"SECRET_KEY is a known or short value; use at least {MIN_SECRET_LENGTH} "
                              f"random characters ({make}), or unset it to use the key kept in the "
                              "instance folder")
        return given
    path = instance / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    draft = instance / f".secret_key.{os.getpid()}"
    # Written with 0600 from the start, then linked into place in one step: two processes
    # starting at once agree on one key, and nobody ever reads a half-written file.
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    finally:
        draft.unlink()
    sys.stderr.write(f"fureai: made a new secret key for signing sessions in {path} (mode 0600); "
                     "keep it out of backups that leave the machine, delete it to rotate\n")
    return key
