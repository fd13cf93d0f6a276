"""A database made by the release before migrations upgrades in place and keeps every row.

The previous release is checked out of this repository's history into a temporary folder and
run with this environment's packages (it needs nothing this release does not have): it builds
its demo, adds users and a token, imports a list, edits and deletes a resource. This release
then upgrades that database, on both backends, and every row is compared.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from sqlalchemy import inspect, text

from app import create_app
from app.domain.targets import open_to_all, shelter_targets
from tests.conftest import OPEN_DATA_DIR, ROOT, _fresh_postgres, _postgres_database
from tests.web.helpers import _csrf

PREVIOUS_RELEASE = "e978f0c"  # main of 2026-12-01: the schema of the baseline revision
OLD_SCRIPT = r'''
import io, json, sys
from pathlib import Path
from app import create_app
from app.demo import build_demo
from app.web.auth import hash_password

url, data = sys.argv[1], sys.argv[2]
app = create_app({"DATABASE_URL": url, "OPEN_DATA_DIR": data})
repo, accounts = app.extensions["repository"], app.extensions["accounts"]
build_demo(repo, Path(data))
accounts.add_user("oldadmin", hash_password("old admin passphrase"), "admin", [])
accounts.add_user("oldcoord", hash_password("old coordinator pass"), "coordinator", ["13214"])
token = accounts.issue_token("oldcoord", "nightly")
client, auth = app.test_client(), {"Authorization": f"Bearer {token}"}
listing = "名称,住所\r\n旧版の架空サロン,国分寺市本町2-1\r\n".encode()
answer = client.post("/api/v1/import", headers=auth, data={
    "kind": "salon", "city_code": "13214", "file": (io.BytesIO(listing), "old_list.csv")})
assert answer.status_code == 201, answer.get_data(as_text=True)
salons = sorted(r["id"] for r in repo.find_resources(kinds=["salon"], city="13214", placed_only=False))
edited, deleted = salons[0], salons[1]
assert client.patch(f"/api/v1/resources/{edited}", headers=auth, json={"name": "旧版で改名"}).status_code == 200
assert client.delete(f"/api/v1/resources/{deleted}", headers=auth).status_code == 200
print(json.dumps({"token": token, "edited": edited, "deleted": deleted}))
'''
KEPT = ("datasets", "area_sets", "areas", "resources", "population_units", "context_features", "users",
        "api_tokens", "audit_log")
# Revision 0016 reads who each shelter (and a hub typed as a nursery) is for: targets, and the flag.
CONVERTED = {"resources": {"hazards", "targets", "welfare_shelter"}, "datasets": {"notes"},
             "users": {"cities"}}


@pytest.fixture(scope="module")
def old_release(tmp_path_factory):
    folder = tmp_path_factory.mktemp("previous_release")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE], capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "make_old_database.py").write_text(OLD_SCRIPT, encoding="utf-8")
    return folder


def _build_with_old_release(folder, url) -> dict:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    done = subprocess.run([sys.executable, str(folder / "make_old_database.py"), url, str(OPEN_DATA_DIR)],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _raw_rows(engine) -> dict[str, dict[int, dict]]:
    """Every row of the kept tables as stored, geometry as the database's own bytes."""
    out = {}
    with engine.connect() as conn:
        for table in KEPT:
            columns = [c["name"] for c in inspect(conn).get_columns(table)]
            quoted = ", ".join(f'"{c}"' for c in columns)  # "foreign" is a column, and an SQL keyword
            rows = conn.execute(text(f"SELECT {quoted} FROM {table}")).mappings()
            out[table] = {r["id"]: dict(r) for r in rows}
    return out


def _same_values(before: dict, after: dict) -> None:
    for table, rows in before.items():
        assert set(rows) == set(after[table]), f"{table}: rows lost or added"
        skip = CONVERTED.get(table, set())
        for row_id, row in rows.items():
            kept = {k: v for k, v in row.items() if k not in skip}
            assert {k: after[table][row_id][k] for k in kept} == kept, (table, row_id)


