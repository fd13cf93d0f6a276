"""Places stacked on one point (a list placed at its 町丁目) cost a bounded read, and the answer stays right.

Found by the red team: 2,000 places at one 町丁目 point made the card and the category search read
every one of them. Made-up salons; both backends.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.domain.walking import WalkingModel
from app.services.nearby import WIDEST, nearest_places
from app.storage.repository import DatasetMeta

CENTRE = (139.4800, 35.7000)
STACK = 2000


def _salon(i: int, lon: float, lat: float, category: str = "") -> dict:
    return {"kind": "salon", "name": f"架空サロン{i:04d}", "city_code": "13214", "address": "",
            "source_row": i + 2, "placement": "town", "placement_detail": "", "category": category,
            "lonlat": (lon, lat)}


@pytest.fixture
def stacked(repo):
    """2,000 salons on one point 300 m east of the centre; one of another category 600 m west."""
    rows = [_salon(i, CENTRE[0] + 0.0033, CENTRE[1]) for i in range(STACK)]
    rows.append(_salon(STACK, CENTRE[0] - 0.0066, CENTRE[1], category="子ども食堂"))
    rows.append(_salon(STACK + 1, CENTRE[0] + 0.0005, CENTRE[1]))  # the nearest, 45 m east
    repo.replace_dataset(DatasetMeta("t:stack", "salon", "架空の積み重ね", "stack.csv", "テスト"),
                         resource_rows=rows)
    return repo


def _row_limits(repo) -> list[int]:
    """The page sizes the database is asked for while the test runs."""
    seen: list[int] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        for params in getattr(context, "compiled_parameters", None) or []:
            if "row_limit" in params:
                seen.append(params["row_limit"])

    event.listen(repo.engine, "before_cursor_execute", record)
    return seen


def test_the_nearest_of_places_stacked_on_a_town_point_is_read_a_page_at_a_time(stacked):
    limits = _row_limits(stacked)
    [first] = nearest_places(stacked, *CENTRE, 1, WalkingModel(), kinds=["salon"])
    assert first["name"] == f"架空サロン{STACK + 1:04d}"
    assert limits and max(limits) <= 100


def test_a_search_that_turns_the_stack_away_still_finds_the_place_beyond_it(stacked):
    limits = _row_limits(stacked)
    [found] = nearest_places(stacked, *CENTRE, 1, WalkingModel(), kinds=["salon"],
                             keep=lambda r: r["category"] == "子ども食堂", radii=(0.05, None), enough=1)
    assert found["name"] == f"架空サロン{STACK:04d}"
    assert 520 < found["distance_m"] < 680
    # The page grew while the stack was turned away, and stopped at its widest.
    assert max(limits) == WIDEST
