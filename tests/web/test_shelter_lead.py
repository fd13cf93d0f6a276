"""A shelter lead (避難所の運営責任者) runs the sites named for them on the day, on a phone, and nothing else."""

from __future__ import annotations

from tests.web.helpers import PASSWORDS, _csrf, _login, add_people

LEAD_PASSWORD = PASSWORDS["lead_west"]


def _event(world) -> int:
    opened = world.app.test_cli_runner().invoke(args=["event", "open", "架空の地震訓練", "--city", "13214",
                                                      "--hazard", "earthquake"])
    return int(opened.output.split()[2].rstrip(":"))


def _add_lead(world, *sites: str):
    args = ["users", "add", "lead_west", "--role", "shelter_lead", "--city", "13214",
            *[a for s in sites for a in ("--site", s)], "--password", LEAD_PASSWORD]
    return world.app.test_cli_runner().invoke(args=args)


def test_a_lead_is_added_with_named_sites_only(world):
    refused = _add_lead(world, "架空の避難所")
    assert refused.exit_code != 0 and "架空の避難所" in refused.output
    runner = world.app.test_cli_runner()
    supporter = runner.invoke(args=["users", "add", "s1", "--role", "supporter", "--city", "13214",
                                    "--area", "西町四丁目", "--site", str(world.shelter), "--password", "x" * 12])
    assert supporter.exit_code != 0 and "only a shelter lead has sites" in supporter.output
    added = _add_lead(world, str(world.shelter))
    assert added.exit_code == 0 and "added shelter_lead lead_west" in added.output, added.output


def test_a_lead_opens_and_fills_their_site_and_no_other_and_reads_no_one(world):
    add_people(world)
    assert _add_lead(world, str(world.shelter)).exit_code == 0
    event = _event(world)
    lead = _login(world.app, "lead_west")
    assert lead.get("/workspace").headers["Location"].endswith("/safety")
    assert f"/safety/{event}/sites" in lead.get("/safety").get_data(as_text=True)
    page = f"/safety/{event}/sites"
    shown = lead.get(page).get_data(as_text=True)
    [mine] = world.repo.find_resources(ids=[world.shelter])
    assert mine["name"] in shown and "ほかの避難所を開設する" not in shown
    opened = lead.post(page, data={"csrf_token": _csrf(lead, page), "site_id": world.shelter, "action": "open",
                                   "people": "12", "state": "crowded", "has": ["water", "toilet"]})
    assert opened.status_code == 302
    [status] = world.app.extensions["safety"].site_updates(event)
    assert (status["open"], status["people"], status["state"], status["username"]) == (True, 12, "crowded",
                                                                                        "lead_west")
    other = world.repo.find_resources(kinds=["shelter"], city="13214", limit=5)
    other_id = next(r["id"] for r in other if r["id"] != world.shelter)
    refused = lead.post(page, data={"csrf_token": _csrf(lead, page), "site_id": other_id, "action": "open"})
    assert refused.status_code == 403 and len(world.app.extensions["safety"].site_updates(event)) == 1
    for path in ("/persons", f"/safety/{event}", "/persons/1"):
        assert lead.get(path).status_code in (403, 404), path  # the register and the board are not theirs
    assert lead.get("/api/v1/persons").get_json()["persons"] == []
    token = world.accounts.issue_token("lead_west", "day-of")
    api = world.app.test_client().post(f"/api/v1/events/{event}/sites/{other_id}", json={"open": True},
                                       headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 403
    own = world.app.test_client().post(f"/api/v1/events/{event}/sites/{world.shelter}", json={"people": 20},
                                       headers={"Authorization": f"Bearer {token}"})
    assert own.status_code == 200 and own.get_json()["people"] == 20


def test_a_coordinator_opens_any_site_of_the_city_from_the_board(world):
    event = _event(world)
    coordinator = _login(world.app, "kokubunji")
    page = f"/safety/{event}/sites"
    shown = coordinator.get(page).get_data(as_text=True)
    assert "ほかの避難所を開設する" in shown
    coordinator.post(page, data={"csrf_token": _csrf(coordinator, page), "site_id": world.shelter,
                                 "action": "open", "people": "5", "capacity_day": "200"})
    board = coordinator.get(f"/safety/{event}").get_data(as_text=True)
    assert "開設・人数・状態を入力する" in board and "5 人" in board
    bad = coordinator.post(page, data={"csrf_token": _csrf(coordinator, page), "site_id": world.shelter,
                                       "people": "たくさん"}, follow_redirects=True)
    assert "保存できませんでした" in bad.get_data(as_text=True)
    assert _login(world.app, "koganei").get(page).status_code == 403
    assert coordinator.get("/safety/999999/sites").status_code == 404
