"""町丁目 names: their numbers read as numbers."""

from __future__ import annotations

from app.domain.chome import parse_number, town_order


def test_towns_sort_by_their_number_not_their_characters():
    towns = ["西町三丁目", "西町十丁目", "本町", "西町二丁目", "西町一丁目", "西町十二丁目"]
    assert sorted(towns, key=town_order) == ["本町", "西町一丁目", "西町二丁目", "西町三丁目", "西町十丁目",
                                               "西町十二丁目"]
    assert parse_number("二十三") == 23
