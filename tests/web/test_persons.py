"""The register of 避難行動要支援者 on both backends: consent, scope, counts, sealing, audit, withdrawal.

Every person here is made up (``helpers.PEOPLE``); their addresses are real 町丁目 so that they
place as a council's list would.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.domain.access import Viewer
from app.services import imports
from app.services import persons as register_use
from app.services.errors import ImportFailed
from app.storage.schema import audit_log, person_areas, person_reads, persons, safety_marks
from tests.conftest import TEST_KEY, open_data
from tests.web.helpers import (
    PEOPLE,
    PERSON_SECRETS,
    _csrf,
    _login,
    _names,
    add_people,
    app_with_key,
    people_csv,
)

ADMIN = Viewer("admin")
FIXTURE = {"id": None, "username": "fixture"}


@pytest.fixture
def people(world):
    return add_people(world)


def _count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def database_bytes(engine) -> bytes:
    """Everything the database holds as a dump would show it: the SpatiaLite files, or pg_dump's output."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        engine.dispose()  # so that the WAL is folded into the file
        path = Path(url.database)
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    plain = make_url(url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return subprocess.run(["pg_dump", "--no-owner", plain.render_as_string(hide_password=False)],
                          capture_output=True, check=True).stdout


def test_a_consented_list_is_registered_and_a_row_without_consent_refuses_the_file(people):
    engine = people.repo.engine
    assert _count(engine, persons) == len(PEOPLE)
    # Every person carries their 町丁目, and the district that holds its point.
    west = register_use.people(people.repo, people.app.extensions["register"], ADMIN, "list", FIXTURE)
    assert {p["chome_code"] for p in west} == {"13214:西町四丁目", "13214:本多一丁目"}
    assert all(any(k == "school_district" for k, _ in p["areas"]) for p in west)
    without = [{**PEOPLE[0], "氏名": "架空 三郎"}, {**PEOPLE[1], "氏名": "架空 四郎", "同意日": ""}]
    with people.app.app_context(), pytest.raises(ImportFailed) as refused:
        register_use.register_file(people.repo, people.app.extensions["register"],
                                   people.app.extensions["geocoder"].get(),
                                   people_csv(people.app, without, "no_consent.csv"), "13214", ADMIN, FIXTURE)
    [error] = refused.value.errors
    assert (error.file, error.row, error.column) == ("no_consent.csv", 3, "同意日")
    assert "consent" in error.message and "架空" not in str(error)  # the message never repeats a cell
    assert _count(engine, persons) == len(PEOPLE)  # nothing of the file was stored


def test_a_cp932_list_and_an_address_of_another_city(people, tmp_path):
    path = tmp_path / "sjis.csv"
    rows = [["氏名", "住所", "支援が必要なこと", "同意日"], ["架空 五郎", "国分寺市本多1-2-3", "歩行", "2026-05-01"],
            ["架空 六郎", "小金井市本町1-1-1", "歩行", "2026-05-01"]]
    path.write_bytes("".join(",".join(r) + "\r\n" for r in rows).encode("cp932"))
    register = people.app.extensions["register"]
    with people.app.app_context(), pytest.raises(ImportFailed) as refused:
        register_use.register_file(people.repo, register, people.app.extensions["geocoder"].get(), path,
                                   "13214", ADMIN, FIXTURE)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "住所")]
    path.write_bytes("".join(",".join(r) + "\r\n" for r in rows[:2]).encode("cp932"))
    with people.app.app_context():
        report = register_use.register_file(people.repo, register, people.app.extensions["geocoder"].get(), path,
                                            "13214", ADMIN, FIXTURE)
    assert report.stored == 1 and "encoding: cp932" in report.notes


