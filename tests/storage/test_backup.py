"""Backup → restore yields the same rows, table by table, on both backends and across them."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services import imports
from app.storage import backup, integrity, migrate, restore
from app.storage.accounts import Accounts
from app.storage.engine import make_engine
from app.storage.passwords import hash_password
from app.storage.repository import Repository
from tests.conftest import _fresh_postgres, _postgres_database, open_data


def _small_world(repo: Repository) -> None:
    """Cities, one city's shelters and emergency sites, a user with a token, an audited edit."""
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    imports.import_shelters(repo, open_data("shelters/gsi/evacuation_132144.json"))
    imports.import_shelters(repo, open_data("shelters/gsi/emergency_132144.json"))
    imports.import_shelters(repo, open_data("shelters/gsi/emergency_132039.json"))  # the publisher's gap
    accounts = Accounts(repo.engine)
    accounts.add_user("架空の管理者", hash_password("a passphrase for backups"), "admin", [])
    accounts.issue_token("架空の管理者", "nightly")
    new = accounts.create({"kind": "salon", "name": "架空サロン", "address": "", "city_code": "13214",
                           "placement": "coordinates", "placement_detail": "", "restricted": True,
                           "lonlat": (139.48, 35.70), "attributes": {"notes": "バックアップ試験"}},
                          {"id": None, "username": "fixture"})
    accounts.update(new, {"name": "架空サロン（改名）"}, {"id": None, "username": "fixture"})


def _fresh_url(database_url, tmp_path, name: str) -> str:
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / name}"
    url = _postgres_database(f"_{name}")
    _fresh_postgres(url)
    return url


@pytest.mark.parametrize("fmt", ["native", "bundle"])
def test_backup_then_restore_gives_the_same_rows(repo, database_url, tmp_path, fmt):
    _small_world(repo)
    before = backup.table_rows(repo.engine)
    assert all(before[t] for t in ("datasets", "resources", "areas", "users", "api_tokens", "audit_log"))
    target = tmp_path / f"fureai.{fmt}"
    said = backup.backup(repo.engine, target, fmt)
    assert ("bundle" in said) == (fmt == "bundle")
    other = make_engine(_fresh_url(database_url, tmp_path, f"restored_{fmt}"))
    migrate.upgrade(other)  # as the app does on start: the schema, but no rows
    assert "restored" in restore.restore(other, target)
    assert backup.table_rows(other) == before
    assert migrate.status(other).ready and integrity.check(other).ok
    with pytest.raises(restore.BackupError, match="not empty"):
        restore.restore(other, target)
    assert "restored" in restore.restore(other, target, force=True)
    assert backup.table_rows(other) == before
    other.dispose()


def test_a_bundle_moves_between_backends(tmp_path):
    spatialite = make_engine(f"sqlite:///{tmp_path / 'embedded.db'}")
    migrate.upgrade(spatialite)
    _small_world(Repository(spatialite))
    backup.backup(spatialite, tmp_path / "move.zip", "bundle")
    postgis = make_engine(_fresh_url("postgresql", tmp_path, "moved"))
    migrate.upgrade(postgis)
    restore.restore(postgis, tmp_path / "move.zip")
    assert backup.table_rows(postgis) == backup.table_rows(spatialite)
    for engine in (spatialite, postgis):
        engine.dispose()


def test_check_finds_an_invalid_geometry(repo):
    _small_world(repo)
    report = integrity.check(repo.engine)
    assert report.ok and any("spatial index" in c or "foreign" in c or "orphan" in c or "valid" in c
                             for c in report.checked)
    bowtie = "MULTIPOLYGON(((139.40 35.70, 139.41 35.71, 139.41 35.70, 139.40 35.71, 139.40 35.70)))"
    with repo.engine.begin() as conn:
        conn.execute(text("UPDATE areas SET geom = ST_GeomFromText(:wkt, 4326) WHERE id = "
                          "(SELECT min(id) FROM areas)"), {"wkt": bowtie})
    report = integrity.check(repo.engine)
    assert not report.ok and "invalid geometries in areas.geom" in " ".join(report.problems)


def test_the_command_line(runner, app, tmp_path):
    _small_world(app.extensions["repository"])
    made = runner.invoke(args=["db", "backup", str(tmp_path / "cli.bak")])
    assert made.exit_code == 0 and "→" in made.output
    assert runner.invoke(args=["db", "check"]).output.strip().endswith("database is sound")
    refused = runner.invoke(args=["db", "restore", str(tmp_path / "cli.bak")])
    assert refused.exit_code == 1 and "--force" in refused.output
    (tmp_path / "junk.bak").write_bytes(b"not a backup")
    junk = runner.invoke(args=["db", "restore", str(tmp_path / "junk.bak"), "--force"])
    assert junk.exit_code == 1 and "not a backup of this product" in junk.output


def _bundle_with_a_bad_row(good, bad):
    """``good`` (a bundle) again as ``bad``, its last user given a row that no database takes."""
    import json
    import zipfile

    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "users.jsonl":
                rows = [json.loads(line) for line in data.decode().splitlines()]
                rows.append({**rows[-1], "id": rows[-1]["id"]})  # the same id twice: the insert fails
                data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
            target.writestr(name, data)


def test_a_restore_that_fails_leaves_the_database_as_it_was(repo, tmp_path):
    """One bad row: nothing dropped, nothing changed, and no password hash in the message."""
    _small_world(repo)
    before = backup.table_rows(repo.engine)
    backup.backup(repo.engine, tmp_path / "good.zip", "bundle")
    _bundle_with_a_bad_row(tmp_path / "good.zip", tmp_path / "bad.zip")
    with pytest.raises(restore.BackupError) as failed:
        restore.restore(repo.engine, tmp_path / "bad.zip", force=True)
    assert "nothing was changed" in str(failed.value)
    hashes = [u["password_hash"] for u in before["users"]]
    assert hashes and not any(h in str(failed.value) for h in hashes)
    assert backup.table_rows(repo.engine) == before
    if repo.engine.dialect.name == "sqlite":  # the staging file is gone whatever happened
        assert not list(tmp_path.glob("*.restoring*"))
    (tmp_path / "torn.zip").write_bytes((tmp_path / "good.zip").read_bytes()[:200])
    with pytest.raises(restore.BackupError, match="not a readable bundle"):
        restore.restore(repo.engine, tmp_path / "torn.zip", force=True)
    assert backup.table_rows(repo.engine) == before


@pytest.mark.parametrize("fmt", ["native", "bundle"])
def test_backups_are_for_their_owner_only(repo, tmp_path, fmt):
    _small_world(repo)
    target = tmp_path / f"private.{fmt}"
    backup.backup(repo.engine, target, fmt)
    assert target.stat().st_mode & 0o777 == 0o600
