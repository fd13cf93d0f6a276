"""Schedules read as dates when they say the dates, and kept as text (with why) when they do not."""

from __future__ import annotations

import csv
from datetime import date, datetime, time

import pytest

from app.domain.schedule import occurrences, parse_schedule
from tests.conftest import OPEN_DATA_DIR


@pytest.mark.parametrize("text, rule, starts, ends", [
    ("毎月第2水曜日 13:30～15:30", "FREQ=MONTHLY;BYDAY=2WE", time(13, 30), time(15, 30)),
    ("毎週火・金", "FREQ=WEEKLY;BYDAY=TU,FR", None, None),
    ("毎週木曜日午後5時～7時30分", "FREQ=WEEKLY;BYDAY=TH", time(17), time(19, 30)),
    ("毎月2回 第2日曜日と第4土曜日 11時30分〜14時00分", "FREQ=MONTHLY;BYDAY=2SU,4SA", time(11, 30), time(14)),
    ("毎月一度１２日", "FREQ=MONTHLY;BYMONTHDAY=12", None, None),
    # The forms councils write most: the weeks of one weekday, with or without 「毎月」 and 第 each time.
    ("第1・第3金曜日 10時～12時", "FREQ=MONTHLY;BYDAY=1FR,3FR", time(10), time(12)),
    ("毎月第2・第4火曜日 13:30-15:30", "FREQ=MONTHLY;BYDAY=2TU,4TU", time(13, 30), time(15, 30)),
    ("月2回（第1・3金曜日）", "FREQ=MONTHLY;BYDAY=1FR,3FR", None, None),
    ("第１、第３金曜日 午後1時半～3時", "FREQ=MONTHLY;BYDAY=1FR,3FR", time(13, 30), time(15)),
    ("第二木曜日", "FREQ=MONTHLY;BYDAY=2TH", None, None),
    ("第1月曜・第3木曜", "FREQ=MONTHLY;BYDAY=1MO,3TH", None, None),
])
def test_recurring_schedules(text, rule, starts, ends):
    schedule, why = parse_schedule(text)
    assert why == "" and (schedule.rule, schedule.starts, schedule.ends) == (rule, starts, ends)


def test_a_dated_meeting_needs_its_year_month_and_day_and_the_right_weekday():
    once, _ = parse_schedule("架空の会 13日（木）午後2時～3時30分（4月 令和5年）")
    assert once.once == date(2023, 4, 13) and once.starts == time(14)
    for text in ("15日（土）午後2時", "5月23日実施（年の記載なし）", "13日（金）（4月 令和5年）"):
        schedule, why = parse_schedule(text)
        assert schedule is None and why, text


def test_counts_of_meetings_stay_text():
    for text in ("年5～8回", "月1回", "年に5~8回(全10地区共通の記載)"):
        schedule, why = parse_schedule(text)
        assert schedule is None and "number of meetings" in why


def test_every_schedule_in_the_shared_facts_is_read_or_reported():
    texts = []
    for path in sorted((OPEN_DATA_DIR / "facts").glob("salons_*.csv")):
        with path.open(encoding="utf-8-sig") as handle:
            texts += [r["schedule"] for r in csv.DictReader(handle) if r.get("schedule")]
    assert texts
    results = [parse_schedule(t) for t in texts]
    assert all((schedule is None) != (why == "") for schedule, why in results)
    assert any(schedule is not None for schedule, _ in results) and any(schedule is None for schedule, _ in results)


def test_occurrences_of_a_monthly_rule():
    schedule, _ = parse_schedule("毎月第2水曜日 13:30～15:30")
    found = occurrences(schedule, date(2026, 12, 1), 45, date(2026, 12, 1))
    assert found == [(datetime(2026, 12, 9, 13, 30), datetime(2026, 12, 9, 15, 30)),
                     (datetime(2027, 1, 13, 13, 30), datetime(2027, 1, 13, 15, 30))]
