"""Leaflet and plugins served by the app itself from PyPI xstatic packages: no CDN at run time."""

from __future__ import annotations

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster
from flask import Blueprint, abort, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/vendor")
PACKAGES = {"leaflet": leaflet.BASE_DIR, "markercluster": markercluster.BASE_DIR}


@bp.get("/<package>/<path:filename>")
def vendor(package: str, filename: str):
    base = PACKAGES.get(package)
    if base is None:
        abort(404)
    response = send_from_directory(base, filename, max_age=86400)
    return response