def _conversions(before: dict, after: dict) -> None:
    for row_id, old in before["resources"].items():
        new = after["resources"][row_id]
        flags = sorted(k.removeprefix("hazard_") for k, v in new.items() if k.startswith("hazard_") and v)
        assert flags == sorted(h for h in old["hazards"].split("|") if h), row_id
        if old["kind"] == "shelter":  # the flag now means "reserved for a group", read by the one rule
            attributes = old["attributes"] if isinstance(old["attributes"], dict) else json.loads(old["attributes"])
            targets = shelter_targets(attributes.get("target_group", ""))
            assert bool(new["welfare_shelter"]) == (not open_to_all(targets)), row_id
    for row_id, old in before["datasets"].items():
        new = after["datasets"][row_id]
        if old["notes"].startswith("unavailable:"):
            assert (new["status"], new["city_code"]) == ("unavailable", old["notes"].split(":")[1])
        else:
            assert new["notes"] == old["notes"] and new["status"] == "loaded"


def _cities_moved(engine, before: dict) -> None:
    """Each old user's comma-separated cities are its rows of ``user_cities``."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT user_id, city_code FROM user_cities")).all()
    moved = {}
    for user_id, code in rows:
        moved.setdefault(user_id, set()).add(code)
    assert any(old["cities"] for old in before["users"].values())  # the move is exercised
    for user_id, old in before["users"].items():
        assert moved.get(user_id, set()) == {c for c in old["cities"].split(",") if c}, user_id


def test_the_previous_releases_database_upgrades_in_place(old_release, empty_database_url, tmp_path):
    database_url = empty_database_url
    made = _build_with_old_release(old_release, database_url)
    app = create_app({"DATABASE_URL": database_url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR), "TESTING": True})
    engine = app.extensions["repository"].engine
    assert app.extensions["schema_status"].state == "unversioned"
    before = _raw_rows(engine)
    assert before["audit_log"] and before["api_tokens"] and len(before["users"]) == 2
    assert len(before["resources"]) > 300 and len(before["population_units"]) > 5000
    assert any(r["hazards"] for r in before["resources"].values())  # conversions below are exercised
    assert any(d["notes"].startswith("unavailable:") for d in before["datasets"].values())
    assert any(r["deleted_at"] for r in before["resources"].values())
    saved = app.test_cli_runner().invoke(args=["db", "backup", str(tmp_path / "old_release.bak")])
    assert saved.exit_code == 0, saved.output
    upgraded = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0 and "from the release before migrations" in upgraded.output
    after = _raw_rows(engine)
    _same_values(before, after)
    _conversions(before, after)
    _cities_moved(engine, before)
    client = app.test_client()
    signed_in = client.post("/login", data={"username": "oldcoord", "password": "old coordinator pass",
                                            "csrf_token": _csrf(client)})
    assert signed_in.status_code == 302
    by_token = client.get("/api/v1/resources?kind=salon&city=13214&placed=0",
                          headers={"Authorization": f"Bearer {made['token']}"}).get_json()
    names = {f["properties"]["name"] for f in by_token["features"]}
    assert {"旧版で改名", "旧版の架空サロン"} <= names
    admin = app.test_client()
    admin.post("/login", data={"username": "oldadmin", "password": "old admin passphrase",
                               "csrf_token": _csrf(admin)})
    restored = admin.post(f"/workspace/resources/{made['deleted']}/restore",
                          data={"csrf_token": _csrf(admin, "/workspace")})
    assert restored.status_code == 302
    assert app.extensions["accounts"].resource(made["deleted"])["deleted_at"] is None
    engine.dispose()
    _restore_then_upgrade(database_url, tmp_path / "old_release.bak", before, tmp_path)


def _restore_then_upgrade(database_url, saved, before, tmp_path) -> None:
    """The old release's backup restores into an empty database of this release, upgraded."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        url = _postgres_database("_restored_old")
        _fresh_postgres(url)
    app = create_app({"DATABASE_URL": url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR), "TESTING": True})
    restored = app.test_cli_runner().invoke(args=["db", "restore", str(saved)])
    assert restored.exit_code == 0, restored.output
    assert "upgraded the schema from the release before migrations" in restored.output
    engine = app.extensions["repository"].engine
    after = _raw_rows(engine)
    _same_values(before, after)
    _conversions(before, after)
    assert app.test_client().get("/api/v1/layers").status_code == 200
    engine.dispose()
