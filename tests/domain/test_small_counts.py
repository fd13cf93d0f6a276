"""The one small-count rule: hidden under the threshold, rounded above it, none and few alike."""

from __future__ import annotations

from app.domain.small_counts import ROUND_TO, published


def test_two_area_kinds_cannot_be_subtracted_to_find_one_person():
    # 東中学校 4 and 東小学校 3 (the red team's case): both read 約5, so their difference says nothing.
    assert published(4, 3).count == published(3, 3).count == 5
    for smaller in range(3, 200):
        difference = published(smaller + 1, 3).count - published(smaller, 3).count
        assert difference in (0, ROUND_TO)  # never the one person the true difference would name


def test_none_and_few_read_alike():
    assert published(0, 3) == published(2, 3) and published(0, 3).status == "hidden"
    assert published(0, 3).label(3) == "3未満" and published(12, 3).label(3) == "約10"
