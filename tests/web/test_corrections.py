"""「情報の修正を送る」: invisible until a coordinator of the city approves, audited at each step."""

from __future__ import annotations

from tests.web.helpers import _csrf, _login


def _send(client, resource_id, **fields):
    path = f"/resources/{resource_id}/correction"
    return client.post(path, data={"csrf_token": _csrf(client, path), **fields})


def _shown_name(world, resource_id):
    return world.app.test_client().get(f"/api/v1/resources/{resource_id}").get_json()["properties"]["name"]


def test_a_correction_is_invisible_until_approved_and_audited(world):
    public = world.app.test_client()
    before = _shown_name(world, world.shelter)
    sent = _send(public, world.shelter, name="架空の新しい名前", message="名前が変わりました（架空）")
    assert sent.status_code == 200 and "受け付けました" in sent.get_data(as_text=True)
    assert _shown_name(world, world.shelter) == before  # nothing public changes yet
    coordinator = _login(world.app, "kokubunji")
    listing = coordinator.get("/workspace/corrections").get_data(as_text=True)
    assert "架空の新しい名前" in listing and before in listing
    assert "架空の新しい名前" not in _login(world.app, "koganei").get("/workspace/corrections").get_data(as_text=True)
    [pending] = world.accounts.corrections(cities=["13214"])
    other = _login(world.app, "koganei")
    assert other.post(f"/workspace/corrections/{pending['id']}", data={
        "csrf_token": _csrf(other, "/workspace"), "decision": "approve"}).status_code == 403
    done = coordinator.post(f"/workspace/corrections/{pending['id']}", data={
        "csrf_token": _csrf(coordinator, "/workspace"), "decision": "approve", "note": "架空の確認済み"})
    assert done.status_code == 302 and _shown_name(world, world.shelter) == "架空の新しい名前"
    actions = [(e["action"], e["summary"]) for e in world.accounts.history(resource_id=world.shelter)]
    assert actions[0] == ("correction", f"correction #{pending['id']} approved: 架空の確認済み")
    assert actions[1][0] == "update" and actions[2] == ("correction", f"correction #{pending['id']} sent: name")
    assert world.accounts.corrections(cities=["13214"]) == []


def test_a_rejected_correction_changes_nothing(world):
    before = _shown_name(world, world.shelter)
    _send(world.app.test_client(), world.shelter, name="架空の誤った名前")
    [pending] = world.accounts.corrections(cities=["13214"])
    coordinator = _login(world.app, "kokubunji")
    coordinator.post(f"/workspace/corrections/{pending['id']}", data={
        "csrf_token": _csrf(coordinator, "/workspace"), "decision": "reject"})
    assert _shown_name(world, world.shelter) == before
    assert world.accounts.correction(pending["id"])["status"] == "rejected"


def test_private_places_take_no_corrections_and_bad_input_is_explained(world):
    public = world.app.test_client()
    for private in (world.vacant, world.salon):
        assert public.get(f"/resources/{private}/correction").status_code == 404
    assert public.post(f"/resources/{world.shelter}/correction", data={"name": "x"}).status_code == 400  # no CSRF
    nothing = _send(public, world.shelter)
    assert nothing.status_code == 400 and "nothing differs" in nothing.get_data(as_text=True)
    long = _send(public, world.shelter, message="あ" * 1001)
    assert long.status_code == 400 and "longer than 1000" in long.get_data(as_text=True)
    assert world.accounts.corrections(cities=None) == []


def test_corrections_are_throttled(world):
    public = world.app.test_client()
    answers = [_send(public, world.shelter, message=f"架空のお知らせ {i}").status_code for i in range(6)]
    assert answers == [200] * 5 + [429]
