"""The residents' map as an installable web app: its manifest, icon and service worker.

The worker (``static/js/sw.js``) is served from the site's root so that its scope is the map;
which answers it may keep offline, and which never (the register, 安否, sign-in), is decided in
that one file and checked by a browser test.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, send_from_directory, url_for

from app.outputs.icons import GREEN, SIZES, app_icon_png
from app.web.assets import STATIC

bp = Blueprint("pwa", __name__)


@bp.get("/manifest.webmanifest")
def manifest():
    """What a phone needs to install the map: name, start page, colours and icons."""
    body = {"name": "ふれあいマップ", "short_name": "ふれあいマップ", "lang": "ja",
            "description": "避難所・福祉の場所の地図（ネットがなくても最後に見た情報を表示） / "
                           "Shelters and welfare places, kept for when the network is down",
            "start_url": url_for("pages.index"), "scope": "/", "display": "standalone",
            "background_color": "#ffffff", "theme_color": GREEN,
            "icons": [{"src": url_for("pwa.icon", size=s), "sizes": f"{s}x{s}", "type": "image/png",
                       "purpose": "any maskable"} for s in SIZES]}
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/icons/<int:size>.png")
def icon(size: int):
    """The app icon (192 or 512 pixels)."""
    if size not in SIZES:
        abort(404)
    response = current_app.response_class(app_icon_png(size), mimetype="image/png")
    response.cache_control.max_age = 86400
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that it may serve the map page offline."""
    response = send_from_directory(STATIC / "js", "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.cache_control.no_cache = True  # a new release reaches phones at their next visit
    return response
