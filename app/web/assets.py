"""Leaflet and plugins served by the app itself: no CDN at run time.

Leaflet and its cluster plugin come from PyPI xstatic packages; Leaflet.VectorGrid from the npm
registry, fetched by ``make install`` into ``.cache/npm`` (``FUREAI_VENDOR_DIR`` elsewhere).

Also the module graph of each page script, so that its page can ask for every module at once.
"""

from __future__ import annotations

import os
import posixpath
import re
from functools import lru_cache
from pathlib import Path

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster
from flask import Blueprint, abort, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/vendor")
STATIC = Path(__file__).resolve().parents[1] / "static"
NPM = Path(os.environ.get("FUREAI_VENDOR_DIR") or STATIC.parents[1] / ".cache" / "npm")
PACKAGES = {"leaflet": leaflet.BASE_DIR, "markercluster": markercluster.BASE_DIR,
            "vectorgrid": str(NPM / "leaflet.vectorgrid-1.3.0" / "dist")}
VECTORGRID = "Leaflet.VectorGrid.bundled.min.js"
RELATIVE_IMPORT = re.compile(r'^import\s[^;]*?\sfrom\s+"(\.{1,2}/[^"]+\.js)"', re.MULTILINE)


@bp.get("/<package>/<path:filename>")
def vendor(package: str, filename: str):
    base = PACKAGES.get(package)
    if base is None:
        abort(404)
    response = send_from_directory(base, filename, max_age=86400)
    return response


def has_vector_tiles() -> bool:
    """Whether the map can draw vector tiles here (Leaflet.VectorGrid was installed)."""
    return (Path(PACKAGES["vectorgrid"]) / VECTORGRID).is_file()


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
