"""Every error answer of the web app, in one place: JSON for the API, a page for people."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request

from app.services import schema
from app.services.errors import AnalysisError, NoKey, NotAllowed, StorageBusy, StorageReadOnly, WrongKey
from app.web.i18n import pick_language, refusal, strings
from app.web.params import BadParameter


def _api() -> bool:
    return request.path.startswith("/api/")


def bad_parameter(exc: BadParameter):
    """400 naming the parameter (OGC API's own exception shape under /ogcapi)."""
    if request.path.startswith("/ogcapi"):
        return jsonify({"code": "InvalidParameterValue", "description": str(exc)}), 400
    if _api():
        return jsonify({"error": str(exc), "parameter": exc.name}), 400
    # A person's page refuses in its own language, naming the parameter and what to do.
    lang = pick_language(request.args.get("lang"))
    return render_template("error.html", lang=lang, t=strings(lang), message=refusal(exc, lang)), 400


def not_answerable(exc: AnalysisError):
    """400: the data loaded cannot answer this; the message says what to import."""
    return jsonify({"error": str(exc)}), 400


def storage_busy(exc: StorageBusy):
    """503 with Retry-After: another change holds the database; nothing was stored."""
    body = {"error": f"{exc}; nothing was stored"}
    if _api():
        return jsonify(body), 503, {"Retry-After": str(exc.retry_after)}
    return render_template("error.html", message=body["error"]), 503, {"Retry-After": str(exc.retry_after)}


def storage_read_only(exc: StorageReadOnly):
    """503: writes are not possible now; the message says reads still work."""
    if _api():
        return jsonify({"error": str(exc)}), 503
    return render_template("error.html", message=str(exc)), 503


def not_found(exc):
    """404 as JSON for the API, else the error page."""
    if _api():
        return jsonify({"error": f"no such endpoint: {request.path}"}), 404
    return render_template("error.html", message="ページが見つかりません / Page not found"), 404


def not_allowed(exc):
    """405 with the method and path."""
    return jsonify({"error": f"{request.method} is not allowed on {request.path}"}), 405


def server_error(exc):
    """500 without internals; the request was logged by the server."""
    if _api():
        return jsonify({"error": "internal error; the request was logged"}), 500
    return render_template("error.html", message="エラーが発生しました / Internal error"), 500


def schema_not_ready():
    """503 on every request while the database needs ``fureai db upgrade`` (never half-work)."""
    status = schema.current_status()
    if status.ready:
        return None
    if _api():
        return jsonify({"error": status.advice()}), 503
    return render_template("error.html", message=status.advice()), 503


def too_large(exc):
    """413 naming the limit (``MAX_UPLOAD_MB``); nothing was read or stored."""
    limit = current_app.config["MAX_UPLOAD_MB"]
    message = (f"the upload is larger than {limit} MB (MAX_UPLOAD_MB); split the list, or ask the "
               "administrator")
    if _api():
        return jsonify({"error": message, "parameter": "file"}), 413
    return render_template("error.html", message=message), 413


def register_closed(exc):
    """503: the register cannot be opened (no key, or not the key it was sealed with); nothing is shown."""
    if _api():
        return jsonify({"error": str(exc)}), 503
    return render_template("error.html", message=str(exc)), 503


def refused(exc: NotAllowed):
    """403 saying who may (never what is there)."""
    if _api():
        return jsonify({"error": str(exc)}), 403
    return render_template("error.html", message=str(exc)), 403


def init_app(app) -> None:
    """Register the handlers on ``app``."""
    app.register_error_handler(BadParameter, bad_parameter)
    app.register_error_handler(AnalysisError, not_answerable)
    app.register_error_handler(StorageBusy, storage_busy)
    app.register_error_handler(StorageReadOnly, storage_read_only)
    app.register_error_handler(NoKey, register_closed)
    app.register_error_handler(WrongKey, register_closed)
    app.register_error_handler(NotAllowed, refused)
    app.register_error_handler(404, not_found)
    app.register_error_handler(405, not_allowed)
    app.register_error_handler(413, too_large)
    app.register_error_handler(500, server_error)
    app.before_request(schema_not_ready)
