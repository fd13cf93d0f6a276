"""Schedules as councils write them, read as dates: 「毎月第2水曜日 13:30～15:30」, 「毎週火・金」.

A text is read into an RFC 5545 recurrence rule (weekly days, the n-th weekday of each month,
a day of each month) or one dated meeting (a year, month and day all stated). What cannot be
read that far (「年5～8回」, 「月1回」, a day without its month) stays text, with the reason, and
is never guessed into dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from app.domain.text import nfkc

WEEKDAYS = {"月": "MO", "火": "TU", "水": "WE", "木": "TH", "金": "FR", "土": "SA", "日": "SU"}
KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
# A time: 13:30, 13時30分, 午後2時, 午前10時30分 (a bare second time keeps the first's 午後).
TIME = re.compile(r"(午前|午後)?\s*(\d{1,2})(?:[:：](\d{2})|時(?:(\d{1,2})分|半)?)")
RANGE_DASH = "[～〜~\\-－ー]|から"


@dataclass(frozen=True)
class Schedule:
    """A schedule read as dates: a recurrence rule, or one dated meeting (``once``)."""

    rule: str | None  # e.g. "FREQ=MONTHLY;BYDAY=2SU,4SA" (RFC 5545, without DTSTART)
    once: date | None
    starts: time | None  # None: the hours are not stated
    ends: time | None
    text: str  # as written


def _times(text: str) -> tuple[time | None, time | None]:
    found = list(TIME.finditer(text))
    if not found:
        return None, None
    values, half = [], None
    for match in found[:2]:
        half = match.group(1) or half
        hour = int(match.group(2)) + (12 if half == "午後" and int(match.group(2)) < 12 else 0)
        minute = int(match.group(3) or match.group(4) or (30 if "半" in match.group(0) else 0))
        if hour > 23 or minute > 59:
            return None, None
        values.append(time(hour, minute))
    two = len(values) == 2 and re.search(RANGE_DASH, text[found[0].end():found[1].start()] or "")
    return values[0], values[1] if two else None


def _weekdays(text: str) -> list[str]:
    found = re.search(r"毎週((?:[月火水木金土日](?:曜日?)?[・、と,]?)+)", text)
    return [WEEKDAYS[c] for c in re.findall(r"([月火水木金土日])(?:曜日?)?", found.group(1))] if found else []


# 「第1・第3金曜日」, 「第2、4火曜」, 「第1と第3金曜」: the weeks of one weekday, then the weekday.
NTH = re.compile(r"第\s*([1-5一二三四五](?:\s*[・、,と及]\s*第?\s*[1-5一二三四五])*)\s*([月火水木金土日])曜")


def _nth_weekdays(text: str) -> list[str]:
    days = []
    for weeks, weekday in NTH.findall(text):
        numbers = re.findall(r"[1-5一二三四五]", weeks)
        days += [f"{KANJI_NUMBERS.get(n, n)}{WEEKDAYS[weekday]}" for n in numbers]
    return list(dict.fromkeys(days))


def _rule(text: str) -> str | None:
    if days := _weekdays(text):
        return f"FREQ=WEEKLY;BYDAY={','.join(days)}"
    # 「第1・第3金曜日」 is monthly whether or not 「毎月」 is written before it.
    if days := _nth_weekdays(text):
        return f"FREQ=MONTHLY;BYDAY={','.join(days)}"
    day = re.search(r"毎月(?:一度|1度|1回)?\s*(\d{1,2})日", text)
    if day:
        return f"FREQ=MONTHLY;BYMONTHDAY={int(day.group(1))}" if 1 <= int(day.group(1)) <= 31 else None
    return None


def _once(text: str) -> date | None:
    year = re.search(r"(\d{4})年", text)
    reiwa = re.search(r"令和\s*(\d{1,2})年", text)
    month_day = re.search(r"(\d{1,2})月\s*(\d{1,2})日", text)
    if not month_day:
        month, day = re.search(r"(\d{1,2})月", text), re.search(r"(?<![月\d])(\d{1,2})日", text)
        month_day = (month, day) if month and day else None
        parts = (int(month_day[0].group(1)), int(month_day[1].group(1))) if month_day else None
    else:
        parts = (int(month_day.group(1)), int(month_day.group(2)))
    stated = int(year.group(1)) if year else 2018 + int(reiwa.group(1)) if reiwa else None
    if parts is None or stated is None:
        return None
    try:
        found = date(stated, *parts)
    except ValueError:
        return None
    # 「13日（木）」: a weekday written beside the day must be that date's, or the reading is wrong.
    written = re.search(rf"{parts[1]}日\s*[（(]([月火水木金土日])", text)
    if written and WEEKDAYS[written.group(1)] != ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[found.weekday()]:
        return None
    return found


def parse_schedule(text: str) -> tuple[Schedule | None, str]:
    """The schedule ``text`` as dates, or None and why it cannot be read as dates.

    Returns
    -------
    schedule, reason
        ``reason`` is empty when the text was read.
    """
    folded = nfkc(text or "")
    if not folded:
        return None, "no schedule given"
    starts, ends = _times(folded)
    rule = _rule(folded)
    if rule:
        return Schedule(rule, None, starts, ends, text), ""
    once = _once(folded)
    if once:
        return Schedule(None, once, starts, ends, text), ""
    if re.search(r"\d\s*回", folded):
        return None, "a number of meetings without their days (e.g. 年5～8回): kept as text"
    return None, "no weekday, day of the month or full date in it: kept as text"


def occurrences(schedule: Schedule, start: date, days: int,
                dtstart: date) -> list[tuple[datetime, datetime | None]]:
    """The meetings from ``start`` for ``days`` days; ``dtstart``: the rule's first possible day."""
    end = datetime.combine(start + timedelta(days=days), time.min)
    begin = datetime.combine(start, time.min)
    at = schedule.starts or time.min
    if schedule.once:
        moments = [datetime.combine(schedule.once, at)]
    else:
        rule = rrulestr(schedule.rule, dtstart=datetime.combine(dtstart, at))
        moments = rule.between(begin, end, inc=True)
    out = []
    for moment in moments:
        if begin <= moment < end:
            finish = datetime.combine(moment.date(), schedule.ends) if schedule.ends else None
            out.append((moment, finish))
    return out
