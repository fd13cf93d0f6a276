"""Which programme a listed place runs under: by the category it was listed under, in its city."""

from __future__ import annotations

import pytest

from app.domain.programmes import programme_for, programme_key, reported_count

PROGRAMMES = [{"city_code": "99001", "name": "架空交流会"},
              {"city_code": "99001", "name": "架空サロン事業"},
              {"city_code": "99002", "name": "架空交流会"}]


@pytest.mark.parametrize("category, city, expected", [
    ("架空交流会(社協)", "99001", "架空交流会"),
    ("架空サロン", "99001", "架空サロン事業"),  # 事業 is not part of how places are listed
    ("架空交流会", "99003", None),  # another city's programme is not this city's
    ("子ども食堂", "99001", None),
    ("", "99001", None),
])
def test_a_place_belongs_to_the_programme_its_category_names(category, city, expected):
    found = programme_for(category, city, PROGRAMMES)
    assert (found["name"] if found else None) == expected


def test_a_category_naming_two_programmes_belongs_to_neither():
    both = [*PROGRAMMES, {"city_code": "99001", "name": "交流会"}]
    assert programme_for("架空交流会", "99001", both) is None


@pytest.mark.parametrize("text, expected", [("27ヶ所", 27), ("１０地区", 10), ("", None), ("多数", None)])
def test_reported_counts_are_read_as_written(text, expected):
    assert reported_count(text) == expected


def test_programme_key_drops_notes_and_jigyo():
    assert programme_key("架空サロン事業(市の補助)") == programme_key("架空サロン")


def test_two_reports_on_one_programme_are_one_programme():
    reports = [*PROGRAMMES, {"city_code": "99001", "name": "架空交流会", "count_reported": "12"}]
    assert programme_for("架空交流会", "99001", reports)["name"] == "架空交流会"
