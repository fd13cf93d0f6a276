"""Storage: the database (SpatiaLite or PostGIS), its schema and migrations, and files beside it.

Holds the engine, the tables, the repository (GeoDataFrames for computing, feature records
for serving), accounts and the audit trail, the sealed register of people and 安否確認,
password hashes, walking-network files, and the schema's version. May import ``app.domain``
only; never Flask request code.
"""

from __future__ import annotations

from app.storage import migrate
from app.storage.accounts import Accounts
from app.storage.engine import make_engine
from app.storage.networks import NetworkStore
from app.storage.persons import Register
from app.storage.repository import Repository
from app.storage.runs import RunBook
from app.storage.safety import SafetyChecks
from app.storage.sealing import Sealer
from app.storage.surveys import SurveyBook


def init_app(app) -> None:
    """Open the database of ``app.config`` and put the storage objects in ``app.extensions``.

    An empty database gets the current schema (a new install). A database at an older
    revision is left as it is and marked not ready: the web answers 503 and the command line
    refuses data commands, each naming ``fureai db upgrade``, rather than half-working.
    """
    engine = make_engine(app.config["DATABASE_URL"])
    status = migrate.status(engine)
    if status.state == "empty":
        migrate.upgrade(engine)
        status = migrate.status(engine)
    app.extensions["schema_status"] = status
    app.extensions["repository"] = Repository(engine)
    app.extensions["accounts"] = Accounts(engine)
    app.extensions["networks"] = NetworkStore(engine, app.config["NETWORK_DIR"])
    # The register's key comes from configuration only; without it the register stays closed.
    app.extensions["register"] = Register(engine, Sealer(app.config.get("PERSONAL_DATA_KEY")))
    sealer = app.extensions["register"].sealer
    app.extensions["safety"] = SafetyChecks(engine)
    app.extensions["surveys"] = SurveyBook(engine, sealer)
    app.extensions["runs"] = RunBook(engine)
