"""Can this person get in? A site's accessibility and what a person's needs ask of it.

Each feature is yes, no or unknown (None): a council's list that leaves a cell empty has not
said, and the product says 「不明」, never 「なし」. A site that says no to a feature a person needs
is not planned for them; one that has not said is, with the unknown named so that someone checks.
"""

from __future__ import annotations

from app.domain.text import nfkc

# key: (Japanese, English, やさしい日本語), in the order pages list them.
FEATURES = {
    "step_free": ("段差なし入口", "Step-free entrance", "だんさ の ない いりぐち"),
    "accessible_toilet": ("車いすトイレ", "Wheelchair toilet", "くるまいす で つかえる トイレ"),
    "elevator": ("エレベーター", "Lift", "エレベーター"),
    "welfare_space": ("福祉スペース", "Welfare space", "ふくし スペース"),
}
# Header words councils use for each feature (a list's column is found by any of them).
COLUMN_WORDS = {
    "step_free": ("段差なし入口", "段差なし", "段差解消", "スロープ", "バリアフリー入口", "step_free"),
    "accessible_toilet": ("車いすトイレ", "車椅子トイレ", "車いす対応トイレ", "車椅子対応トイレ",
                          "多目的トイレ", "多機能トイレ", "バリアフリートイレ", "accessible_toilet"),
    "elevator": ("エレベーター", "エレベータ", "昇降機", "elevator", "lift"),
    "welfare_space": ("福祉スペース", "要配慮者スペース", "welfare_space"),
}
YES = {"有", "有り", "あり", "○", "〇", "◯", "はい", "可", "設置", "yes", "y", "true", "1"}
NO = {"無", "無し", "なし", "×", "✕", "いいえ", "不可", "未設置", "no", "n", "false", "0"}
UNKNOWN = {"", "不明", "-", "－", "―", "未確認", "?", "？", "unknown"}
ANSWER_LABELS = {True: ("あり", "Yes", "ある"), False: ("なし", "No", "ない"),
                 None: ("不明", "Unknown", "わからない")}

# What a need asks of a site: a wheelchair needs a way in without steps and a toilet it fits;
# a walker or medical equipment needs the way in.
NEEDED = {"wheelchair": ("step_free", "accessible_toilet"), "walking": ("step_free",),
          "medical": ("step_free",)}


def read_answer(cell) -> tuple[bool | None, bool]:
    """(value, understood): 「あり」/「○」 → True, 「なし」/「×」 → False, empty/「不明」 → None."""
    text = nfkc(str(cell if cell is not None else "")).strip().lower()
    if text in {w.lower() for w in YES}:
        return True, True
    if text in {w.lower() for w in NO}:
        return False, True
    return None, text in {w.lower() for w in UNKNOWN}


def merged(listed: dict | None, own: dict | None) -> dict[str, bool | None]:
    """Every feature: a coordinator's own answer over the newest list's, else unknown."""
    listed, own = listed or {}, own or {}
    return {k: own[k] if own.get(k) is not None else listed.get(k) for k in FEATURES}


def of_place(row: dict) -> dict[str, bool | None]:
    """A stored place's answers: its own (``attributes.access``) over its newest list's."""
    return merged(row.get("listed_access"), (row.get("attributes") or {}).get("access"))


def needed_for(needs) -> list[str]:
    """The features a person with these needs must find at a site, in ``FEATURES`` order."""
    wanted = {f for n in needs or () for f in NEEDED.get(n, ())}
    return [f for f in FEATURES if f in wanted]


def fit(access: dict | None, needed) -> tuple[bool, list[str]]:
    """(the site may be planned, the needed features it has not said): a 「なし」 rules it out."""
    access = access or {}
    if any(access.get(f) is False for f in needed):
        return False, []
    return True, [f for f in needed if access.get(f) is None]


def labels(access: dict | None, lang: int = 0, sep: str = ": ") -> list[str]:
    """「段差なし入口: あり」 … for every feature, in one language (0 ja, 1 en, 2 やさしい日本語)."""
    access = access or {}
    return [f"{FEATURES[f][lang]}{sep}{ANSWER_LABELS[access.get(f)][lang]}" for f in FEATURES]
