"""The small world of the workspace and trust tests: three users, a vacant house, a private salon.

Every name here is made up for the tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from app.services import imports
from app.storage.passwords import hash_password
from tests.conftest import open_data

SECRET = {"name": "秘密の空き家", "address": "国分寺市西町5-1-1", "lon": "139.43771", "lat": "35.70999"}
PRIVATE_SALON = "自宅サロン内緒"
PRIVATE_HUB = {"name": "内緒の集会所", "lon": "139.45123", "lat": "35.70456"}
PASSWORDS = {"admin": "admin-password-1", "kokubunji": "coordinator-pw-1", "koganei": "coordinator-pw-2"}


def build_world(app):
    repo, accounts = app.extensions["repository"], app.extensions["accounts"]
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    imports.import_shelters(repo, open_data("shelters/gsi/evacuation_132144.json"))
    imports.import_resources(repo, open_data("schools/elementary_schools_gsi.geojson"), "school")
    imports.build_approximate_districts(repo, set())
    accounts.add_user("admin", hash_password(PASSWORDS["admin"]), "admin", [])
    accounts.add_user("kokubunji", hash_password(PASSWORDS["kokubunji"]), "coordinator", ["13214"])
    accounts.add_user("koganei", hash_password(PASSWORDS["koganei"]), "coordinator", ["13210"])
    actor = {"id": None, "username": "fixture"}
    vacant = accounts.create({"kind": "vacant_house", "name": SECRET["name"], "address": SECRET["address"],
                              "city_code": "13214", "placement": "coordinates", "placement_detail": "",
                              "restricted": True, "lonlat": (float(SECRET["lon"]), float(SECRET["lat"])),
                              "attributes": {}}, actor)
    salon = accounts.create({"kind": "salon", "name": PRIVATE_SALON, "address": "", "city_code": "13214",
                             "placement": "coordinates", "placement_detail": "", "restricted": True,
                             "lonlat": (139.47, 35.70), "attributes": {}}, actor)
    # A private hub, and a public list naming it as its venue: the row must not be put there.
    accounts.create({"kind": "hub", "name": PRIVATE_HUB["name"], "address": "", "city_code": "13214",
                     "placement": "coordinates", "placement_detail": "", "restricted": True,
                     "lonlat": (float(PRIVATE_HUB["lon"]), float(PRIVATE_HUB["lat"])), "attributes": {}}, actor)
    listing = tmp_csv(app, [["名称", "会場", "市区町村"], ["会場が内緒のサロン", PRIVATE_HUB["name"], "国分寺市"]])
    imports.import_resources(repo, listing, "salon", visible_cities=("13214",), key="t:venue-probe")
    shelter = repo.find_resources(kinds=["shelter"], limit=1)[0]["id"]
    return SimpleNamespace(app=app, repo=repo, accounts=accounts, vacant=vacant, salon=salon, shelter=shelter)


def tmp_csv(app, rows):
    """A UTF-8 CSV in the app's instance folder (the tests' own temporary folder)."""
    path = Path(app.config["INSTANCE_DIR"]) / "venue_probe.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(",".join(r) + "\r\n" for r in rows), encoding="utf-8")
    return path


def _csrf(client, path="/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def _login(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORDS[username],
                                           "csrf_token": _csrf(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client




# The register's people: made up, with addresses of real 町丁目 so that they place as a council's would.
PEOPLE = [
    {"氏名": "架空 花子", "ふりがな": "かくう はなこ", "住所": "国分寺市西町4-12-3", "生年": "昭和15年",
     "支援が必要なこと": "車いす", "連絡先": "000-0000-0001", "同意日": "令和8年4月1日", "支援者": "架空 一郎"},
    {"氏名": "試験 太郎", "ふりがな": "しけん たろう", "住所": "国分寺市本多1-1-1", "生年": "1938",
     "支援が必要なこと": "視覚・聴覚", "連絡先": "000-0000-0002", "同意日": "2026-04-02", "支援者": ""},
    {"氏名": "見本 次郎", "ふりがな": "みほん じろう", "住所": "国分寺市西町4-1-1", "生年": "1950",
     "支援が必要なこと": "認知", "連絡先": "", "同意日": "2026-04-03", "支援者": ""},
]
PERSON_SECRETS = [v for p in PEOPLE for k, v in p.items() if k in ("氏名", "ふりがな", "住所", "連絡先") and v]
SUPPORTERS = {"supporter_west": "13214:西町四丁目", "supporter_honda": "13214:本多一丁目"}
PASSWORDS.update({"supporter_west": "minsei-west-pw-1", "supporter_honda": "minsei-honda-pw-1",
                  "lead_west": "shelter-lead-pw-1"})


def people_csv(app, rows, name="people.csv") -> Path:
    """The rows as a UTF-8 CSV with the council's Japanese headers."""
    path = Path(app.config["INSTANCE_DIR"]) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    header = list(rows[0])
    path.write_text("".join(",".join(r) + "\r\n" for r in [header, *[[row[h] for h in header] for row in rows]]),
                    encoding="utf-8")
    return path


