"""Sign-in, roles, CSRF, throttling, tokens, audit, undo and privacy, on both backends."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from flask import url_for

from tests.importers.helpers import write_csv
from tests.web.helpers import (
    PASSWORDS,
    PEOPLE,
    PERSON_SECRETS,
    PRIVATE_HUB,
    PRIVATE_SALON,
    SECRET,
    SURVEY_SECRET,
    _csrf,
    _login,
    add_everything,
)


def _text(body: bytes, content_type: str) -> str:
    if content_type.startswith("application/pdf"):
        body = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout
    return body.decode("utf-8", errors="ignore")


def _leaks(body: bytes, content_type: str) -> list[str]:
    text = _text(body, content_type)
    # The private hub's name may appear as the public row's own venue text (its list says so);
    # its place, and any sign that a private place of that name exists, never.
    secrets = (*SECRET.values(), PRIVATE_SALON, PRIVATE_HUB["lon"], PRIVATE_HUB["lat"], "restricted place",
               *PERSON_SECRETS, SURVEY_SECRET)
    return [v for v in secrets if v in text]


# What the supporter of 本多一丁目 must never read: the people of 西町四丁目.
WEST_ONLY = [v for p in PEOPLE if "西町" in p["住所"] for k, v in p.items() if k in ("氏名", "住所") and v]


def _samples(world) -> dict:
    [home] = [a["code"] for a in world.repo.areas_at(float(SECRET["lon"]), float(SECRET["lat"]))
              if a["kind"] == "school_district"]  # the district the private places are in
    return {"cid": "shelter", "fid": world.shelter, "layer": "shelter", "fmt": "csv",
            "resource_id": world.vacant, "package": "leaflet", "filename": "leaflet.js",
            "kind": "school_district", "code": home, "correction_id": 1, "note_id": 1,
            "person_id": world.person_ids["架空 花子"], "event_id": world.event,
            "survey_id": world.survey, "sheet_code": world.survey_code, "username": "supporter_west",
            "site_id": world.shelter, "size": 192,
            # The tile holding the vacant house (z15), so that its name is looked for in the tile too.
            "tms": "WebMercatorQuad", "mid": "1-202701011000", "zoom": 15, "row": 12900, "col": 29075}


NEAR = "lat=35.71040&lon=139.43800"  # 50 m from the vacant house; queries must not echo its point
QUERIES = {
    "api.resources": "?kind=salon,shelter&limit=1000",
    "api.nearest_resources": f"?{NEAR}&kind=salon&n=50",
    "api.areas_at": f"?{NEAR}",
    "pages.print_district": "?area_kind=school_district&area=13214:国分寺市立第八小学校",
    "pages.list_view": "?city=13214",
    "analysis_api.suggest": "?city=13214&candidates=hub,shelter,vacant_house",
    "analysis_api.coverage": "?city=13214",
    "ogcapi.items": "?limit=1000",
    "editing_api.restricted_counts": "?kind=vacant_house",
    "api.geocode": f"?q={SECRET['name'][:2]}",
    "card.card": f"?{NEAR}",
    "profile.area_comparison": "?city=13214",
}


def test_every_route_for_every_role(world):
    """Generated from the URL map, so a new route is walked without editing this test."""
    app = add_everything(world).app
    clients = {"public": app.test_client(), "other_city": _login(app, "koganei"),
               "coordinator": _login(app, "kokubunji"), "admin": _login(app, "admin"),
               "other_area": _login(app, "supporter_honda"), "shelter_lead": _login(app, "lead_west")}
    samples = _samples(world)
    walked = 0
    for rule in app.url_map.iter_rules():
        missing = [a for a in rule.arguments if a not in samples]
        assert not missing, f"add a sample value for {missing} (route {rule.rule}) to this test"
        with app.test_request_context():
            path = url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments})
        path += QUERIES.get(rule.endpoint, "")
        if "GET" not in rule.methods:
            response = clients["public"].open(path, method=sorted(rule.methods - {"OPTIONS", "HEAD"})[0])
            assert response.status_code in (400, 401, 302, 405), (rule.rule, response.status_code)
            continue
        walked += 1
        for role, client in clients.items():
            response = client.get(path)
            assert response.status_code < 500, (role, path, response.get_data(as_text=True)[:300])
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            if role in ("public", "other_city", "shelter_lead"):
                assert not _leaks(response.data, response.content_type), (role, path)
            if role == "other_area":
                text = _text(response.data, response.content_type)
                assert not [v for v in WEST_ONLY if v in text], (role, path)
            if rule.endpoint.startswith("workspace.") and role == "public":
                assert response.status_code == 302 and "/login" in response.headers["Location"]
            if "resource_id" in rule.arguments and role == "other_city":
                # Workspace pages refuse; the API and public pages answer as for no resource, so
                # existence is not revealed.
                assert response.status_code == (403 if path.startswith("/workspace") else 404), path
            if rule.rule.startswith(("/persons", "/safety")) and role == "public":
                assert response.status_code == 302 and "/login" in response.headers["Location"], path
            if rule.rule.startswith("/workspace") and role in ("coordinator", "admin"):
                assert response.status_code == 200, (role, path)
    assert walked > 30
    own = clients["coordinator"].get("/api/v1/resources?kind=vacant_house").get_json()
    assert [f["properties"]["name"] for f in own["features"]] == [SECRET["name"]]
    assert clients["other_city"].get("/api/v1/resources?kind=vacant_house").get_json()["features"] == []
    assert clients["public"].get("/api/v1/resources?kind=vacant_house").status_code == 400


def test_wrong_password_and_disabled_user(world):
    client = world.app.test_client()
    bad = client.post("/login", data={"username": "kokubunji", "password": "wrong-password",
                                      "csrf_token": _csrf(client)})
    assert bad.status_code == 401 and client.get("/workspace").status_code == 302
    token = world.accounts.issue_token("kokubunji")
    assert client.get("/api/v1/resources?kind=vacant_house",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 200
    world.accounts.update_user("kokubunji", active=False)
    disabled = client.post("/login", data={"username": "kokubunji", "password": PASSWORDS["kokubunji"],
                                           "csrf_token": _csrf(client)})
    assert disabled.status_code == 403
    assert client.get("/api/v1/resources?kind=vacant_house",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 400


def test_login_throttling(world):
    client = world.app.test_client()
    token = _csrf(client)
    attempt = {"username": "admin", "password": "nope", "csrf_token": token}
    codes = [client.post("/login", data=attempt).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    # A stranger's failures on a name do not lock its owner out from the owner's own address.
    owner = world.app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    signed = owner.post("/login", data={"username": "admin", "password": PASSWORDS["admin"],
                                         "csrf_token": _csrf(owner)})
    assert signed.status_code == 302


def test_one_throttle_never_clears_another(world):
    """A key's old attempts are cleared by its own window only (a minute's sign-in, an hour's survey)."""
    accounts = world.accounts
    assert accounts.attempt_allowed("survey:192.0.2.1", 2, 3600)
    assert accounts.attempt_allowed("survey:192.0.2.1", 2, 3600)
    assert accounts.attempt_allowed("address:192.0.2.2", 5, 0)  # a zero window clears its own key only
    assert not accounts.attempt_allowed("survey:192.0.2.1", 2, 3600)


