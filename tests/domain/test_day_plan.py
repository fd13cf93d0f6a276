"""The day's rules: which open shelter a registered person may be sent to, and what is unknown."""

from __future__ import annotations

from app.domain import day_plan


def _site(**over):
    return {"targets": ["everyone"], "hazards": [], "twin_hazards": ["earthquake"],
            "access": {"step_free": True, "accessible_toilet": True}, **over}


def test_room_is_capacity_less_people_and_unknown_when_either_is():
    assert day_plan.free_room({"capacity_day": 100, "people": 30}) == 70
    assert day_plan.free_room({"capacity_day": None, "people": 30}) is None
    assert day_plan.takes_people({"open": True, "state": "crowded", "capacity_day": 100, "people": 99})
    assert not day_plan.takes_people({"open": True, "state": "accepting", "capacity_day": 100, "people": 100})
    assert not day_plan.takes_people({"open": True, "state": "full", "capacity_day": None, "people": None})
    assert not day_plan.takes_people({"open": False, "state": "closed"})


def test_a_shelter_is_designated_by_its_own_flags_or_its_twins_and_else_has_not_said():
    assert day_plan.designation([], ["flood"], "flood") is True
    assert day_plan.designation([], ["earthquake"], "flood") is False
    assert day_plan.designation([], [], "flood") is None
    assert day_plan.designation([], [], None) is True


def test_a_frail_older_person_is_never_sent_to_a_site_for_infants_nor_through_steps():
    older = ["older_needing_care"]
    assert day_plan.fits(_site(), older, ["step_free"], "earthquake").ok
    assert not day_plan.fits(_site(targets=["pregnant", "parents_with_infants"]), older, [], "earthquake").ok
    assert day_plan.fits(_site(targets=["older_needing_care"]), older, [], "earthquake").ok
    assert not day_plan.fits(_site(access={"step_free": False}), older, ["step_free"], "earthquake").ok
    assert not day_plan.fits(_site(), older, [], "flood").ok  # designated for earthquakes only
    unknown = day_plan.fits(_site(twin_hazards=[], access={}), older, ["step_free"], "flood")
    assert unknown.ok and unknown.unknown == ["step_free", "hazard"]
    assert day_plan.unknown_words(unknown.unknown) == ["段差なし入口が不明", "この災害への指定が不明"]
