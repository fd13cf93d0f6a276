"""Services: the use cases, and the only room where domain, importers and storage meet.

Imports, the demo build, analyses (coverage, reach, suggestions, declared catchments),
area tables, privacy counts, exports' frames, printable sheets, editing and accounts.
May import ``app.importers``, ``app.storage`` and ``app.domain``; never ``web``, ``cli``
or ``outputs``. ``init_app`` puts them on the Flask app; the ``get_*`` accessors find them.
"""

from __future__ import annotations

from flask import current_app

from app.services.analysis import Analyzer
from app.services.geocoder import LazyGeocoder


def init_app(app) -> None:
    """Create the analyzer and the lazy geocoder (after ``storage.init_app``)."""
    app.extensions["analyzer"] = Analyzer(app.extensions["repository"], app.extensions["networks"])
    app.extensions["geocoder"] = LazyGeocoder(app.config["OPEN_DATA_DIR"])


def get_repository():
    """The application's ``storage.Repository``."""
    return current_app.extensions["repository"]


def get_accounts():
    """The application's ``storage.Accounts`` (users, tokens, audited edits)."""
    return current_app.extensions["accounts"]


def get_register():
    """The application's ``storage.persons.Register`` (sealed, every read audited)."""
    return current_app.extensions["register"]


def get_safety():
    """The application's ``storage.safety.SafetyChecks`` (安否確認 events and marks)."""
    return current_app.extensions["safety"]


def get_surveys():
    """The application's ``storage.surveys.SurveyBook``."""
    return current_app.extensions["surveys"]


def get_analyzer() -> Analyzer:
    """The application's analyzer (with its demand cache)."""
    return current_app.extensions["analyzer"]


def get_networks():
    """The application's store of walking networks."""
    return current_app.extensions["networks"]


def get_geocoder():
    """The offline 町丁目 geocoder, or None without address data."""
    return current_app.extensions["geocoder"].get()


def get_schema_status():
    """Where the database stands against this release's migrations."""
    return current_app.extensions["schema_status"]