def test_a_new_token_and_a_new_password_end_the_old_tokens(world):
    from app.storage.passwords import hash_password

    first = world.accounts.issue_token("kokubunji", "script")
    second = world.accounts.issue_token("kokubunji", "script")
    assert world.accounts.user_for_token(first) is None and world.accounts.user_for_token(second)
    world.accounts.update_user("kokubunji", password_hash=hash_password("a new passphrase for 架空"))
    assert world.accounts.user_for_token(second) is None


def test_csrf_required_on_forms_and_api(world):
    client = _login(world.app, "kokubunji")
    form = {"kind": "salon", "city_code": "13214", "name": "CSRFサロン", "lat": "35.70", "lon": "139.48"}
    assert client.post("/workspace/resources/new", data=form).status_code == 400
    refused = client.post("/api/v1/resources", json=form)
    assert refused.status_code == 403 and "CSRF" in refused.get_json()["error"]
    # Any Authorization header beside a session cookie is still a browser session: CSRF holds.
    junk = client.post("/api/v1/resources", json=form, headers={"Authorization": "Bearer junk"})
    assert junk.status_code in (401, 403) and world.repo.count_resources(kinds=["salon"], name="CSRFサロン",
                                                                         include_restricted=True) == 0
    assert client.post("/workspace/resources/new", data=form, headers={"Authorization": "Bearer junk"}
                       ).status_code == 400
    ok = client.post("/workspace/resources/new", data={**form, "csrf_token": _csrf(client, "/workspace")})
    assert ok.status_code == 302
    names = [r["name"] for r in world.repo.find_resources(kinds=["salon"], restricted_cities=("13214",))]
    assert names.count("CSRFサロン") == 1