def test_each_role_reads_exactly_its_people(people):
    app = people.app
    west, honda = _login(app, "supporter_west"), _login(app, "supporter_honda")
    assert _names(west) == {"架空 花子", "見本 次郎"}  # 西町四丁目
    assert _names(honda) == {"試験 太郎"}  # 本多一丁目
    assert _names(_login(app, "kokubunji")) == {p["氏名"] for p in PEOPLE}
    assert _names(_login(app, "admin")) == {p["氏名"] for p in PEOPLE}
    assert _names(_login(app, "koganei")) == set()  # a coordinator of another city
    public = app.test_client()
    assert public.get("/api/v1/persons").status_code == 401
    assert public.get("/persons").status_code == 302
    page = west.get("/persons").get_data(as_text=True)
    assert "架空 花子" in page and "試験 太郎" not in page and "分速30m" in page and 'id="reach"' in page
    taro = next(p for p in register_use.people(people.repo, app.extensions["register"], ADMIN, "list", FIXTURE)
                if p["name"] == "試験 太郎")
    assert west.get(f"/persons/{taro['id']}").status_code == 404  # the same answer as for no one
    assert honda.get(f"/persons/{taro['id']}").status_code == 200


def test_the_public_and_other_roles_get_only_thresholded_counts(people):
    app = people.app
    for client in (app.test_client(), _login(app, "koganei")):
        body = client.get("/api/v1/persons/counts?area_kind=chome").get_data(as_text=True)
        assert not [s for s in PERSON_SECRETS if s in body]
        assert "西町四丁目" not in body  # 2 people there, under the threshold of 3: not even named
        districts = client.get("/api/v1/persons/counts").get_json()["areas"]
        assert {d["status"] for d in districts if d["city_code"] == "13214"} == {"hidden"}
        assert {d["status"] for d in districts if d["city_code"] == "13210"} == {"no_register"}
    app.config["PRIVACY_THRESHOLD"] = 2
    shown = app.test_client().get("/api/v1/persons/counts?area_kind=chome").get_json()["areas"]
    assert [(a["area_name"], a["count"]) for a in shown] == [("西町四丁目", 5)]  # 2, rounded to a multiple of 5
    assert app.test_client().get("/api/v1/persons/counts?area_kind=nonsense").status_code == 400


def test_a_dump_of_the_database_shows_no_name_address_contact_or_key(people):
    dump = database_bytes(people.repo.engine)
    assert _count(people.repo.engine, persons) == len(PEOPLE)  # the dump saw the stored people
    for secret in [*PERSON_SECRETS, "かくう", TEST_KEY]:
        assert secret.encode("utf-8") not in dump, secret


def test_every_read_of_a_person_is_audited_and_only_admins_see_the_audit(people):
    app, engine = people.app, people.repo.engine
    west = _login(app, "supporter_west")
    before = _count(engine, person_reads)
    west.get("/persons")
    west.get("/api/v1/persons")
    west.get("/persons.pdf?layout=table")
    hanako = next(p["id"] for p in west.get("/api/v1/persons").get_json()["persons"] if p["name"] == "架空 花子")
    west.get(f"/persons/{hanako}")
    with engine.connect() as conn:
        rows = conn.execute(select(person_reads.c.username, person_reads.c.purpose, person_reads.c.person_id)
                            .order_by(person_reads.c.id).offset(before)).all()
    assert [r.purpose for r in rows] == ["list"] * 2 + ["api"] * 2 + ["print"] * 2 + ["api"] * 2 + ["plan"]
    assert {r.username for r in rows} == {"supporter_west"} and rows[-1].person_id == hanako
    assert west.get("/persons/reads").status_code == 403
    assert _login(app, "kokubunji").get("/persons/reads").status_code == 403
    audit_page = _login(app, "admin").get("/persons/reads").get_data(as_text=True)
    assert "supporter_west" in audit_page and f"#{hanako}" in audit_page


