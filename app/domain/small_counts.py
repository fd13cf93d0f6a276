"""One rule for every count the public sees of private places and of people: small ones hidden, all rounded.

Hiding counts under a threshold is not enough when the same people are counted over two area
kinds: 東中学校's 4 minus 東小学校's 3 is the one person of 東町五丁目, which neither count
shows. Every published count is therefore rounded to a multiple of ``ROUND_TO`` as well (the
difference of two rounded counts no longer pins one person down), and "none" is never told apart
from "few" (a zero would say where no one is; "no list" would say a city has one private salon).
"""

from __future__ import annotations

from dataclasses import dataclass

ROUND_TO = 5
DEFAULT_THRESHOLD = 3  # PRIVACY_THRESHOLD's default, for answers computed without the app's settings


@dataclass(frozen=True)
class Published:
    """A count as the public may see it: ``count`` (rounded, or None) and ``status``.

    ``status``: ``shown`` (rounded to ``ROUND_TO``) or ``hidden`` (fewer than the threshold, none
    included); ``no_register`` where a city keeps no register at all (a fact about the city, not
    about anyone in it).
    """

    count: int | None
    status: str

    def label(self, threshold: int) -> str:
        """The count in words: 「約10」 or 「3未満」."""
        return {"shown": f"約{self.count}", "hidden": f"{threshold}未満",
                "no_register": "名簿なし"}.get(self.status, "")


def rounded(count: int, base: int = ROUND_TO) -> int:
    """``count`` to the nearest multiple of ``base``, never below ``base`` for a count shown."""
    return max(base, int((count + base / 2) // base) * base)


def published(count: int, threshold: int) -> Published:
    """The public form of a true ``count``: hidden under ``threshold``, else rounded."""
    if count < threshold:
        return Published(None, "hidden")
    return Published(rounded(count), "shown")