def test_api_tokens(world):
    token = world.accounts.issue_token("kokubunji", "script")
    client = world.app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/resources", headers=headers,
                          json={"kind": "salon", "city_code": "13214", "name": "トークンサロン",
                                "address": "国分寺市本町2-1"})
    assert created.status_code == 201 and created.get_json()["placement"] == "chome_centroid"
    assert client.post("/api/v1/resources", headers=headers,
                       json={"kind": "salon", "city_code": "13210", "name": "よその市"}).status_code == 403
    forged = client.post("/api/v1/resources", headers={"Authorization": "Bearer forged"},
                         json={"kind": "salon", "city_code": "13214", "name": "x"})
    assert forged.status_code == 401 and "token" in forged.get_json()["error"]
    bad = client.post("/api/v1/resources", headers=headers,
                      json={"kind": "salon", "city_code": "13214", "name": "逆", "lat": "139.4",
                            "lon": "35.7"})
    assert bad.status_code == 400 and "swapped" in bad.get_json()["errors"][0]
    csv = "名称,住所\r\nスクリプト取込サロン,国分寺市光町1-46-8\r\n".encode("cp932")
    imported = client.post("/api/v1/import", headers=headers, data={
        "kind": "salon", "city_code": "13214", "file": (io.BytesIO(csv), "salons.csv")})
    assert imported.status_code == 201 and imported.get_json()["stored"] == 1
    stored = {r["name"] for r in world.repo.find_resources(kinds=["salon"])}
    assert {"トークンサロン", "スクリプト取込サロン"} <= stored


def test_audit_history_and_undo(world):
    coordinator = _login(world.app, "kokubunji")
    token = _csrf(coordinator, "/workspace")
    form = {"csrf_token": token, "kind": "vacant_house", "city_code": "13214", "name": "空き家（改名）",
            "lat": SECRET["lat"], "lon": "139.43800", "restricted": "1"}
    # A form without its version saves nothing (428), never a blind overwrite.
    assert coordinator.post(f"/workspace/resources/{world.vacant}/edit", data=form).status_code == 428
    assert world.accounts.resource(world.vacant)["name"] == SECRET["name"]
    edit = coordinator.post(f"/workspace/resources/{world.vacant}/edit", data={
        **form, "version": str(world.accounts.resource(world.vacant)["version"])})
    assert edit.status_code == 302
    entries = world.accounts.history(resource_id=world.vacant)
    assert entries[0]["action"] == "update" and entries[0]["username"] == "kokubunji"
    assert entries[0]["before"]["name"] == SECRET["name"] and entries[0]["after"]["name"] == "空き家（改名）"
    assert entries[0]["after"]["lon"] == pytest.approx(139.438)
    assert coordinator.post(f"/workspace/resources/{world.vacant}/delete",
                            data={"csrf_token": token}).status_code == 428
    version = str(world.accounts.resource(world.vacant)["version"])
    # The first press asks (nothing deleted); the answer on that page deletes.
    asked = coordinator.post(f"/workspace/resources/{world.vacant}/delete",
                             data={"csrf_token": token, "version": version})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "削除しますか" in page and "管理者が元に戻せます" in page
    assert 'name="confirmed" value="1"' in page and "やめる" in page
    assert len(world.repo.find_resources(kinds=["vacant_house"], restricted_cities=("13214",))) == 1
    assert coordinator.post(f"/workspace/resources/{world.vacant}/delete", data={
        "csrf_token": token, "version": version, "confirmed": "1"}).status_code == 302
    assert world.repo.find_resources(kinds=["vacant_house"], restricted_cities=("13214",)) == []
    assert coordinator.post(f"/workspace/resources/{world.vacant}/restore",
                            data={"csrf_token": token}).status_code == 403
    admin = _login(world.app, "admin")
    assert admin.post(f"/workspace/resources/{world.vacant}/restore",
                      data={"csrf_token": _csrf(admin, "/workspace")}).status_code == 302
    assert len(world.repo.find_resources(kinds=["vacant_house"], restricted_cities=("13214",))) == 1
    actions = [e["action"] for e in world.accounts.history(resource_id=world.vacant)]
    assert actions[:3] == ["restore", "delete", "update"]
    log = coordinator.get("/workspace/changes?city=13214&format=csv")
    assert log.data.startswith(b"\xef\xbb\xbf") and "空き家（改名）" in log.data.decode("utf-8-sig")
    other = _login(world.app, "koganei")
    assert other.get("/workspace/changes?city=13214").status_code == 403


