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


