"""Trust, part 1: private places place nothing, the secret key, cross-city writes, uploads, transactions.

Numbers refer to the items of the trust issue. Every test runs on SpatiaLite and PostGIS.
"""

from __future__ import annotations

import io
import os
import stat
import time
import zipfile

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text

from app import create_app
from app.config import ConfigError
from app.services import imports
from app.services.errors import ImportFailed
from tests.conftest import OPEN_DATA_DIR
from tests.importers.helpers import write_csv
from tests.web.helpers import PRIVATE_SALON, _csrf, _login

HIDDEN_HUB = {"name": "架空ひみつ会館", "lon": 139.4650, "lat": 35.7060}  # a restricted hub of 国分寺


@pytest.fixture
def hidden(world):
    world.accounts.create({"kind": "hub", "name": HIDDEN_HUB["name"], "address": "", "city_code": "13214",
                           "placement": "coordinates", "placement_detail": "", "restricted": True,
                           "lonlat": (HIDDEN_HUB["lon"], HIDDEN_HUB["lat"]), "attributes": {}},
                          {"id": None, "username": "fixture"})
    return world


def _salons(tmp_path, *rows, name="venue.csv"):
    return write_csv(tmp_path / name, [["名称", "会場", "市区町村", "非公開"], *rows])


def _public_points(client) -> set[tuple[float, float]]:
    body = client.get("/api/v1/resources?kind=salon,hub&limit=1000").get_json()
    return {tuple(round(c, 4) for c in f["geometry"]["coordinates"]) for f in body["features"]}


def test_1_a_private_place_never_places_a_public_row(hidden, tmp_path):
    spot = (round(HIDDEN_HUB["lon"], 4), round(HIDDEN_HUB["lat"], 4))
    # An import that may not see the private hub (the command line, the public's view):
    probe = _salons(tmp_path, ["会場の謎", HIDDEN_HUB["name"], "国分寺市", ""])
    report = imports.import_resources(hidden.repo, probe, "salon")
    assert report.placements == {"not_placed": 1}
    assert "matches no known facility" in " ".join(map(str, report.not_placed))
    # Its own coordinator may see it, yet a public row is still not put there:
    client = _login(hidden.app, "kokubunji")
    upload = _salons(tmp_path, ["公開サロン", HIDDEN_HUB["name"], "国分寺市", ""], name="own.csv")
    preview = client.post("/workspace/upload", data={
        "csrf_token": _csrf(client, "/workspace/upload"), "kind": "salon", "city_code": "13214",
        "file": (io.BytesIO(upload.read_bytes()), "own.csv")}, content_type="multipart/form-data")
    assert preview.status_code == 200 and "restricted place" in preview.get_data(as_text=True)
    assert spot not in _public_points(hidden.app.test_client())
    # A private row of that coordinator may meet there (it stays private).
    private = _salons(tmp_path, ["内緒の会", HIDDEN_HUB["name"], "国分寺市", "1"], name="private.csv")
    record = imports.import_resources(hidden.repo, private, "salon", visible_cities=("13214",), city="13214",
                                      lock_city=True, key="t:private")
    assert record.placements == {"venue_match": 1}
    assert spot not in _public_points(hidden.app.test_client())


def test_1_another_citys_coordinator_learns_nothing(hidden, tmp_path):
    client = _login(hidden.app, "koganei")
    upload = _salons(tmp_path, ["探り", HIDDEN_HUB["name"], "", ""], name="probe.csv")
    preview = client.post("/workspace/upload", data={
        "csrf_token": _csrf(client, "/workspace/upload"), "kind": "salon", "city_code": "13210",
        "file": (io.BytesIO(upload.read_bytes()), "probe.csv")}, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert "restricted place" not in page and "matches no known facility" in page
    suggest = client.get("/api/v1/analysis/suggest?city=13214&candidates=hub").get_json()
    assert HIDDEN_HUB["name"] not in str(suggest)


def test_2_no_shared_secret_key(tmp_path, database_url):
    config = {"DATABASE_URL": database_url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR),
              "INSTANCE_DIR": str(tmp_path)}
    first = create_app(config)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    second = create_app(config)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 32
    for weak in ("dev-only-change-me", "changeme", "short-key"):
        with pytest.raises(ConfigError, match="SECRET_KEY"):
            create_app({**config, "SECRET_KEY": weak})
    for app in (first, second):
        app.extensions["repository"].engine.dispose()


def test_2_a_session_forged_with_the_old_constant_is_refused(world):
    admin_id = world.accounts.user(username="admin")["id"]
    forged = URLSafeTimedSerializer("dev-only-change-me", salt="cookie-session",
                                    signer_kwargs={"key_derivation": "hmac", "digest_method": "sha1"})
    cookie = forged.dumps({"_user_id": str(admin_id), "_fresh": True, "sv": 1})
    client = world.app.test_client()
    client.set_cookie("session", cookie)
    response = client.get("/workspace")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_3_a_row_for_another_city_is_an_error_never_that_citys_resource(world, tmp_path):
    client = _login(world.app, "koganei")
    upload = write_csv(tmp_path / "cross.csv", [["名称", "住所", "市区町村"],
                                                ["越境サロン", "本町2-1", "国分寺市"]])
    preview = client.post("/workspace/upload", data={
        "csrf_token": _csrf(client, "/workspace/upload"), "kind": "salon", "city_code": "13210",
        "file": (io.BytesIO(upload.read_bytes()), "cross.csv")}, content_type="multipart/form-data")
    assert preview.status_code == 400 and "imported for 小金井市" in preview.get_data(as_text=True)
    token = world.accounts.issue_token("koganei")
    api = world.app.test_client().post("/api/v1/import", headers={"Authorization": f"Bearer {token}"}, data={
        "kind": "salon", "city_code": "13210", "file": (io.BytesIO(upload.read_bytes()), "cross.csv")})
    assert api.status_code == 400 and "国分寺市" in api.get_json()["errors"][0]
    assert world.repo.find_resources(q="越境", placed_only=False, include_restricted=True) == []
    assert [e for e in world.accounts.history(city="13214") if e["action"] == "import"] == []


