"""Services: the use cases, and the only room where domain, importers and storage meet.

Imports, the demo build, analyses (coverage, reach, suggestions, declared catchments),
area tables, privacy counts, exports' frames, printable sheets, editing and accounts.
May import ``app.importers``, ``app.storage`` and ``app.domain``; never ``web``, ``cli``
or ``outputs``. ``init_app`` puts them on the Flask app; the stores stay private to services (``_stores``):
web, cli and outputs call use cases, which find the stores they need themselves.
"""

from __future__ import annotations

from app.services.analysis import Analyzer
from app.services.geocoder import LazyGeocoder


def init_app(app) -> None:
    """Create the analyzer and the lazy geocoder (after ``storage.init_app``)."""
    app.extensions["analyzer"] = Analyzer(app.extensions["repository"], app.extensions["networks"])
    app.extensions["geocoder"] = LazyGeocoder(app.config["OPEN_DATA_DIR"])
