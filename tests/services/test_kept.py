"""Facts kept per data version are computed once, and again after any import (both backends)."""

from __future__ import annotations

from app.services.analysis_limits import unpublished_lists
from app.services.kept import kept
from app.storage.repository import DatasetMeta

SALON = {"kind": "salon", "name": "架空サロン", "city_code": "13214", "address": "", "source_row": 2,
         "placement": "coordinates", "placement_detail": "", "lonlat": (139.47, 35.70)}
SHELTER = {**SALON, "kind": "shelter", "name": "架空避難所", "targets": []}


def test_a_kept_fact_is_computed_once_per_data_version(repo):
    calls = []

    def count():
        calls.append(1)
        return len(calls)

    assert kept(repo, ("t",), count) == 1 and kept(repo, ("t",), count) == 1
    repo.replace_dataset(DatasetMeta("t:salons", "salon", "架空", "s.csv", "テスト"), resource_rows=[SALON])
    assert kept(repo, ("t",), count) == 2 and len(calls) == 2


def test_a_city_publishing_a_list_is_no_longer_said_to_leave_it_unknown(repo):
    assert "welfare_shelter" not in unpublished_lists(repo, "13214")  # no shelters at all: nothing to flag
    repo.replace_dataset(DatasetMeta("t:shelters", "shelter", "架空", "s.csv", "テスト"), resource_rows=[SHELTER])
    assert "welfare_shelter" in unpublished_lists(repo, "13214")  # shelters, none naming whom they take
    welfare = {**SHELTER, "name": "架空福祉避難所", "welfare_shelter": True, "targets": ["older"]}
    repo.replace_dataset(DatasetMeta("t:shelters", "shelter", "架空", "s.csv", "テスト"),
                         resource_rows=[SHELTER, welfare])
    assert "welfare_shelter" not in unpublished_lists(repo, "13214")


def test_an_edited_place_changes_the_kept_facts_too(repo, app):
    """A coordinator's edit moves no import's date: the newest audit record keeps the facts honest."""
    repo.replace_dataset(DatasetMeta("t:shelters", "shelter", "架空", "s.csv", "テスト"), resource_rows=[SHELTER])
    assert "welfare_shelter" in unpublished_lists(repo, "13214")
    [row] = repo.find_resources(kinds=["shelter"])
    accounts = app.extensions["accounts"]
    accounts.update(row["id"], {"welfare_shelter": True, "targets": ["older"]}, {"id": None, "username": "架空"},
                    row["version"])
    assert "welfare_shelter" not in unpublished_lists(repo, "13214")
