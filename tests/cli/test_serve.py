"""``fureai serve`` preloads the app and forks its workers: each must answer from its own connections."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import source_counts
from tests.conftest import OPEN_DATA_DIR, ROOT, open_data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def _serve(database_url: str, *options: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {"DATABASE_URL": database_url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "fureai"), "serve", "--port", str(port),
                             "--workers", "2", *options], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while True:
        try:
            if _get(port, "/healthz")[0] == 200:
                return proc, port
        except OSError:
            assert time.time() < deadline, "the server did not answer within 60 s"
            time.sleep(0.3)


@pytest.mark.parametrize("options", [(), ("--no-preload",)], ids=["preload", "no-preload"])
def test_workers_answer_concurrently_from_their_own_connections(runner, database_url, options):
    """Many requests at once over two forked workers: every answer whole and right, on both backends.

    A preloaded app's pooled connection inherited by both workers would interleave their
    conversations with the database (PostgreSQL) or share one file handle (SQLite).
    """
    done = runner.invoke(args=["import", "boundaries", str(open_data("boundaries/n03_2022_cities.geojson")),
                               "--kind", "city", "--set", "N03"])
    assert done.exit_code == 0, done.output
    proc, port = _serve(database_url, *options)
    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: _get(port, "/api/v1/areas?kind=city&limit=100"), range(64)))
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    cities = len(source_counts.cities())
    assert [status for status, _ in answers] == [200] * 64
    assert {len(body["features"]) for _, body in answers} == {cities}
    assert output.count("Booting worker") == 2, output
    assert "Traceback" not in output, output


# What a preloaded master holds, printed by a fresh interpreter (this one has loaded everything).
MASTER_MODULES = """
import sys
from app import create_app
from app.cli.serve import warm
app = create_app()
warm(app)
client = app.test_client()
for path in ("/api/v1/resources?kind=shelter&bbox=139.4,35.6,139.7,35.8", "/ogcapi/collections/shelter/items"):
    assert client.get(path).status_code == 200, path
print(" ".join(sorted(m for m in ("pyogrio", "qrcode", "zxcvbn") if m in sys.modules)))
"""


def test_serving_loads_no_library_only_rare_requests_need(runner, database_url):
    """GDAL (PostGIS), QR codes and password scoring are loaded on first use, not by every server.

    They are 45, 4 and 13 MB that a preloaded master would otherwise hold for every worker
    (scripts/bench_pygeoapi.py). SpatiaLite must load GDAL before itself (storage/engine.py).
    """
    for args in (["boundaries", str(open_data("boundaries/n03_2022_cities.geojson")), "--kind", "city",
                  "--set", "N03"], ["shelters", str(open_data("shelters/gsi/evacuation_132292.json"))]):
        done = runner.invoke(args=["import", *args])
        assert done.exit_code == 0, done.output
    env = {"DATABASE_URL": database_url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", MASTER_MODULES], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == (["pyogrio"] if database_url.startswith("sqlite") else [])
