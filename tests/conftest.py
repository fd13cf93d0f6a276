"""Real databases for every test: a SpatiaLite file and a PostGIS database.

PostGIS comes from FUREAI_TEST_POSTGRES_URL (``make test`` starts it). Where it is not set
the PostGIS cases skip, except under CI or FUREAI_REQUIRE_POSTGIS, where they fail.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.storage import migrate, passwords, schema
from app.storage.engine import make_engine
from app.storage.repository import Repository
from app.storage.sealing import new_key

ROOT = Path(__file__).resolve().parents[1]
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", ROOT.parent / "shared" / "data")).resolve()
BACKENDS = ["spatialite", "postgis"]
# A key made for this test session only: the register is sealed in tests as in production.
TEST_KEY = new_key()

# Argon2id still, at its cheapest: each of the hundreds of made-up users and sign-ins would
# otherwise pay 0.2 s of the suite's time. Hashes made at production cost verify all the same;
# tests/storage/test_passwords.py checks the production parameters themselves.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
passwords._DUMMY = passwords._hasher.hash("not a password of anyone's")


def open_data(relative: str) -> Path:
    path = OPEN_DATA_DIR / relative
    if not path.exists():
        pytest.fail(f"open data file missing: {path} (set OPEN_DATA_DIR)")
    return path


def _postgres_base_url() -> str:
    url = os.environ.get("FUREAI_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("FUREAI_REQUIRE_POSTGIS") or os.environ.get("CI"):
        pytest.fail("PostGIS tests must run here: set FUREAI_TEST_POSTGRES_URL (make test does)")
    pytest.skip("no PostGIS configured; run `make test` to start it")


_CREATED: list[str] = []


def _postgres_database(suffix: str) -> str:
    """URL of this test session's own database on the test server, created if missing.

    Named after the process, so two runs (a developer's and CI's) never share tables.
    """
    base = make_url(_postgres_base_url())
    name = f"{base.database}_{os.getpid()}{suffix}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            _CREATED.append(name)
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def pytest_sessionfinish(session, exitstatus):
    if not _CREATED:
        return
    admin = create_engine(make_url(_postgres_base_url()), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in _CREATED:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_postgres(url: str) -> None:
    """Drop every table, the version table included (a test may have left an old schema)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "spatial_ref_sys"]
        for table in tables:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    engine.dispose()


def _emptied_postgres(url: str) -> None:
    """Leave the database at this release's schema with no rows, the quick way when it can.

    Deleting the rows of a database already at head takes 10 ms where dropping and migrating it
    takes a second; a test that left another revision or dropped a table gets the slow way.
    """
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            tables = set(inspect(conn).get_table_names())
            at_head = "alembic_version" in tables and conn.execute(
                text("SELECT version_num FROM alembic_version")).scalar() == migrate.head()
            if at_head and {t.name for t in schema.metadata.sorted_tables} <= tables:
                for table in reversed(schema.metadata.sorted_tables):  # children before parents
                    conn.execute(table.delete())
                # Identities start again at 1, as in a new database.
                conn.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'"))
                return
        _fresh_postgres(url)
        migrate.upgrade(engine)
    finally:
        engine.dispose()


_SQLITE_TEMPLATE: list[Path] = []


def _sqlite_at_head(path: Path) -> None:
    """A copy of one SpatiaLite file migrated once per session (0.03 s against 0.4 s a test)."""
    if not _SQLITE_TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="fureai-template-")) / "empty.db"
        engine = make_engine(f"sqlite:///{template}")
        migrate.upgrade(engine)
        engine.dispose()  # folds the write-ahead log into the file: the file alone is the database
        _SQLITE_TEMPLATE.append(template)
    shutil.copyfile(_SQLITE_TEMPLATE[0], path)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """A database at this release's schema, with no rows."""
    if request.param == "spatialite":
        _sqlite_at_head(tmp_path / "fureai.db")
        return f"sqlite:///{tmp_path / 'fureai.db'}"
    url = _postgres_database("")
    _emptied_postgres(url)
    return url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path) -> str:
    """A database with nothing at all, not even the schema: for migration and restore tests."""
    if request.param == "spatialite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    url = _postgres_database("_empty")
    _fresh_postgres(url)
    return url


@pytest.fixture
def repo(database_url):
    repository = Repository(make_engine(database_url))
    repository.init_db()
    yield repository
    repository.engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    application = create_app({"DATABASE_URL": database_url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR),
                              "TESTING": True, "INSTANCE_DIR": str(tmp_path / "instance"),
                              "PERSONAL_DATA_KEY": TEST_KEY})
    yield application
    application.extensions["repository"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_database_url(request, tmp_path_factory) -> str:
    """A demo database built once per backend per session; tests must only read it."""
    from app.services.demo import build_demo

    if request.param == "spatialite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    else:
        url = _postgres_database("_demo")
        _fresh_postgres(url)
    repository = Repository(make_engine(url))
    build_demo(repository, OPEN_DATA_DIR)
    repository.engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_app(demo_database_url, tmp_path_factory):
    application = create_app({"DATABASE_URL": demo_database_url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR),
                              "TESTING": True, "INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")),
                              "PERSONAL_DATA_KEY": TEST_KEY})
    yield application
    application.extensions["repository"].engine.dispose()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def demo_repo(demo_app):
    return demo_app.extensions["repository"]


def city_shape(repo, code: str):
    """The stored polygon of city ``code`` (lon/lat)."""
    cities = repo.cities_frame().set_index("code")
    return cities.loc[code, "geometry"]