def test_upload_preview_then_confirm(world, tmp_path):
    client = _login(world.app, "kokubunji")
    path = write_csv(tmp_path / "list.csv", [["名称", "住所"], ["アップロードサロン", "国分寺市西町3-22-1"],
                                             ["住所不明サロン", ""]])
    preview = client.post("/workspace/upload", data={
        "csrf_token": _csrf(client, "/workspace/upload"), "kind": "salon", "city_code": "13214",
        "file": (io.BytesIO(path.read_bytes()), "list.csv")}, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<strong>まだ保存していません</strong>" in page and "stored 0" not in page
    assert "<tr><td>町丁目の代表点</td><td>1</td></tr>" in page  # words, not chome_centroid
    assert "<tr><td>3</td><td>住所不明サロン</td>" in page  # its row as Excel shows it
    # Why it is not on the map, in the coordinator's words first (the English beside it).
    assert "会場「住所不明サロン」に合う施設が市（13214）の一覧にありません" in page
    assert 'lang="en">venue &#39;住所不明サロン&#39; matches no known facility' in page
    assert "アップロードサロン" not in {r["name"] for r in world.repo.find_resources(kinds=["salon"])}
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = client.post("/workspace/upload/confirm", data={"csrf_token": _csrf(client, "/workspace"),
                                                          "token": token})
    assert done.status_code == 302
    assert "アップロードサロン" in {r["name"] for r in world.repo.find_resources(kinds=["salon"])}
    assert world.accounts.history(city="13214")[0]["action"] == "import"
    broken = client.post("/workspace/upload", data={
        "csrf_token": _csrf(client, "/workspace/upload"), "kind": "salon", "city_code": "13214",
        "file": (io.BytesIO(b"\xff\xfe\x00bad"), "broken.csv")}, content_type="multipart/form-data")
    refused = broken.get_data(as_text=True)
    assert broken.status_code == 400 and "broken.csv：直すところ" in refused and "何も保存していません" in refused
    assert "<tr><td>1</td><td>—</td><td>文字のファイル（CSV）ではありません" in refused
    assert 'lang="en">contains a NUL byte' in refused
    # Every problem of a row at once, each in Japanese with what to change.
    bad = write_csv(tmp_path / "bad.csv", [["名称", "住所", "定員"], ["", "国分寺市西町3-22-1", ""],
                                           ["架空サロン", "府中市宮町1-1", "たくさん"]])
    refused = client.post("/workspace/upload", data={
        "csrf_token": _csrf(client, "/workspace/upload"), "kind": "salon", "city_code": "13214",
        "file": (io.BytesIO(bad.read_bytes()), "bad.csv")}, content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "<tr><td>2</td><td>名称</td><td>名称が空です" in text
    assert "定員・収容人数「たくさん」が人数として読めません" in text
    assert "「府中市宮町1-1」は府中市で、国分寺市の外です" in text


def test_public_sees_counts_only(world):
    client = world.app.test_client()
    [here] = [a["code"] for a in world.repo.areas_at(float(SECRET["lon"]), float(SECRET["lat"]))
              if a["kind"] == "school_district"]
    districts = client.get("/api/v1/privacy/counts?kind=vacant_house").get_json()["districts"]
    # One house, and zero elsewhere, read alike: a zero would say where the houses are not.
    assert {(d["count"], d["label"]) for d in districts if d["city_code"] == "13214"} == {(None, "3未満")}
    # A city with no vacant-house list reads as one with few: "no list" would tell a single private
    # place's city apart from a city with none.
    others = {(d["count"], d["status"]) for d in districts if d["city_code"] != "13214"}
    assert others == {(None, "hidden")}
    [house] = [d for d in districts if d["area_code"] == here]
    assert house["city_code"] == "13214"
    actor = {"id": None, "username": "fixture"}
    for i in range(3):
        world.accounts.create({"kind": "vacant_house", "name": f"空き家{i}", "address": "",
                               "city_code": "13214", "placement": "coordinates", "placement_detail": "",
                               "restricted": True,
                               "lonlat": (float(SECRET["lon"]) + 0.0001 * i, float(SECRET["lat"])),
                               "attributes": {}}, actor)
    districts = client.get("/api/v1/privacy/counts?kind=vacant_house").get_json()["districts"]
    assert [d["count"] for d in districts if d["count"] is not None] == [5]  # 4, rounded to a multiple of 5
    assert next(d for d in districts if d["area_code"] == here)["label"] == "約5"
    assert client.get("/api/v1/privacy/counts?kind=nonsense").status_code == 400
    listing = client.get("/list?city=13214").get_data(as_text=True)
    assert "空き家（学区ごとの件数のみ公開）" in listing and SECRET["name"] not in listing


def test_fuzzed_api_never_leaks_restricted_data(world):
    """Arbitrary public API queries over a database holding restricted rows: no 500, no leak."""
    from urllib.parse import urlencode

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.web.test_api_fuzz import ENDPOINTS, NAMES, VALUES

    client = world.app.test_client()
    endpoints = [*ENDPOINTS, "/api/v1/export/salon.csv", "/ogcapi/collections/salon/items",
                 "/api/v1/analysis/suggest", "/api/v1/privacy/counts", "/list"]

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(endpoint=st.sampled_from(endpoints), query=st.dictionaries(st.sampled_from([*NAMES, "candidates"]),
                                                                      VALUES))
    def probe(endpoint, query):
        response = client.get(f"{endpoint}?{urlencode(query)}")
        assert response.status_code in (200, 400, 404), (endpoint, query, response.status_code)
        assert not _leaks(response.data, response.content_type), (endpoint, query)

    probe()


def test_category_and_target_groups_are_chosen_in_the_form_and_the_api(world):
    coordinator = _login(world.app, "kokubunji")
    page = f"/workspace/resources/{world.salon}/edit"
    saved = coordinator.post(page, data={
        "csrf_token": _csrf(coordinator, page), "kind": "salon", "city_code": "13214", "name": PRIVATE_SALON,
        "lat": "35.70", "lon": "139.47", "restricted": "1", "target_group": "どなたでも",
        "category": "community_salon", "targets": ["older_living_alone", "older"],
        "version": str(world.accounts.resource(world.salon)["version"])})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    row = world.accounts.resource(world.salon)
    assert (row["category"], row["targets"]) == ("community_salon", ["older", "older_living_alone"])
    form = coordinator.get(page).get_data(as_text=True)
    assert 'value="older_living_alone" checked' in form and 'value="children">' in form
    assert 'value="community_salon" selected' in form
    headers = {"Authorization": f"Bearer {world.accounts.issue_token('kokubunji')}",
               "If-Match": f'"{row["version"]}"'}
    kept = world.app.test_client().patch(f"/api/v1/resources/{world.salon}", headers=headers,
                                         json={"notes": "架空のメモ"})
    assert kept.status_code == 200 and world.accounts.resource(world.salon)["targets"] == row["targets"]
    headers["If-Match"] = kept.headers["ETag"]
    bad = world.app.test_client().patch(f"/api/v1/resources/{world.salon}", headers=headers,
                                        json={"category": "casino", "targets": ["pets"]})
    assert bad.status_code == 400 and "unknown category 'casino'" in str(bad.get_json())
    assert "unknown target group 'pets'" in str(bad.get_json())
    derived = world.app.test_client().patch(f"/api/v1/resources/{world.salon}", headers=headers,
                                            json={"targets": [], "category": "", "target_group": "小学生"})
    assert derived.status_code == 200, derived.get_json()
    assert world.accounts.resource(world.salon)["targets"] == ["children"]


def test_pages_for_a_signed_in_user_are_kept_by_no_cache(world):
    coordinator = _login(world.app, "kokubunji")
    for path in ("/workspace", f"/workspace/resources/{world.salon}/edit", "/workspace/changes?city=13214&format=csv",
                 "/list?city=13214"):
        answer = coordinator.get(path)
        assert answer.status_code == 200 and "no-store" in answer.headers.get("Cache-Control", ""), path
    token = world.accounts.issue_token("kokubunji")
    api = world.app.test_client().get("/api/v1/resources?kind=salon", headers={"Authorization": f"Bearer {token}"})
    assert "no-store" in api.headers.get("Cache-Control", "")
    assert "no-store" not in world.app.test_client().get("/list?city=13214").headers.get("Cache-Control", "")


def test_a_place_said_to_be_closed_waits_for_the_coordinator(world):
    """A note that says a place stopped puts it in the coordinator's queue (and out of counts)."""
    salon = world.accounts.resource(world.salon)
    world.accounts.update(world.salon, {"attributes": {**(salon["attributes"] or {}),
                                                       "notes": "会場が使えなくなったため休止中"}},
                          {"id": None, "username": "fixture"}, salon["version"])
    page = _login(world.app, "kokubunji").get("/workspace").get_data(as_text=True)
    queue = page[page.index('id="to-confirm"'):page.index('id="resources"')]
    assert salon["name"] in queue and "休止・終了の記載あり" in queue
