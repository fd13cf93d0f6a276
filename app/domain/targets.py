"""Who a place is for: target groups and categories, read from how councils describe them.

A coverage figure for older residents counts only places for older residents (or for
everyone): a children's cafeteria within 400 m of a 75-year-old is not a salon for them.
Texts that say nothing recognisable are reported, never guessed.
"""

from __future__ import annotations

import re

from app.domain.text import nfkc

TARGET_GROUPS = {
    "older": ("高齢者", "Older people"),
    "older_living_alone": ("ひとり暮らしの高齢者", "Older people living alone"),
    "children": ("子ども", "Children"),
    "parents_with_infants": ("乳幼児と保護者", "Parents with infants"),
    "foreign_residents": ("外国人住民", "Foreign residents"),
    "everyone": ("誰でも", "Everyone"),
}
CATEGORIES = {
    "community_salon": ("地域交流会・サロン", "Community salon"),
    "childrens_cafeteria": ("子ども食堂", "Children's cafeteria"),
    "childcare_plaza": ("子育てひろば", "Childcare plaza"),
    "multigenerational": ("多世代・誰でも", "For all generations"),
    "food_pantry": ("フードパントリー", "Food pantry"),
    "care_prevention": ("介護予防・通いの場", "Care prevention"),
    "consultation": ("相談窓口", "Consultation desk"),
}
# Words (after NFKC) that name a group; the order matters only for reading.
_GROUP_WORDS = (
    ("older_living_alone", r"(ひとり|一人|独居|単身)(暮らし|ぐらし)?.{0,6}(高齢|65歳)"
                           r"|(65歳|高齢).{0,12}(ひとり|一人)暮らし"),
    ("older", r"高齢|65歳|60歳以上|シニア|介護予防|ミニデイ|お年寄り|老人"),
    ("children", r"子ども|子供|こども|小学生|中学生|高校生|キッズ|児童"),
    ("parents_with_infants", r"乳幼児|赤ちゃん|子育て|親子|未就学"),
    # Not 国籍 alone: 「国籍も問わず」 says a place is for everyone, not for foreign residents.
    ("foreign_residents", r"外国|多文化|日本語を母語としない|日本語が"),
    # Explicit words only: 「カフェは一般も利用可」 beside a day service does not make it a place for all.
    ("everyone", r"誰でも|だれでも|どなたでも|幅広い世代|多世代"),
)
_CATEGORY_WORDS = (
    ("childrens_cafeteria", r"子ども食堂|こども食堂|子供食堂"),
    ("food_pantry", r"フードパントリー|フードバンク"),
    ("childcare_plaza", r"子育てひろば|子育て広場|親子ひろば"),
    ("care_prevention", r"介護予防|通いの場|テンミリオン|ミニデイ|いきいきサロン"),
    ("consultation", r"相談"),
    ("multigenerational", r"多世代|誰でも|いこいーな"),
    ("community_salon", r"サロン|交流会|居場所|カフェ"),
)
# What a category says about its people when the target text says nothing.
_CATEGORY_TARGETS = {"childrens_cafeteria": ("children",), "care_prevention": ("older",),
                     "childcare_plaza": ("parents_with_infants",), "multigenerational": ("everyone",)}


def category_of(text: str) -> str:
    """The category key a council's category or name text means, or '' when none fits."""
    folded = nfkc(text or "")
    return next((key for key, pattern in _CATEGORY_WORDS if re.search(pattern, folded)), "")


def target_groups(target_text: str, category: str = "") -> list[str]:
    """Target group keys in a 対象 text (「65歳以上のひとり暮らし」→ older_living_alone).

    Returns
    -------
    list of str
        Keys of ``TARGET_GROUPS``; empty when nothing is recognisable (then reported).
    """
    folded = nfkc(target_text or "")
    found = [key for key, pattern in _GROUP_WORDS if re.search(pattern, folded)]
    if "older_living_alone" in found and "older" in found:
        found.remove("older")  # 「65歳以上のひとり暮らし」 is a narrower group, not all older people
    if not found:
        found = list(_CATEGORY_TARGETS.get(category, ()))
    return found


def serves(targets, group: str | None) -> bool:
    """Does a place with ``targets`` count for ``group``? Everyone-places count for all groups.

    ``group`` None (no target asked for) counts every place, as before targets existed.
    """
    if group is None:
        return True
    wider = {"older_living_alone": ("older",)}.get(group, ())
    return bool(set(targets) & {group, "everyone", *wider})