def test_withdrawal_leaves_no_personal_field(people):
    app, engine = people.app, people.repo.engine
    coordinator = _login(app, "kokubunji")
    hanako = next(p["id"] for p in coordinator.get("/api/v1/persons").get_json()["persons"]
                  if p["name"] == "架空 花子")
    with engine.connect() as conn:
        sealed = conn.execute(select(persons.c.sealed).where(persons.c.id == hanako)).scalar_one()
    assert _login(app, "supporter_west").post(f"/persons/{hanako}/withdraw", data={
        "csrf_token": _csrf(coordinator, "/persons")}).status_code in (302, 400, 403, 404)
    # Another city's coordinator learns nothing: a registered id answers as a missing one does.
    other = _login(app, "koganei")
    token = _csrf(other, "/workspace")
    assert other.post(f"/persons/{hanako}/withdraw", data={"csrf_token": token}).status_code == \
        other.post("/persons/999999/withdraw", data={"csrf_token": token}).status_code
    response = coordinator.post(f"/persons/{hanako}/withdraw", data={"csrf_token": _csrf(coordinator, "/persons")})
    assert response.status_code == 302
    assert _names(coordinator) == {"試験 太郎", "見本 次郎"}
    assert _count(engine, person_areas, person_areas.c.person_id == hanako) == 0
    with engine.connect() as conn:
        [summary] = conn.execute(select(audit_log.c.summary).where(audit_log.c.action == "withdraw")).scalars()
    assert summary.endswith("3 → 2") and str(hanako) not in summary
    dump = database_bytes(engine)
    assert bytes(sealed) not in dump  # not even the sealed record is left in a free page
    assert bytes(sealed) not in table_file_bytes(engine, "persons")  # nor as a dead row in the table's file


def table_file_bytes(engine, table: str) -> bytes:
    """The bytes of a table's own file (PostgreSQL: the relation file; SQLite: the database file)."""
    from sqlalchemy import text as sql

    if engine.dialect.name == "sqlite":
        return database_bytes(engine)
    with engine.connect() as conn:
        conn.execute(sql("CHECKPOINT"))  # dirty pages out to the file
        folder = conn.execute(sql("SHOW data_directory")).scalar()
        relative = conn.execute(sql("SELECT pg_relation_filepath(:t)"), {"t": table}).scalar()
    return b"".join(p.read_bytes() for p in sorted(Path(folder).glob(f"{relative}*")))


