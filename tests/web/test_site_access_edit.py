"""A coordinator says a shelter's accessibility where the council's list does not (or is wrong): audited."""

from __future__ import annotations

from app.services import catalogue
from tests.web.helpers import _csrf, _login


def _access(world):
    [row] = world.repo.find_resources(ids=[world.shelter])
    return catalogue.resource_feature(row)["properties"]["access"]


def test_a_coordinator_answers_a_feature_and_can_give_it_back_to_the_list(world):
    coordinator = _login(world.app, "kokubunji")
    page = f"/workspace/resources/{world.shelter}/edit"
    shown = coordinator.get(page).get_data(as_text=True)
    assert "段差なし入口" in shown and "一覧のとおり（不明）" in shown  # no list: unknown, never なし
    stored = world.accounts.resource(world.shelter)
    form = {"csrf_token": _csrf(coordinator, page), "kind": "shelter", "city_code": stored["city_code"],
            "name": stored["name"], "address": stored["address"], "lat": stored["lat"], "lon": stored["lon"],
            "version": str(stored["version"]), "access_step_free": "no", "access_accessible_toilet": "yes"}
    assert coordinator.post(page, data=form).status_code == 302
    assert _access(world) == {"step_free": False, "accessible_toilet": True, "elevator": None,
                              "welfare_space": None}
    [entry, *_] = world.accounts.history(resource_id=world.shelter)
    assert entry["username"] == "kokubunji" and entry["after"]["attributes"]["access"] == {
        "step_free": False, "accessible_toilet": True}
    again = coordinator.get(page).get_data(as_text=True)
    assert '<option value="no" selected>' in again
    form.update(version=str(world.accounts.resource(world.shelter)["version"]), access_step_free="",
                access_accessible_toilet="")
    assert coordinator.post(page, data=form).status_code == 302
    assert set(_access(world).values()) == {None}


def test_an_answer_that_is_not_yes_or_no_is_refused_naming_the_field(world):
    coordinator = _login(world.app, "kokubunji")
    page = f"/workspace/resources/{world.shelter}/edit"
    stored = world.accounts.resource(world.shelter)
    refused = coordinator.post(page, data={
        "csrf_token": _csrf(coordinator, page), "kind": "shelter", "city_code": stored["city_code"],
        "name": stored["name"], "version": str(stored["version"]), "access_elevator": "maybe"})
    assert refused.status_code == 400 and "access_elevator" in refused.get_data(as_text=True)
    assert world.accounts.resource(world.shelter)["version"] == stored["version"]


def test_the_command_line_imports_a_list_and_the_api_and_the_card_say_it(world, tmp_path):
    [row] = world.repo.find_resources(ids=[world.shelter])
    path = tmp_path / "バリアフリー.csv"
    path.write_text(f"施設名,段差なし入口,車いすトイレ\n{row['name']},○,×\n", encoding="utf-8")
    imported = world.app.test_cli_runner().invoke(args=["import", "access", str(path), "--city", row["city_code"]])
    assert imported.exit_code == 0, imported.output
    feature = world.app.test_client().get(f"/api/v1/resources/{world.shelter}").get_json()
    assert feature["properties"]["access"]["step_free"] is True
    assert feature["properties"]["access"]["accessible_toilet"] is False
    assert feature["properties"]["access"]["elevator"] is None  # not in the list: unknown, never なし
    lon, lat = row["geometry"]["coordinates"]
    card = world.app.test_client().get(f"/card?lat={lat}&lon={lon}").get_data(as_text=True)
    assert "入りやすさ: 段差なし入口 あり・車いすトイレ なし・エレベーター 不明" in card
