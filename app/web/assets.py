"""Leaflet and plugins served by the app itself from PyPI xstatic packages: no CDN at run time.

Also the module graph of each page script, so that its page can ask for every module at once.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster
from flask import Blueprint, abort, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/vendor")
PACKAGES = {"leaflet": leaflet.BASE_DIR, "markercluster": markercluster.BASE_DIR}
STATIC = Path(__file__).resolve().parents[1] / "static"
RELATIVE_IMPORT = re.compile(r'^import\s[^;]*?\sfrom\s+"(\.{1,2}/[^"]+\.js)"', re.MULTILINE)


@bp.get("/<package>/<path:filename>")
def vendor(package: str, filename: str):
    base = PACKAGES.get(package)
    if base is None:
        abort(404)
    response = send_from_directory(base, filename, max_age=86400)
    return response


@bp.app_template_global()
@lru_cache(maxsize=16)
def module_graph(entry: str) -> tuple[str, ...]:
    """Static paths of the ES modules ``entry`` imports, directly or through others, sorted.

    A browser finds a module's imports only once the module has arrived, a round trip per level;
    the page lists these as ``modulepreload`` links so that they are all fetched at once.
    """
    found: set[str] = set()
    todo = [entry]
    while todo:
        path = todo.pop()
        for target in RELATIVE_IMPORT.findall((STATIC / path).read_text(encoding="utf-8")):
            name = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if name not in found:
                found.add(name)
                todo.append(name)
    return tuple(sorted(found))