def test_an_events_board_counts_the_marks_and_supporters_mark_only_their_people(people):
    app = people.app
    coordinator, west, honda = (_login(app, u) for u in ("kokubunji", "supporter_west", "supporter_honda"))
    opened = coordinator.post("/safety", data={"title": "令和8年 地震（訓練）", "city_code": "13214",
                                               "csrf_token": _csrf(coordinator, "/safety")})
    assert opened.status_code == 302
    event = int(opened.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    ids = {p["name"]: p["id"] for p in coordinator.get("/api/v1/persons").get_json()["persons"]}
    token = _csrf(west, f"/safety/{event}")
    for name, status in (("架空 花子", "safe"), ("見本 次郎", "needs_help"), ("架空 花子", "moved")):
        assert west.post(f"/safety/{event}/marks", data={"person_id": ids[name], "status": status,
                                                          "csrf_token": token}).status_code == 302
    assert west.post(f"/safety/{event}/marks", data={"person_id": ids["試験 太郎"], "status": "safe",
                                                      "csrf_token": token}).status_code == 403
    board = coordinator.get(f"/safety/{event}").get_data(as_text=True)
    assert "未確認の方 / Not yet confirmed (1)" in board and "試験 太郎" in board
    assert "支援者がいない" not in board  # 本多一丁目 has its supporter
    # The unconfirmed come first, with a number to call; 未確認 is an undo, apart from the marks.
    sections = re.findall(r'<section id="person-(\d+)" class="mark" data-status="(\w+)">(.*?)</section>', board, re.S)
    assert sections[0][1] == "unconfirmed" and int(sections[0][0]) == ids["試験 太郎"]
    assert 'href="tel:00000000002"' in sections[0][2] and 'value="unconfirmed"' not in sections[0][2]
    assert 'class="fm-undo"' in sections[1][2]
    with app.app_context():
        from app.services import safety

        found = safety.board(people.repo, app.extensions["register"], app.extensions["safety"],
                             Viewer("coordinator", ("13214",)), event, FIXTURE)
    assert dict(found["totals"]) == {"moved": 1, "needs_help": 1, "unconfirmed": 1}
    assert _count(people.repo.engine, safety_marks) == 3
    honda_board = honda.get(f"/safety/{event}").get_data(as_text=True)
    assert "試験 太郎" in honda_board and "架空 花子" not in honda_board
    assert _login(app, "koganei").get(f"/safety/{event}").status_code == 403
    people.accounts.update_user("supporter_honda", active=False)  # 本多一丁目 loses its supporter
    board = coordinator.get(f"/safety/{event}").get_data(as_text=True)
    uncovered = board[board.index("支援者がいない未確認の方"):board.index("未確認の方 / Not yet")]
    assert "(1)" in uncovered and "試験 太郎" in uncovered and "見本 次郎" not in uncovered
    coordinator.post(f"/safety/{event}/close", data={"csrf_token": _csrf(coordinator, f"/safety/{event}")})
    west.post(f"/safety/{event}/marks", data={"person_id": ids["架空 花子"], "status": "safe", "csrf_token": token})
    assert _count(people.repo.engine, safety_marks) == 3  # closed: no more marks


def test_the_supporters_list_prints_offline(people):
    west = _login(people.app, "supporter_west")
    for layout in ("table", "pages"):
        response = west.get(f"/persons.pdf?layout={layout}")
        assert response.status_code == 200 and response.content_type == "application/pdf"
        text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,
                              check=True).stdout.decode()
        assert "架空 花子" in text and "見本 次郎" in text and "試験 太郎" not in text
    pages = subprocess.run(["pdfinfo", "-"], input=west.get("/persons.pdf?layout=pages").data,
                           capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Pages:\s+(\d+)$", pages, re.M).group(1) == "2", pages  # a sheet per person


def test_a_plan_says_its_pace_and_keeps_the_reason_for_another_shelter(people):
    app = people.app
    coordinator = _login(app, "kokubunji")
    ids = {p["name"]: p["id"] for p in coordinator.get("/api/v1/persons").get_json()["persons"]}
    page = coordinator.get(f"/persons/{ids['架空 花子']}").get_data(as_text=True)
    assert "分速30m" in page and "車いす" in page and "架空 一郎" in page and "supporter_west" in page
    other = coordinator.get(f"/persons/{ids['試験 太郎']}").get_data(as_text=True)
    assert "分速43m" in other
    shelter = people.repo.find_resources(kinds=["shelter"], city="13214", limit=1)[0]
    coordinator.post(f"/persons/{ids['架空 花子']}/destination", data={
        "resource_id": shelter["id"], "reason": "段差のない入口", "csrf_token": _csrf(coordinator, "/persons")})
    page = coordinator.get(f"/persons/{ids['架空 花子']}").get_data(as_text=True)
    assert "段差のない入口" in page and shelter["name"] in page


def test_a_chosen_shelter_survives_a_new_import_of_its_list(people):
    """The plan keeps the place by its identity in the list (共通ID, site, name), not its row id."""
    app, repo = people.app, people.repo
    coordinator = _login(app, "kokubunji")
    ids = {p["name"]: p["id"] for p in coordinator.get("/api/v1/persons").get_json()["persons"]}
    shelter = repo.find_resources(kinds=["shelter"], city="13214", limit=1)[0]
    coordinator.post(f"/persons/{ids['架空 花子']}/destination", data={
        "resource_id": shelter["id"], "reason": "段差のない入口", "csrf_token": _csrf(coordinator, "/persons")})
    imports.import_shelters(repo, open_data("shelters/gsi/evacuation_132144.json"))  # every row id anew
    assert not repo.find_resources(ids=[shelter["id"]], limit=1)
    page = coordinator.get(f"/persons/{ids['架空 花子']}").get_data(as_text=True)
    assert "段差のない入口" in page and shelter["name"] in page and "今の一覧にありません" not in page
    listed = coordinator.get("/persons").get_data(as_text=True)
    assert shelter["name"] in listed


def test_without_a_key_nothing_personal_is_stored_or_shown(people, tmp_path):
    from app import create_app

    closed = create_app({"DATABASE_URL": people.repo.engine.url.render_as_string(hide_password=False),
                         "OPEN_DATA_DIR": people.app.config["OPEN_DATA_DIR"], "TESTING": True,
                         "INSTANCE_DIR": str(tmp_path / "closed"), "PERSONAL_DATA_KEY": ""})
    response = _login(closed, "kokubunji").get("/api/v1/persons")
    assert response.status_code == 503 and "fureai persons new-key" in response.get_json()["error"]
    result = closed.test_cli_runner().invoke(args=["persons", "import", str(people_csv(people.app, PEOPLE)),
                                                   "--city", "13214"])
    assert result.exit_code == 1 and "PERSONAL_DATA_KEY" in result.output
    assert _count(people.repo.engine, persons) == len(PEOPLE)
    closed.extensions["repository"].engine.dispose()


def test_rotate_key_reseals_every_record(people, tmp_path):
    from app.storage.sealing import new_key

    fresh = new_key()

    def app_with(key):
        return app_with_key(people.app, key, tmp_path / "k")

    result = app_with(f"{fresh},{TEST_KEY}").test_cli_runner().invoke(args=["persons", "rotate-key"])
    assert result.exit_code == 0 and f"re-sealed {len(PEOPLE)} registered people" in result.output
    assert _names(_login(app_with(fresh), "kokubunji")) == {p["氏名"] for p in PEOPLE}
    assert _login(app_with(TEST_KEY), "kokubunji").get("/api/v1/persons").status_code == 503


def test_beyond_reach_counts_who_cannot_reach_a_welfare_shelter_at_their_pace():
    district = ("school_district", "13214:架空小学校")
    rows = [{"areas": [district], "destination": {"walk_minutes": m}} for m in (10.0, 15.0, 15.1)]
    rows.append({"areas": [district], "destination": None})  # no welfare shelter found at all
    rows.append({"areas": [], "destination": {"walk_minutes": 40.0}})
    assert register_use.beyond_reach(rows, 15.0) == [
        {"district": "小学校区不明", "registered": 1, "beyond": 1},
        {"district": "架空小学校", "registered": 4, "beyond": 2}]


def test_the_command_line_adds_supporters_and_runs_an_event(people):
    runner = people.app.test_cli_runner()
    bad = runner.invoke(args=["users", "add", "minsei_x", "--role", "supporter", "--city", "13214",
                              "--area", "架空町九丁目", "--password", "kind-orange-lantern-77"])
    assert bad.exit_code == 1 and "neither an area" in bad.output
    assert people.accounts.user(username="minsei_x") is None  # nothing half-made
    added = runner.invoke(args=["users", "add", "minsei_x", "--role", "supporter", "--city", "13214",
                                "--area", "本多一丁目", "--password", "kind-orange-lantern-77"])
    assert added.exit_code == 0, added.output
    assert people.accounts.user(username="minsei_x")["areas"] == [("chome", "13214:本多一丁目")]
    moved = runner.invoke(args=["users", "set-areas", "minsei_x", "--area", "西町四丁目"])
    assert "minsei_x\tsupporter\t13214\tactive\t13214:西町四丁目" in runner.invoke(args=["users", "list"]).output
    assert moved.exit_code == 0 and _names(_login_as(people, "minsei_x")) == {"架空 花子", "見本 次郎"}
    opened = runner.invoke(args=["event", "open", "架空の訓練", "--city", "13214"])
    event = opened.output.split()[2].rstrip(":")
    board = runner.invoke(args=["event", "board", event])
    total = board.output.strip().splitlines()[-1].split("\t")
    assert total[:2] == ["計", str(len(PEOPLE))] and not [s for s in PERSON_SECRETS if s in board.output]
    assert runner.invoke(args=["event", "close", event]).exit_code == 0
    assert "closed" in runner.invoke(args=["event", "list"]).output


def _login_as(world, username: str):
    client = world.app.test_client()
    response = client.post("/login", data={"username": username, "password": "kind-orange-lantern-77",
                                           "csrf_token": _csrf(client)})
    assert response.status_code == 302
    return client


def test_one_person_is_entered_in_the_form_with_the_files_checks(people):
    coordinator = _login(people.app, "kokubunji")
    form = {**PEOPLE[1], "氏名": "架空 七子", "city_code": "13214", "csrf_token": _csrf(coordinator, "/persons/new")}
    refused = coordinator.post("/persons/new", data={**form, "同意日": ""})
    assert refused.status_code == 400 and "同意日" in refused.get_data(as_text=True)
    assert _count(people.repo.engine, persons) == len(PEOPLE)
    added = coordinator.post("/persons/new", data=form)
    assert added.status_code == 302 and "架空 七子" in _names(coordinator)
    other = _login(people.app, "koganei")  # a coordinator of 小金井 registers no one of 国分寺
    assert other.post("/persons/new", data={**form, "csrf_token": _csrf(other, "/safety")}).status_code == 403
