"""What is old, and what has closed: the as-of of a place's information, read from its own words.

A schedule transcribed from a 2017 article, or marked 「コロナ前の記載」, is not this year's
meeting. Each place keeps the year its information was stated (read from its texts, else its
source's date); past ``STALE_AFTER_YEARS`` it is 「情報が古い可能性」: shown with that label, never
published as certain. A note that says the place closed or paused keeps it out of counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.domain.text import nfkc

STALE_AFTER_YEARS = 3  # the documented default; ``STALE_AFTER_YEARS`` in the app's settings
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
# Before the pandemic: a schedule stated then is at best as of 2019.
BEFORE_COVID = re.compile(r"コロナ前|新型コロナ.{0,6}前")
# Words that say a place stopped (not 「雨天中止」 or 「15時終了」, which are part of a schedule).
CLOSED = re.compile(r"使用できなくなっ|使えなくなっ|休止|活動を.{0,4}(停止|終了)|閉鎖|廃止|閉所|閉店|解散")
STALE_LABEL = ("情報が古い可能性", "Information may be out of date")
CLOSED_LABEL = ("休止・終了の記載あり（確認待ち）", "Said to be closed or paused (to be confirmed)")


@dataclass(frozen=True)
class Freshness:
    """How current a place's information is: the year it was stated, and its state.

    ``state``: ``current``, ``stale`` (older than the limit), ``closed`` (its own note says it
    closed or paused) or ``unknown`` (no date anywhere).
    """

    year: int | None
    state: str

    @property
    def counts(self) -> bool:
        """Whether the place counts in analyses: not when its note says it closed."""
        return self.state != "closed"


def years_in(text: str) -> list[int]:
    """Every year a text states: 2018年, 2023-04-01, 令和5年, 平成30年, and コロナ前 as 2019."""
    folded = nfkc(text or "")
    found = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?=年|-|/|\.|\s|$|\))", folded)]
    for era, start in ERAS.items():
        found += [start + (1 if n == "元" else int(n)) for n in re.findall(rf"{era}(\d{{1,2}}|元)年", folded)]
    if BEFORE_COVID.search(folded):
        found.append(2019)
    return found


def stated_year(texts: list[str], source_date: str = "") -> int | None:
    """The year a place's information was stated: the newest year its texts name, else its source's.

    Texts that name no year leave the source's date (「2025-10」) as the as-of.
    """
    named = [y for text in texts for y in years_in(text)]
    if BEFORE_COVID.search(nfkc(" ".join(texts))):
        return 2019  # a note that the schedule is from before the pandemic overrides later mentions
    if named:
        return max(named)
    source = years_in(source_date or "")
    return max(source) if source else None


def freshness(attributes: dict, source_date: str, today: date,
              years: int = STALE_AFTER_YEARS) -> Freshness:
    """The freshness of one place from its attributes (schedule, notes) and its source's date."""
    attributes = attributes or {}
    texts = [str(attributes.get(k) or "") for k in ("schedule", "notes", "as_of")]
    year = stated_year(texts, source_date)
    if CLOSED.search(" ".join(texts[1:])) or "休止" in texts[0]:
        return Freshness(year, "closed")
    if year is None:
        return Freshness(None, "unknown")
    return Freshness(year, "stale" if today.year - year > years else "current")
