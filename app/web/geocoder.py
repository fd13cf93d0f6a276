"""One offline geocoder per process, built on first use from OPEN_DATA_DIR."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from app.domain.geocoding import ChomeGeocoder


def geocoder() -> ChomeGeocoder | None:
    cached = current_app.extensions.get("geocoder", False)
    if cached is False:
        api_dir = Path(current_app.config["OPEN_DATA_DIR"]) / "address" / "geolonia-api" / "ja"
        cached = ChomeGeocoder(api_dir) if api_dir.exists() else None
        current_app.extensions["geocoder"] = cached
    return cached
