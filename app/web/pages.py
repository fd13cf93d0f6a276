"""HTML pages."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from app.domain.kinds import AREA_KINDS, RESOURCE_KINDS

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    repo = current_app.extensions["repository"]
    counts = repo.layer_counts()
    return render_template("index.html", datasets=repo.datasets(), counts=counts,
                           resource_kinds=RESOURCE_KINDS, area_kinds=AREA_KINDS)


@bp.app_errorhandler(404)
def not_found(exc):
    if request.path.startswith("/api/"):
        return jsonify({"error": f"no such endpoint: {request.path}"}), 404
    return render_template("error.html", message="ページが見つかりません / Page not found"), 404


@bp.app_errorhandler(405)
def not_allowed(exc):
    return jsonify({"error": f"{request.method} is not allowed on {request.path}"}), 405


@bp.app_errorhandler(500)
def server_error(exc):
    if request.path.startswith("/api/"):
        return jsonify({"error": "internal error; the request was logged"}), 500
    return render_template("error.html", message="エラーが発生しました / Internal error"), 500
