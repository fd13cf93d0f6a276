"""「自分の避難場所を知ろう」: the four questions of 西東京's loop, its answers, and their tallies.

The loop: a shelter map to every household → their answers on paper or phone (知っている？ 自力で
行ける？ 助けが必要？ どんな助け？) → tallied per area → worked through on paper by the 懇談会.
Pure rules: the vocabulary, checking one answer, adding answers and tallies up per 町丁目, and
what the public may see of the sums.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field

from app.domain.text import whole_number

YES_NO = {"yes": "はい", "no": "いいえ"}
QUESTIONS = {
    "knows": ("避難場所を知っていますか？", YES_NO),
    "alone": ("自力で行けますか？", {**YES_NO, "unsure": "わからない"}),
    "needs_help": ("助けが必要ですか？", YES_NO),
}
HELP_KINDS = {
    "walking": "歩くのが難しい", "wheelchair": "車いす", "sight": "目が不自由", "hearing": "耳が不自由",
    "language": "日本語が不安", "small_children": "小さな子ども", "pets": "ペット", "other": "その他",
}
EASY = {"knows": "にげる ばしょを しって いますか？", "alone": "ひとりで いけますか？",
        "needs_help": "てつだいが ひつようですか？"}
MAX_PEOPLE = 30  # people in one household; more is a typing error
# Letters and digits no one confuses when typing from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    """A short code for one printed sheet: 8 characters, about 39 bits, not guessable by trying."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str:
    """A typed code as stored: upper case, without spaces or hyphens."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


class AnswerError(ValueError):
    """One field of an answer is not acceptable; ``field`` names it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def check_answer(values: dict, chome_names: list[str]) -> dict:
    """One household's answer, checked: the three questions, the kinds of help, the 町丁目, the people.

    Returns
    -------
    dict
        ``chome``, ``people``, ``knows``, ``alone``, ``needs_help``, ``help_kinds`` (list) and
        ``free_text``; raises ``AnswerError`` naming the first field that is wrong.
    """
    out = {}
    for key, (question, choices) in QUESTIONS.items():
        value = (values.get(key) or "").strip()
        if value not in choices:
            raise AnswerError(key, f"{question} — choose one of {', '.join(choices.values())}")
        out[key] = value
    kinds = [k for k in (values.get("help_kinds") or []) if k]
    unknown = [k for k in kinds if k not in HELP_KINDS]
    if unknown:
        raise AnswerError("help_kinds", f"unknown kind of help {unknown[0]!r}")
    out["help_kinds"] = list(dict.fromkeys(kinds)) if out["needs_help"] == "yes" else []
    out["free_text"] = (values.get("free_text") or "").strip()[:500] if out["needs_help"] == "yes" else ""
    chome = (values.get("chome") or "").strip()
    if chome not in chome_names:
        raise AnswerError("chome", "choose your 町丁目 from the list of this area")
    out["chome"] = chome
    people = str(values.get("people") or "1").strip()
    if whole_number(people, 3) is None or not 1 <= int(people) <= MAX_PEOPLE:
        raise AnswerError("people", f"the number of people is a whole number from 1 to {MAX_PEOPLE}")
    out["people"] = int(people)
    return out


@dataclass
class Tally:
    """The sums of one 町丁目 (or of an area): sheets out, answers in, and each answer counted."""

    sheets: int = 0
    answers: int = 0
    counts: Counter = field(default_factory=Counter)  # "knows:yes", "help:wheelchair" … → households

    def add_answer(self, answer: dict) -> None:
        """Count one household's answer."""
        self.answers += 1
        for key in QUESTIONS:
            self.counts[f"{key}:{answer[key]}"] += 1
        for kind in answer["help_kinds"]:
            self.counts[f"help:{kind}"] += 1

    def add(self, other: Tally) -> None:
        """Add another tally (a 自治会's counts, or a 町丁目 into its area)."""
        self.sheets += other.sheets
        self.answers += other.answers
        self.counts.update(other.counts)

    def share(self, key: str) -> float | None:
        """The share of answers that said ``key`` ("knows:yes"), or None without answers."""
        return self.counts[key] / self.answers if self.answers else None

    @property
    def response_rate(self) -> float | None:
        """Answers per sheet given out; above 1 when more came back than were printed (flagged)."""
        return self.answers / self.sheets if self.sheets else None


def public_view(tally: Tally, threshold: int) -> dict:
    """What the public may see of one 町丁目's tally: the rate and who know, or 「N未満」."""
    if tally.answers < threshold:
        return {"status": "hidden", "label": f"{threshold}未満", "response_rate": None, "knows": None}
    return {"status": "shown", "label": str(tally.answers), "response_rate": tally.response_rate,
            "knows": tally.share("knows:yes")}
