"""The ``fureai`` command line: summaries, exit codes, nothing stored on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests import source_counts
from tests.conftest import OPEN_DATA_DIR, ROOT, open_data
from tests.importers.helpers import write_csv


def _cities(runner):
    result = runner.invoke(args=["import", "boundaries", str(open_data(
        "boundaries/n03_2022_cities.geojson")), "--kind", "city", "--set", "N03"])
    assert result.exit_code == 0, result.output
    return result


def test_init_db(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "database ready" in result.output


def test_import_boundaries_prints_summary(runner):
    n = len(source_counts.cities())
    assert f"read {n}, stored {n}" in _cities(runner).output


def test_import_shelters_many_files_with_unavailable(runner, app):
    _cities(runner)
    files = [str(p) for p in sorted((OPEN_DATA_DIR / "shelters/gsi").glob("*_132039.json"))]
    result = runner.invoke(args=["import", "shelters", *files])
    assert result.exit_code == 0, result.output
    assert "emergency_132039.json: skipped" in result.output
    assert "evacuation_132039.json: shelter: read 20, stored 20" in result.output


def test_import_resources_reports_placement(runner, app, tmp_path):
    _cities(runner)
    path = write_csv(tmp_path / "salons.csv", [["名称", "住所"], ["サロン北町", "国分寺市北町3-2-13"],
                                               ["サロン不明", ""]])
    result = runner.invoke(args=["import", "resources", str(path), "--kind", "salon", "--city", "13214"])
    assert result.exit_code == 0, result.output
    assert "placed: chome_centroid 1, not_placed 1" in result.output
    assert "not placed: row 3 サロン不明" in result.output


def test_failed_import_exits_1_and_stores_nothing(runner, app, tmp_path):
    _cities(runner)
    path = write_csv(tmp_path / "bad.csv", [["名称", "緯度", "経度"], ["A", "139.4", "35.7"]])
    result = runner.invoke(args=["import", "resources", str(path), "--kind", "hub", "--city", "13214"])
    assert result.exit_code == 1
    assert "bad.csv, row 2" in result.output and "swapped" in result.output
    assert app.extensions["repository"].find_resources(kinds=["hub"], placed_only=False) == []


def test_import_population(runner, app):
    result = runner.invoke(args=["import", "population",
                                 str(open_data("population/estat_chome_2015_points.geojson"))])
    n = source_counts.chome_points()
    assert result.exit_code == 0 and f"read {n}, stored {n}" in result.output


def test_demo_if_missing_keeps_existing_database(runner, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "[1/" in first.output  # progress
    second = runner.invoke(args=["demo", "--if-missing"])
    assert "keeping it" in second.output
    listing = runner.invoke(args=["datasets"])
    assert "gsi:evacuation_132144" in listing.output and "国土地理院" in listing.output


def test_console_script_installed(tmp_path):
    """The real ``fureai`` entry point runs as a separate process."""
    exe = Path(sys.executable).parent / "fureai"
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "OPEN_DATA_DIR": str(OPEN_DATA_DIR),
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([str(exe), "init-db"], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "cli.db" in result.stdout


def test_serve_runs_the_production_server(tmp_path):
    """``fureai serve`` (gunicorn workers) answers on the port it was given."""
    import http.client
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "OPEN_DATA_DIR": str(OPEN_DATA_DIR),
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "fureai"), "serve", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                body = conn.getresponse().read().decode()
                break
            except OSError:
                assert time.time() < deadline, "server did not answer within 60 s"
                time.sleep(0.3)
        assert '"status":"ok"' in body.replace(" ", "")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_import_network(runner, app):
    import pyrosm

    done = runner.invoke(args=["import", "network", pyrosm.get_data("test_pbf"), "--name", "tiny"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("network tiny: ") and " nodes, " in done.output
    assert [n.name for n in app.extensions["networks"].stored()] == ["tiny"]
    missing = runner.invoke(args=["import", "network", "/nonexistent.osm.pbf"])
    assert missing.exit_code == 1 and "file not found" in missing.output


def test_import_capacity_matches_shelters_and_lists_the_rest(runner, app, tmp_path):
    _cities(runner)
    shelters = write_csv(tmp_path / "指定避難所_国分寺.csv", [
        ["NO", "共通ID", "施設・場所名", "住所", "緯度", "経度"],
        ["1", "X1", "架空第一小学校", "東京都国分寺市泉町1-1-1", "35.6985", "139.4740"]])
    assert runner.invoke(args=["import", "shelters", str(shelters)]).exit_code == 0
    capacity = write_csv(tmp_path / "収容人数.csv", [["施設名", "収容人数"], ["架空第一小学校", "480"],
                                                    ["架空の公民館", "60"]])
    refused = runner.invoke(args=["import", "capacity", str(capacity), "--city", "13214"])
    assert refused.exit_code == 1 and "収容人数.csv, row 3, column '施設名'" in refused.output
    done = runner.invoke(args=["import", "capacity", str(capacity), "--city", "13214", "--as-of", "2026-04",
                               "--skip-unmatched"])
    assert done.exit_code == 0, done.output
    assert "read 2, stored 1" in done.output and "not placed: 収容人数.csv, row 3" in done.output
    [stored] = app.extensions["repository"].site_capacities()
    assert (stored["name"], stored["capacity"], stored["as_of"]) == ("架空第一小学校", 480, "2026-04")