def test_4_upload_limits(world, tmp_path):
    world.app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    token = world.accounts.issue_token("kokubunji")
    big = io.BytesIO(b"name\n" + b"x" * (2 * 1024 * 1024))
    answer = world.app.test_client().post("/api/v1/import", headers={"Authorization": f"Bearer {token}"},
                                          data={"kind": "salon", "city_code": "13214",
                                                "file": (big, "big.csv")})
    assert answer.status_code == 413 and "MAX_UPLOAD_MB" in answer.get_json()["error"]
    long_cell = write_csv(tmp_path / "long.csv", [["名称", "備考"], ["長い", "あ" * 3000]])
    with pytest.raises(ImportFailed, match=r"long\.csv, row 2: a cell has 3,000 characters"):
        imports.import_resources(world.repo, long_cell, "salon", city="13214")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(ImportFailed, match="unpacks to 60 MB"):
        imports.import_resources(world.repo, bomb, "salon", city="13214")


def test_4_previews_live_per_user_in_the_instance_folder_and_expire(world, tmp_path):
    client = _login(world.app, "kokubunji")
    upload = write_csv(tmp_path / "list.csv", [["名称", "住所"], ["下書きサロン", "国分寺市西町3-22-1"]])
    folder = tmp_path / "instance" / "uploads" / str(world.accounts.user(username="kokubunji")["id"])
    client.post("/workspace/upload", data={"csrf_token": _csrf(client, "/workspace/upload"), "kind": "salon",
                "city_code": "13214", "file": (io.BytesIO(upload.read_bytes()), "list.csv")},
                content_type="multipart/form-data")
    files = sorted(folder.iterdir())
    assert len(files) == 2  # the list and its metadata
    old = time.time() - 3 * 3600
    for path in files:
        os.utime(path, (old, old))
    client.get("/workspace/upload")  # a page view does not clean; the next upload does
    client.post("/workspace/upload", data={"csrf_token": _csrf(client, "/workspace/upload"), "kind": "salon",
                "city_code": "13214", "file": (io.BytesIO(upload.read_bytes()), "list.csv")},
                content_type="multipart/form-data")
    assert not set(files) & set(folder.iterdir())


def test_5_an_import_and_its_audit_commit_together(world, tmp_path, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr(type(world.accounts), "record_import", broken_audit)
    token = world.accounts.issue_token("kokubunji")
    upload = write_csv(tmp_path / "a.csv", [["名称", "住所"], ["監査サロン", "国分寺市本町2-1"]])
    client = world.app.test_client()
    world.app.config["PROPAGATE_EXCEPTIONS"] = False
    answer = client.post("/api/v1/import", headers={"Authorization": f"Bearer {token}"}, data={
        "kind": "salon", "city_code": "13214", "file": (io.BytesIO(upload.read_bytes()), "a.csv")})
    assert answer.status_code == 500
    assert world.repo.find_resources(q="監査", placed_only=False) == []
    assert not [d for d in world.repo.datasets() if d["key"].startswith("upload:")]


def test_5_a_busy_database_answers_503_with_retry_after(tmp_path, database_url, monkeypatch):
    monkeypatch.setattr("app.storage.engine.BUSY_TIMEOUT_S", 1)
    app = create_app({"DATABASE_URL": database_url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR),
                      "INSTANCE_DIR": str(tmp_path), "TESTING": True})
    repo, accounts = app.extensions["repository"], app.extensions["accounts"]
    imports.import_boundaries(repo, OPEN_DATA_DIR / "boundaries/n03_2022_cities.geojson", "city")
    accounts.add_user("busy", "x", "coordinator", ["13214"])
    token = accounts.issue_token("busy")
    blocker = repo.engine.connect()
    transaction = blocker.begin()
    # Another writer holds the lock: SQLite's is the whole file, PostgreSQL's the table.
    lock = "LOCK TABLE resources IN ACCESS EXCLUSIVE MODE" if repo.dialect.name == "postgresql" else \
        "UPDATE resources SET name = name"
    blocker.execute(text(lock))
    try:
        answer = app.test_client().post("/api/v1/resources", headers={"Authorization": f"Bearer {token}"},
                                        json={"kind": "salon", "city_code": "13214", "name": "待つサロン",
                                              "lat": "35.70", "lon": "139.48"})
    finally:
        transaction.rollback()
        blocker.close()
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert "nothing was stored" in answer.get_json()["error"]
    assert repo.find_resources(q="待つ", placed_only=False, include_restricted=True) == []
    repo.engine.dispose()


def test_geocode_never_finds_a_private_place_for_the_public(world):
    public = world.app.test_client().get(f"/api/v1/geocode?q={PRIVATE_SALON}").get_json()["results"]
    assert public == []
    token = world.accounts.issue_token("kokubunji")
    own = world.app.test_client().get(f"/api/v1/geocode?q={PRIVATE_SALON}",
                                      headers={"Authorization": f"Bearer {token}"}).get_json()["results"]
    assert [r["label"] for r in own] == [PRIVATE_SALON]
