"""Programme rules travel with their places; a reported count larger than the list is said."""

from __future__ import annotations

import csv

from tests.conftest import OPEN_DATA_DIR


def _programmes() -> dict[tuple[str, str], dict]:
    """The source's rows by city and programme (the first report of each)."""
    with (OPEN_DATA_DIR / "facts/salon_programs.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return {key: next(r for r in rows if (r["city"], r["program"]) == key)
            for key in {(r["city"], r["program"]) for r in rows}}


def _salons(client, city):
    return client.get(f"/api/v1/resources?kind=salon&city={city}&limit=500&placed=0").get_json()["features"]


def test_salons_carry_their_programmes_rules(demo_client):
    rules = _programmes()[("国分寺市", "地域交流会")]["criteria_or_schedule"]
    kokubunji = _salons(demo_client, "13214")
    under = [f for f in kokubunji if (f["properties"].get("programme") or {}).get("name") == "地域交流会"]
    assert under and all(f["properties"]["programme"]["rules"] == rules for f in under)
    assert all("地域交流会" in f["properties"]["attributes"]["category"] for f in under)
    ogc = demo_client.get("/ogcapi/collections/salon/items?limit=500&f=json").get_json()["features"]
    assert {f["properties"]["programme_rules"] for f in ogc if f["properties"]["programme"] == "地域交流会"} \
        == {rules}


def test_a_reported_count_beyond_the_list_is_said(demo_client):
    programme = _programmes()[("西東京市", "子ども食堂(市内総数)")]
    result = demo_client.get("/api/v1/analysis/coverage?city=13229&minutes=10&target=children").get_json()
    placed = [f for f in demo_client.get("/api/v1/resources?kind=salon&city=13229&limit=500").get_json()[
        "features"] if (f["properties"].get("programme") or {}).get("name") == programme["program"]]
    said = [line for line in result["data_limits"] if f"reports {programme['count_reported']} " in line]
    assert programme["count_reported"][0].isdigit() and said == [f"西東京市 reports {programme['count_reported']} for {programme['program']} "
                    f"({programme['as_of']}); {len(placed)} are on the map here, and only those are counted"]


def test_the_list_page_shows_programmes_and_city_figures(demo_client):
    page = demo_client.get("/list?city=13203").get_data(as_text=True)
    musashino = _programmes()[("武蔵野市", "いきいきサロン事業")]
    section = page[page.index('id="programmes"'):page.index('id="city-figures"')]
    assert musashino["program"] in section and musashino["criteria_or_schedule"] in section
    figures = page[page.index('id="city-figures"'):page.index('id="restricted-counts"')]
    assert "空き家率" in figures and "戸建住宅" in figures