def add_people(world):
    """Register ``PEOPLE`` in 国分寺 and add a supporter for 西町四丁目 and one for 本多一丁目."""
    from app.domain.access import Viewer
    from app.services import persons

    app = world.app
    with app.app_context():
        report = persons.register_file(world.repo, app.extensions["register"], app.extensions["geocoder"].get(),
                                       people_csv(app, PEOPLE), "13214", Viewer("admin"),
                                       {"id": None, "username": "fixture"})
    assert report.stored == len(PEOPLE)
    for username, area in SUPPORTERS.items():
        world.accounts.add_user(username, hash_password(PASSWORDS[username]), "supporter", ["13214"])
        world.accounts.set_areas(username, [("chome", area)])
    world.people = {p["氏名"]: p for p in PEOPLE}
    return world


SURVEY_AREA = "13214:西町四丁目,西町二丁目"  # two real 町丁目 of 国分寺, as a coordinator would pick them
SURVEY_SECRET = "架空の自由記述：母が酸素を使っています"  # free text only the city's coordinators may read


def add_survey(world, per_chome: int = 2) -> int:
    """A survey of ``SURVEY_AREA`` (flood) with one web answer that carries ``SURVEY_SECRET``."""
    from app.domain.access import Viewer
    from app.services import survey

    app = world.app
    book = app.extensions["surveys"]
    with app.app_context():
        survey_id = survey.create_survey(world.repo, book, app.extensions["geocoder"].get(), Viewer("admin"),
                                         "chome", SURVEY_AREA, "flood", per_chome, {"username": "fixture"})
        code = book.sheets(survey_id)[0]["code"]
        survey.submit(book, book.survey(survey_id), {"knows": "no", "alone": "no", "needs_help": "yes",
                                                     "help_kinds": ["wheelchair"], "free_text": SURVEY_SECRET,
                                                     "people": "2"}, "web", {"username": "resident"}, code=code)
    world.survey, world.survey_code = survey_id, code
    return survey_id


def add_everything(world):
    """The world with people, a survey and an open 安否確認 event: every route then has a sample."""
    from app.domain.access import Viewer
    from app.services import persons

    app = world.app
    add_people(world)
    add_survey(world)
    with app.app_context():
        world.person_ids = {p["name"]: p["id"] for p in persons.people(
            world.repo, app.extensions["register"], Viewer("admin"), "list", {"username": "fixture"})}
        world.event = app.extensions["safety"].open_event("架空の訓練", "13214", {"username": "fixture"})
    # A shelter lead of one shelter: runs it on the day, reads no one and nothing restricted.
    [site] = world.repo.find_resources(ids=[world.shelter])
    world.accounts.add_user("lead_west", hash_password(PASSWORDS["lead_west"]), "shelter_lead", ["13214"])
    world.accounts.set_areas("lead_west", [("site", site["site_key"])])
    return world


def app_with_key(world_app, key: str, instance):
    """Another app on ``world_app``'s database, configured with ``key`` as PERSONAL_DATA_KEY."""
    from app import create_app

    url = world_app.extensions["repository"].engine.url.render_as_string(hide_password=False)
    return create_app({"DATABASE_URL": url, "OPEN_DATA_DIR": world_app.config["OPEN_DATA_DIR"],
                       "TESTING": True, "INSTANCE_DIR": str(instance), "PERSONAL_DATA_KEY": key})


def _names(client, path="/api/v1/persons") -> set[str]:
    """The names of the registered people ``client`` may read."""
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {p["name"] for p in response.get_json()["persons"]}
