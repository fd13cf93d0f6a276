"""Trust, part 3 (items 10-18): redirects, CSV, timing, headers, sessions, throttle, passwords, read-only.

Both backends.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from app import create_app
from app.services.accounts import set_password
from app.storage import passwords
from tests.conftest import OPEN_DATA_DIR
from tests.web.helpers import PASSWORDS, _csrf, _login


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "/\x01/evil.example",
                                    "https://evil.example/", "/\t/evil.example", "javascript:alert(1)"])
def test_10_sign_in_redirects_only_within_the_site(world, target):
    client = world.app.test_client()
    answer = client.post("/login", data={"username": "kokubunji", "password": PASSWORDS["kokubunji"],
                                         "csrf_token": _csrf(client), "next": target})
    assert answer.status_code == 302 and answer.headers["Location"] == "/workspace"
    ok = world.app.test_client()
    good = ok.post("/login", data={"username": "kokubunji", "password": PASSWORDS["kokubunji"],
                                   "csrf_token": _csrf(ok), "next": "/workspace/upload"})
    assert good.headers["Location"] == "/workspace/upload"


def test_11_exports_and_change_logs_defuse_formulas(world):
    client = _login(world.app, "kokubunji")
    for name in ("=HYPERLINK(\"http://evil\")", "+1+2", "@SUM(A1)"):
        assert client.post("/workspace/resources/new", data={
            "csrf_token": _csrf(client, "/workspace"), "kind": "salon", "city_code": "13214", "name": name,
            "lat": "35.70", "lon": "139.48"}).status_code == 302
    export = world.app.test_client().get("/api/v1/export/salon.csv").data.decode("utf-8-sig")
    log = client.get("/workspace/changes?city=13214&format=csv").data.decode("utf-8-sig")
    for body in (export, log):
        cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "-", "\t")], "a spreadsheet would run these"
        assert "'+1+2" in cells or any(c.startswith("'") and "+1+2" in c for c in cells)
    assert "'=HYPERLINK(\"http://evil\")" in [c for row in csv.reader(io.StringIO(export)) for c in row]


def test_12_unknown_users_take_as_long_as_wrong_passwords(world, monkeypatch):
    class Spy:
        """Counts Argon2 verifications (the slow part of a sign-in)."""

        def __init__(self, real):
            self.real, self.hashes = real, []

        def verify(self, stored, password):
            self.hashes.append(stored)
            return self.real.verify(stored, password)

    spy = Spy(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", spy)
    client = world.app.test_client()
    for name in ("nobody-here", "kokubunji"):
        client.post("/login", data={"username": name, "password": "wrong-password-x", "csrf_token": _csrf(client)})
    assert len(spy.hashes) == 2 and spy.hashes[0] == passwords._DUMMY  # one Argon2 verification either way


def test_13_security_headers_and_nonces(world):
    page = world.app.test_client().get("/?city=13214")
    policy = page.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "frame-ancestors 'none'" in policy and "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    html = page.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    for path in ("/", "/api/v1/layers", "/login", "/ogcapi"):
        headers = world.app.test_client().get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def _copy(app, client):
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


@pytest.mark.parametrize("how", ["logout", "disable", "password"])
def test_14_signing_out_disabling_or_a_new_password_ends_every_session(world, how):
    client = _login(world.app, "kokubunji")
    copy = _copy(world.app, client)  # the same session on another device
    assert copy.get("/workspace").status_code == 200
    if how == "logout":
        client.post("/logout", data={"csrf_token": _csrf(client, "/workspace")})
    elif how == "disable":
        world.accounts.update_user("kokubunji", active=False)
    else:
        set_password(world.accounts, "kokubunji", "a brand new passphrase for tests")
    refused = copy.get("/workspace")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]


def test_15_one_throttle_for_every_worker(world):
    url = world.app.config["DATABASE_URL"]
    other = create_app({"DATABASE_URL": url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR), "TESTING": True,
                        "SECRET_KEY": world.app.config["SECRET_KEY"]})
    codes = []
    for app in (world.app, other, world.app, other, world.app, other):
        client = app.test_client()
        codes.append(client.post("/login", data={"username": "admin", "password": "nope",
                                                 "csrf_token": _csrf(client)}).status_code)
    assert codes == [401] * 5 + [429]
    other.extensions["repository"].engine.dispose()


def test_16_weak_passwords_and_unknown_cities_are_refused(world):
    runner = world.app.test_cli_runner()
    weak = runner.invoke(args=["users", "add", "sato", "--role", "coordinator", "--city", "13214",
                               "--password", "aaaaaaaaaa"])
    assert weak.exit_code == 1 and "too easy to guess" in weak.output
    unknown = runner.invoke(args=["users", "add", "sato", "--role", "coordinator", "--city", "99999",
                                  "--password", "correct horse battery staple 42"])
    assert unknown.exit_code == 1 and "unknown city 99999" in unknown.output
    good = runner.invoke(args=["users", "add", "sato", "--role", "coordinator", "--city", "13214",
                               "--password", "correct horse battery staple 42"])
    assert good.exit_code == 0, good.output


def _read_only(app) -> None:
    """Make every new connection of the app read-only, as a read-only disk or replica would."""
    engine = app.extensions["repository"].engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, record: conn.execute("PRAGMA query_only = 1"))
    else:
        database = make_url(app.config["DATABASE_URL"]).database
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on'))
    engine.dispose()


def test_17_a_read_only_database_keeps_reads_and_says_why_writes_fail(world):
    token = world.accounts.issue_token("kokubunji")
    _read_only(world.app)
    try:
        client, auth = world.app.test_client(), {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/resources?kind=shelter").status_code == 200
        assert client.get("/api/v1/resources?kind=vacant_house", headers=auth).status_code == 200
        write = client.post("/api/v1/resources", headers=auth, json={"kind": "salon", "city_code": "13214",
                                                                     "name": "書けない", "lat": "35.7",
                                                                     "lon": "139.48"})
        assert write.status_code == 503 and "cannot be written" in write.get_json()["error"]
    finally:
        engine = world.app.extensions["repository"].engine
        if engine.dialect.name == "postgresql":
            database = make_url(world.app.config["DATABASE_URL"]).database
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("SET default_transaction_read_only = off"))
                conn.execute(text(f'ALTER DATABASE "{database}" SET default_transaction_read_only = off'))


def test_18_api_refusals_are_json(world):
    client = world.app.test_client()
    anonymous = client.post("/api/v1/resources", json={"name": "x"})
    assert anonymous.status_code == 401 and "error" in anonymous.get_json()
    other = world.accounts.issue_token("koganei")
    forbidden = client.post("/api/v1/resources", headers={"Authorization": f"Bearer {other}"},
                            json={"kind": "salon", "city_code": "13214", "name": "x"})
    assert forbidden.status_code == 403 and forbidden.is_json
    assert client.delete("/api/v1/resources/1").status_code == 401


def test_the_map_may_be_framed_only_by_the_sites_a_council_names(tmp_path):
    from app import create_app
    from app.config import ConfigError
    from tests.conftest import OPEN_DATA_DIR

    base = {"DATABASE_URL": f"sqlite:///{tmp_path / 'e.db'}", "OPEN_DATA_DIR": str(OPEN_DATA_DIR),
            "INSTANCE_DIR": str(tmp_path), "TESTING": True}
    closed = create_app(base).test_client()
    for path in ("/", "/embed"):
        answer = closed.get(path)
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"], path
        assert answer.headers["X-Frame-Options"] == "DENY"
    council = "https://www.city.example.lg.jp"
    opened = create_app({**base, "EMBED_ORIGINS": f"{council}, http://localhost:8080"}).test_client()
    framed = opened.get("/embed?city=13214")
    assert framed.status_code == 200 and "X-Frame-Options" not in framed.headers
    assert f"frame-ancestors {council} http://localhost:8080" in framed.headers["Content-Security-Policy"]
    assert 'target="_blank"' in framed.get_data(as_text=True)  # the full map opens outside the frame
    assert "frame-ancestors 'none'" in opened.get("/").headers["Content-Security-Policy"]  # only /embed
    assert "frame-ancestors 'none'" in closed.get("/embed").headers["Content-Security-Policy"]  # per app
    for wrong in ("https://*.example.jp", "https://www.city.example.lg.jp/map", "ftp://x", "javascript:1"):
        with pytest.raises(ConfigError, match="EMBED_ORIGINS"):
            create_app({**base, "EMBED_ORIGINS": wrong})
