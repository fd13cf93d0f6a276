"""On the day: a contact becomes a number to call, and the board puts who may be forgotten first."""

from __future__ import annotations

import pytest

from app.domain.persons import board_order, phone_link


@pytest.mark.parametrize(("contact", "link"), [
    ("000-0000-0001", "tel:00000000001"), ("０４２（３００）１２３４", "tel:0423001234"),
    ("自宅 042-300-1234、長女 090-0000-0000", "tel:0423001234"), ("0423001234", "tel:0423001234"),
    ("", None), (None, None), ("someone@example.jp", None), ("長女に連絡", None),
])
def test_a_phone_number_becomes_a_link_to_call(contact, link):
    assert phone_link(contact) == link


def test_the_board_puts_the_unconfirmed_with_no_supporter_first():
    people = [{"status": "safe", "covered": False, "district": "A"},
              {"status": "unconfirmed", "covered": True, "district": "A"},
              {"status": "unconfirmed", "covered": False, "district": "B"}]
    ordered = sorted(people, key=board_order)
    assert [(p["status"], p["covered"]) for p in ordered] == [("unconfirmed", False), ("unconfirmed", True),
                                                              ("safe", False)]
