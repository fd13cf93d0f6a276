"""「自分の避難場所を知ろう」 on both backends: the round, its sheets, answers three ways, tallies, report.

The area is two real 町丁目 of 国分寺; every answer is made up by the test.
"""

from __future__ import annotations

import re
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

from app.domain.access import Viewer
from app.domain.survey import HELP_KINDS, MAX_PEOPLE, QUESTIONS
from app.services import survey as survey_use
from app.services import survey_report as report_use
from app.services.errors import ImportFailed
from app.storage.schema import TALLY_COLUMNS
from app.web.i18n import catalog
from tests.web.helpers import SURVEY_AREA, SURVEY_SECRET, _csrf, _login, add_survey

ANSWER = {"knows": "yes", "alone": "yes", "needs_help": "no", "people": "3"}
TOWNS = SURVEY_AREA.split(":")[1].split(",")


@pytest.fixture
def surveyed(world):
    add_survey(world)
    world.book = world.app.extensions["surveys"]
    return world


def _pdf_text(body: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


def test_every_stored_tally_column_is_counted():
    assert set(report_use.COUNT_KEYS) == set(TALLY_COLUMNS)


def test_a_coordinator_picks_the_area_by_name_never_typing_a_code(world):
    """The form lists the city's districts by name and its 町丁目 to tick; nothing of another city."""
    coordinator = _login(world.app, "kokubunji")
    page = coordinator.get("/workspace/surveys").get_data(as_text=True)
    district = world.repo.areas_frame(kind="school_district", city="13214").sort_values("name").iloc[0]
    assert f'value="school_district|{district.code}">{district["name"]}（国分寺市）' in page
    assert all(f'value="13214:{town}"' in page for town in TOWNS) and "13210:" not in page
    assert "school_district</option>" not in page  # area kinds read as words: 小学校区
    token = _csrf(coordinator, "/workspace/surveys")
    ticked = coordinator.post("/workspace/surveys", data={
        "csrf_token": token, "area": "chome", "chome": [f"13214:{town}" for town in TOWNS], "hazard": "flood",
        "households_per_chome": "2"})
    assert ticked.status_code == 302 and "/workspace/surveys/" in ticked.headers["Location"]
    made = world.app.extensions["surveys"].surveys()[0]
    assert (made["area_kind"], made["area_code"]) == ("chome", SURVEY_AREA)
    picked = coordinator.post("/workspace/surveys", data={
        "csrf_token": token, "area": f"school_district|{district.code}", "hazard": "flood",
        "households_per_chome": "1"})
    assert picked.status_code == 302
    assert world.app.extensions["surveys"].surveys()[0]["area_name"] == district["name"]
    for refused in ({"area": "chome", "chome": ["13214:" + TOWNS[0], "13210:本町一丁目"]}, {"area": ""}):
        before = len(world.app.extensions["surveys"].surveys())
        answer = coordinator.post("/workspace/surveys", data={"csrf_token": token, "hazard": "flood",
                                                              "households_per_chome": "1", **refused},
                                  follow_redirects=True)
        assert "作れませんでした" in answer.get_data(as_text=True)
        assert len(world.app.extensions["surveys"].surveys()) == before


def test_the_command_line_makes_the_round_and_prints_its_sheets(world, tmp_path):
    runner = world.app.test_cli_runner()
    made = runner.invoke(args=["survey", "create", "--area-kind", "chome", "--area", SURVEY_AREA,
                               "--hazard", "flood", "--households-per-chome", "3"])
    assert made.exit_code == 0, made.output
    survey_id = made.output.strip()
    out = tmp_path / "sheets.pdf"
    printed = runner.invoke(args=["survey", "sheets", survey_id, "--out", str(out)])
    assert printed.exit_code == 0 and f"wrote {3 * len(TOWNS)} sheets" in printed.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(3 * len(TOWNS))
    text = _pdf_text(out.read_bytes())
    assert all(town in text for town in TOWNS) and "避難場所を知っていますか" in text and "指定避難所" in text
    codes = {s["code"] for s in world.app.extensions["surveys"].sheets(int(survey_id))}
    assert len(codes) == 3 * len(TOWNS) and all(f"{c[:4]}-{c[4:]}" in text for c in codes)
    easy = tmp_path / "easy.pdf"
    runner.invoke(args=["survey", "sheets", survey_id, "--out", str(easy), "--easy"])
    assert "にげる ばしょ" in _pdf_text(easy.read_bytes())
    bad = runner.invoke(args=["survey", "create", "--area-kind", "chome", "--area", "13214:架空町一丁目",
                              "--hazard", "flood"])
    assert bad.exit_code == 1 and "架空町一丁目" in bad.output
    assert "chome" not in runner.invoke(args=["survey", "list"]).output.split("\t")[0]


def test_the_qr_form_takes_one_answer_per_code_and_corrects_it(surveyed):
    client = surveyed.app.test_client()
    code = surveyed.book.sheets(surveyed.survey)[1]["code"]
    page = client.get(f"/s/{code}")
    assert page.status_code == 200 and surveyed.book.sheet(code)["chome"] in page.get_data(as_text=True)
    token = _csrf(client, f"/s/{code}")
    assert client.post(f"/s/{code}", data=ANSWER).status_code == 400  # no CSRF token
    wrong = client.post(f"/s/{code}", data={**ANSWER, "knows": "", "csrf_token": token})
    assert wrong.status_code == 400 and "避難場所を知っていますか" in wrong.get_data(as_text=True)
    assert client.post(f"/s/{code}", data={**ANSWER, "csrf_token": token}).status_code == 200
    again = client.get(f"/s/{code}").get_data(as_text=True)
    assert "届いています" in again and 'value="yes" required checked' in again
    corrected = client.post(f"/s/{code}", data={**ANSWER, "knows": "no", "csrf_token": token})
    assert "答えを直しました" in corrected.get_data(as_text=True)
    answers = [a for a in surveyed.book.answers(surveyed.survey) if a["code"] == code]
    assert [(a["knows"], a["people"]) for a in answers] == [("no", 3)]  # one answer, corrected
    assert client.get("/s/ZZZZZZZZ").status_code == 404
    assert client.get(f"/s?code={code[:4]}-{code[4:].lower()}").headers["Location"].endswith(f"/s/{code}")


def test_every_question_choice_and_kind_of_help_has_its_words_in_the_catalogs():
    """The form takes its labels from the catalogs by the domain's keys: none may be missing."""
    keys = {f"survey_q_{k}" for k in QUESTIONS} | {f"survey_help_{k}" for k in HELP_KINDS} | {
        f"survey_choice_{v}" for _, choices in QUESTIONS.values() for v in choices} | {
        f"survey_error_{k}" for k in (*QUESTIONS, "help_kinds", "people", "busy")}
    for lang in ("ja", "en"):
        assert keys <= set(catalog(lang)), lang


def test_the_qr_form_speaks_english_and_easy_japanese_too(surveyed):
    """A household reads the form, its refusals and its thanks in its language; the data stay as stored."""
    client = surveyed.app.test_client()
    sheet = surveyed.book.sheets(surveyed.survey)[1]
    english = client.get(f"/s/{sheet['code']}?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and sheet["chome"] in english
    assert "Do you know your evacuation place?" in english and ">Send</button>" in english
    assert "避難場所を知っていますか" not in english and "送る" not in english
    assert re.findall(r'class="lang-link" data-lang="([a-z-]+)"', english) == ["ja", "ja-easy"]
    token = _csrf(client, f"/s/{sheet['code']}?lang=en")
    refused = client.post(f"/s/{sheet['code']}", data={**ANSWER, "knows": "", "lang": "en", "csrf_token": token})
    assert refused.status_code == 400 and "Please answer question 1." in refused.get_data(as_text=True)
    many = client.post(f"/s/{sheet['code']}", data={**ANSWER, "people": "99", "lang": "en", "csrf_token": token})
    assert f"a whole number from 1 to {MAX_PEOPLE}" in many.get_data(as_text=True)
    sent = client.post(f"/s/{sheet['code']}", data={**ANSWER, "lang": "en", "csrf_token": token})
    assert sent.status_code == 200 and "Sent. Thank you." in sent.get_data(as_text=True)
    easy = client.get(f"/s/{sheet['code']}?lang=ja-easy").get_data(as_text=True)
    assert "とどいて います" in easy and "くるまいす" in easy
    assert "Know your shelter" in client.get("/s?lang=en").get_data(as_text=True)


def test_the_qr_form_is_throttled_per_address(surveyed, monkeypatch):
    from app.web import survey_form

    monkeypatch.setattr(survey_form, "PER_HOUR", 3)
    client = surveyed.app.test_client()
    code = surveyed.book.sheets(surveyed.survey)[1]["code"]
    token = _csrf(client, f"/s/{code}")  # looking counts too: one of the three
    statuses = [client.post(f"/s/{code}", data={**ANSWER, "csrf_token": token}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_paper_entry_and_a_tally_add_up_in_the_report(surveyed, tmp_path):
    mine = surveyed.survey
    answered = surveyed.book.sheet(surveyed.survey_code)["chome"]  # where the fixture's web answer is
    [paper_town] = [t for t in TOWNS if t != answered]
    coordinator = _login(surveyed.app, "kokubunji")
    token = _csrf(coordinator, f"/workspace/surveys/{mine}/entry")
    for knows in ("yes", "yes", "no"):
        saved = coordinator.post(f"/workspace/surveys/{mine}/entry", data={
            **ANSWER, "knows": knows, "chome": paper_town, "csrf_token": token})
        assert saved.status_code == 302
    outside = coordinator.post(f"/workspace/surveys/{mine}/entry", data={
        **ANSWER, "chome": "本多一丁目", "csrf_token": token})
    assert outside.status_code == 400 and "町丁目" in outside.get_data(as_text=True)
    other = add_survey(surveyed, per_chome=1)  # a code of another survey is refused here
    foreign = surveyed.book.sheets(other)[0]["code"]
    refused = coordinator.post(f"/workspace/surveys/{mine}/entry", data={
        **ANSWER, "code": foreign, "chome": TOWNS[0], "csrf_token": token})
    assert refused.status_code == 400 and "belongs to no sheet of this survey" in refused.get_data(as_text=True)
    tally = tmp_path / "tally.csv"
    tally.write_text(f"町丁目,回答数,知っている,知らない,助けが必要,車いす\n{answered},5,4,1,2,1\n",
                     encoding="utf-8")
    with surveyed.app.app_context():
        report = survey_use.import_tally(surveyed.book, surveyed.book.survey(mine), tally,
                                         Viewer("admin"), {"username": "t"})
    assert any("more than the 2 sheets printed" in n for n in report.notes)  # kept, and flagged
    per_chome = report_use.tallies(surveyed.book, surveyed.book.survey(mine))
    first, second = per_chome[answered], per_chome[paper_town]
    # The fixture's web answer (knows no, wheelchair) and the tally's five.
    assert (first.answers, first.counts["knows:yes"], first.counts["help:wheelchair"]) == (6, 4, 2)
    assert (second.answers, second.counts["knows:yes"], second.sheets) == (3, 2, 2)
    whole = report_use.total(per_chome)
    assert whole.answers == 9 and whole.sheets == 4 and round(whole.share("knows:yes"), 3) == round(6 / 9, 3)
    csv = coordinator.get(f"/workspace/surveys/{mine}/report.csv")
    assert csv.data.startswith(b"\xef\xbb\xbf") and "計 (area),4,9" in csv.data.decode("utf-8-sig")
    pdf = _pdf_text(coordinator.get(f"/workspace/surveys/{mine}/report.pdf").data)
    assert "紙上でシミュレーション" in pdf and answered in pdf and "避難場所を知っている世帯" in pdf  # the map page


def test_a_bad_tally_names_its_row_and_column_and_stores_nothing(surveyed, tmp_path):
    tally = tmp_path / "bad.csv"
    tally.write_text("町丁目,回答数,知っている,知らない\n本多一丁目,3,1,1\n" + f"{TOWNS[0]},2,2,1\n", encoding="utf-8")
    survey = surveyed.book.survey(surveyed.survey)
    with pytest.raises(ImportFailed) as refused:
        survey_use.import_tally(surveyed.book, survey, tally, Viewer("admin"), {"username": "t"})
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "町丁目"), (3, "知っている")]
    assert surveyed.book.tallies(surveyed.survey) == []


def test_tally_help_counts_above_those_who_need_help_are_refused(surveyed, tmp_path):
    """Found by the red team: a tally's kinds of help counted more often than the sheets needing help."""
    tally = tmp_path / "help.csv"
    tally.write_text(f"町丁目,回答数,助けが必要,車いす\n{TOWNS[0]},5,2,3\n{TOWNS[1]},4,4,4\n", encoding="utf-8")
    survey = surveyed.book.survey(surveyed.survey)
    with pytest.raises(ImportFailed) as refused:
        survey_use.import_tally(surveyed.book, survey, tally, Viewer("admin"), {"username": "t"})
    [error] = refused.value.errors
    assert (error.row, error.column) == (2, "車いす") and "助けが必要" in error.message
    no_column = tmp_path / "answers_only.csv"
    no_column.write_text(f"町丁目,回答数,車いす\n{TOWNS[0]},2,3\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="回答数"):
        survey_use.import_tally(surveyed.book, survey, no_column, Viewer("admin"), {"username": "t"})
    assert surveyed.book.tallies(surveyed.survey) == []


def test_free_text_is_for_the_citys_coordinators_and_the_public_sees_thresholded_shares(surveyed):
    app = surveyed.app
    public = app.test_client().get(f"/api/v1/surveys/{surveyed.survey}").get_json()
    assert {row["label"] for row in public["chome"]} == {"3未満"}  # one answer: below the threshold of 3
    assert SURVEY_SECRET not in str(public)
    # Whoever holds the sheet may correct its ticks, but never reads what the household wrote.
    sheet_page = app.test_client().get(f"/s/{surveyed.survey_code}").get_data(as_text=True)
    assert SURVEY_SECRET not in sheet_page and "前に書いた「その他」は表示しません" in sheet_page
    coordinator = _login(app, "kokubunji").get(f"/workspace/surveys/{surveyed.survey}").get_data(as_text=True)
    assert SURVEY_SECRET in coordinator and "★" in coordinator and coordinator.count("<svg") == 2
    assert _login(app, "koganei").get(f"/workspace/surveys/{surveyed.survey}").status_code == 403
    app.config["PRIVACY_THRESHOLD"] = 1
    shown = app.test_client().get(f"/api/v1/surveys/{surveyed.survey}").get_json()["chome"]
    answered = surveyed.book.sheet(surveyed.survey_code)["chome"]
    assert [(r["chome"], r["knows"]) for r in shown if r["status"] == "shown"] == [(answered, 0.0)]


def test_the_sealed_free_text_is_not_in_the_database(surveyed):
    from tests.web.test_persons import database_bytes

    assert SURVEY_SECRET.encode("utf-8") not in database_bytes(surveyed.repo.engine)


def test_a_household_fills_the_qr_form_on_a_phone(browser, surveyed):
    server = make_server("127.0.0.1", 0, surveyed.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    code = surveyed.book.sheets(surveyed.survey)[2]["code"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/s/{code}?lang=ja-easy")
        assert page.locator("h1").inner_text().startswith("じぶんの")
        page.get_by_label("はい").first.check()
        page.locator("input[name=alone][value=unsure]").check()
        page.locator("input[name=needs_help][value=yes]").check()
        page.get_by_label("くるまいす").check() if page.get_by_label("くるまいす").count() else \
            page.locator("input[name=help_kinds][value=wheelchair]").check()
        page.fill("input[name=people]", "2")
        page.get_by_role("button", name="おくる").click()
        page.wait_for_selector("text=おくりました")
    finally:
        context.close()
        server.shutdown()
    [stored] = [a for a in surveyed.book.answers(surveyed.survey) if a["code"] == code]
    assert (stored["knows"], stored["alone"], stored["help_kinds"], stored["people"]) == \
        ("yes", "unsure", ["wheelchair"], 2)


def test_a_survey_of_a_district_prints_its_shelters_and_flags_help_beyond_reach(world):
    """A demo-style school district (approximate, from 国分寺's schools): its 町丁目, sheets, simulation."""
    app, book = world.app, world.app.extensions["surveys"]
    [district] = [a["code"] for a in world.repo.areas_at(139.43462, 35.71376)  # 西町四丁目's point
                  if a["kind"] == "school_district"]
    with app.app_context():
        geocoder = app.extensions["geocoder"].get()
        survey_id = survey_use.create_survey(world.repo, book, geocoder, Viewer("admin"), "school_district",
                                             district, "flood", 1, {"username": "t"})
        survey = book.survey(survey_id)
        plans = survey_use.sheet_plans(world.repo, book, geocoder, survey)
    assert "西町四丁目" in survey["chome"] and len(plans) == len(survey["chome"])
    text = _pdf_text(_login(app, "kokubunji").get(f"/workspace/surveys/{survey_id}/sheets.pdf").data)
    assert all(p["shelter"]["name"] in text for p in plans if p["shelter"])  # each sheet names its shelter
    for town in survey["chome"]:
        code = next(s["code"] for s in book.sheets(survey_id) if s["chome"] == town)
        survey_use.submit(book, survey, {"knows": "no", "alone": "no", "needs_help": "yes",
                                         "help_kinds": ["walking"], "people": "1"}, "web",
                          {"username": "resident"}, code=code)
    with app.app_context():
        parts = report_use.report_parts(world.repo, world.accounts, app.extensions["register"], book,
                                        app.extensions["geocoder"].get(), survey)
    for row in parts["simulation"]:
        far = row["welfare"] is None or row["welfare"]["walk_minutes"] > 15
        assert row["needs_help"] == 1 and row["out_of_reach"] == far, row["chome"]
    page = _login(app, "kokubunji").get(f"/workspace/surveys/{survey_id}").get_data(as_text=True)
    assert page.count('class="warning"') == sum(r["out_of_reach"] for r in parts["simulation"])


def test_rotate_key_reseals_survey_free_text_and_db_check_sees_a_rotation_cut_short(surveyed, tmp_path):
    """Everything sealed moves to the new key, in a run that can be cut short and run again."""
    from app.storage import rekey
    from app.storage.sealing import new_key
    from tests.conftest import TEST_KEY
    from tests.web.helpers import app_with_key

    fresh = new_key()

    def app_with(key):
        return app_with_key(surveyed.app, key, tmp_path / "k")

    rotating = app_with(f"{fresh},{TEST_KEY}")
    check = rotating.test_cli_runner().invoke(args=["db", "check"])
    assert check.exit_code == 1 and "survey free-text answers are not sealed under the first key" in check.output
    done = rotating.test_cli_runner().invoke(args=["persons", "rotate-key"])
    assert done.exit_code == 0 and "re-sealed 1 survey free-text answers" in done.output, done.output
    again = rotating.test_cli_runner().invoke(args=["persons", "rotate-key"])
    assert "re-sealed 0 survey free-text answers" in again.output  # already done: a rerun finishes, no more
    assert rotating.test_cli_runner().invoke(args=["db", "check"]).exit_code == 0
    assert rekey.not_current(surveyed.repo.engine, rotating.extensions["register"].sealer) == {
        "registered people": 0, "survey free-text answers": 0}
    after = _login(app_with(fresh), "kokubunji").get(f"/workspace/surveys/{surveyed.survey}")
    assert after.status_code == 200 and SURVEY_SECRET in after.get_data(as_text=True)


def test_looking_codes_up_is_throttled_with_answering(surveyed):
    """Guessing codes by GET counts as answering does: after PER_HOUR, 429 before any look-up."""
    from app.web.survey_form import PER_HOUR

    guesser = surveyed.app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.50"
    codes = [guesser.get(f"/s/ZZZZ{i:04d}").status_code for i in range(PER_HOUR)]
    assert set(codes) == {404}
    assert guesser.get(f"/s/{surveyed.survey_code}").status_code == 429  # even a real code, now
    household = surveyed.app.test_client()
    household.environ_base["REMOTE_ADDR"] = "192.0.2.51"
    assert household.get(f"/s/{surveyed.survey_code}").status_code == 200  # another address is not slowed
