"""Facts tables: city figures and programmes read as written; a row of an unknown city is named."""

from __future__ import annotations

import pytest

from app.importers.city_facts import parse_programmes, parse_shelter_capacity, parse_vacant_houses
from app.importers.report import ImportFailed
from tests.importers.helpers import write_csv

CITIES = {"架空市": "99001"}


def test_programmes_keep_their_rules_and_reported_count(tmp_path):
    path = write_csv(tmp_path / "programs.csv", [
        ["city", "program", "operator", "criteria_or_schedule", "count_reported", "as_of", "notes", "source_id"],
        ["架空市", "架空交流会", "架空社協", "対象65歳以上", "3地区", "令和8年", "", "X1"]])
    [row], report = parse_programmes(path, CITIES)
    assert report.stored == 1
    assert row == {"city_code": "99001", "name": "架空交流会", "operator": "架空社協", "rules": "対象65歳以上",
                   "count_reported": "3地区", "as_of": "令和8年", "notes": "", "source_id": "X1"}


@pytest.mark.parametrize("parse, header", [
    (parse_programmes, ["city", "program"]),
    (parse_vacant_houses, ["city", "survey", "vacant_units"]),
    (parse_shelter_capacity, ["city", "level", "capacity"]),
])
def test_a_row_of_an_unknown_city_is_named(tmp_path, parse, header):
    values = {"program": "架空事業", "survey": "架空調査", "vacant_units": "5戸", "level": "city_total",
              "capacity": "100"}
    path = write_csv(tmp_path / "facts.csv", [header, ["架空町", *[values[h] for h in header[1:]]]])
    with pytest.raises(ImportFailed, match=r"facts.csv, row 2, column 'city': unknown city '架空町'"):
        parse(path, CITIES)


def test_an_empty_programme_name_is_refused(tmp_path):
    path = write_csv(tmp_path / "programs.csv", [["city", "program"], ["架空市", ""]])
    with pytest.raises(ImportFailed, match="row 2, column 'program': programme name is empty"):
        parse_programmes(path, CITIES)
