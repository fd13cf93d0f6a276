"""Accessibility per site: a council's list (あり/なし/不明) matched like capacities, shown, and ruled on.

The world is 国分寺's real boundary and the two fictional shelters (架空…) of ``test_capacity``.
"""

from __future__ import annotations

import pytest

from app.domain import site_access
from app.importers.report import ImportFailed
from app.services import catalogue
from app.services.capacity import import_access
from tests.importers.helpers import write_csv
from tests.services.test_capacity import shelters  # noqa: F401  (the fixture)

HEADER = ("施設名", "住所", "段差なし入口", "多目的トイレ", "エレベーター", "時点")


def _list(tmp_path, *rows, header=HEADER, name="access.csv"):
    return write_csv(tmp_path / name, [list(header), *[list(r) for r in rows]])


def _access(repo, name):
    [row] = repo.find_resources(kinds=["shelter"], name=name)
    return catalogue.resource_feature(row)["properties"]["access"]


def test_a_list_says_yes_no_or_unknown_per_feature(shelters, tmp_path):  # noqa: F811
    path = _list(tmp_path, ("架空第一小学校", "", "○", "×", "", "2026-04-01"),
                 ("第二小(体育館)", "本町2-2-2", "あり", "有", "不明", ""))
    report = import_access(shelters, path, city="13214")
    assert report.stored == 2
    assert _access(shelters, "架空第一小学校") == {"step_free": True, "accessible_toilet": False,
                                              "elevator": None, "welfare_space": None}
    assert _access(shelters, "架空第二小学校")["accessible_toilet"] is True
    [row] = shelters.find_resources(kinds=["shelter"], name="架空第一小学校")
    flat = catalogue.resource_feature(row, flat=True)["properties"]
    assert (flat["access_step_free"], flat["access_accessible_toilet"], flat["access_elevator"]) == \
        (True, False, None)


def test_the_newest_list_is_read_and_a_place_with_no_list_is_unknown(shelters, tmp_path):  # noqa: F811
    import_access(shelters, _list(tmp_path, ("架空第一小学校", "", "×", "×", "×", "")), city="13214")
    import_access(shelters, _list(tmp_path, ("架空第一小学校", "", "○", "", "", ""), name="new.csv"),
                  city="13214")
    assert _access(shelters, "架空第一小学校")["step_free"] is True
    assert set(_access(shelters, "架空第二小学校").values()) == {None}


def test_a_word_that_is_no_answer_rejects_the_file_naming_the_cell(shelters, tmp_path):  # noqa: F811
    bad = _list(tmp_path, ("架空第一小学校", "", "○", "", "", ""), ("架空第二小学校", "", "たぶん", "", "", ""))
    with pytest.raises(ImportFailed) as caught:
        import_access(shelters, bad, city="13214")
    assert "access.csv, row 3, column '段差なし入口'" in str(caught.value)
    assert set(_access(shelters, "架空第一小学校").values()) == {None}  # nothing stored


def test_a_list_without_any_feature_column_is_refused(shelters, tmp_path):  # noqa: F811
    with pytest.raises(ImportFailed) as caught:
        import_access(shelters, _list(tmp_path, ("架空第一小学校", "x"), header=("施設名", "備考")),
                      city="13214")
    assert "段差なし入口" in str(caught.value) and "多目的トイレ" in str(caught.value)


def test_what_a_need_asks_of_a_site():
    assert site_access.needed_for(["wheelchair", "sight"]) == ["step_free", "accessible_toilet"]
    assert site_access.needed_for(["hearing"]) == []
    # A 「なし」 rules a site out; a site that has not said is kept with the unknown named.
    assert site_access.fit({"step_free": False}, ["step_free"]) == (False, [])
    assert site_access.fit({"step_free": None, "accessible_toilet": True},
                           ["step_free", "accessible_toilet"]) == (True, ["step_free"])
    assert site_access.merged({"step_free": False}, {"step_free": True, "elevator": None}) == \
        {"step_free": True, "accessible_toilet": None, "elevator": None, "welfare_space": None}
    assert site_access.read_answer("〇") == (True, True) and site_access.read_answer("×") == (False, True)
    assert site_access.read_answer("") == (None, True) and site_access.read_answer("maybe") == (None, False)
