"""Who a place is for: target groups and categories, read from how councils describe them.

A coverage figure for older residents counts only places for older residents (or for
everyone): a children's cafeteria within 400 m of a 75-year-old is not a salon for them.
Texts that say nothing recognisable are reported, never guessed.
"""

from __future__ import annotations

import re

from app.domain.chome import CHOME_RE, SEPARATORS, TOWN_CHOME_RE, parse_number
from app.domain.text import fold_ke, nfkc

TARGET_GROUPS = {
    "older": ("高齢者", "Older people"),
    "older_living_alone": ("ひとり暮らしの高齢者", "Older people living alone"),
    "children": ("子ども", "Children"),
    "parents_with_infants": ("乳幼児と保護者", "Parents with infants"),
    "foreign_residents": ("外国人住民", "Foreign residents"),
    "everyone": ("誰でも", "Everyone"),
    # The groups a 福祉避難所's 受入対象者 names (要配慮者: anyone needing care in a disaster).
    "needs_care": ("要配慮者", "People needing care"),
    "older_needing_care": ("介護が必要な高齢者", "Older people needing care"),
    "disabled": ("障害者", "People with disabilities"),
    "pregnant": ("妊産婦", "Pregnant women"),
}
# Each group's wider groups: a place for a wider group is a place for its people too, but a
# place for a narrower group is not a place for the whole wider group.
PARENTS = {
    "older_living_alone": ("older",),
    "older_needing_care": ("older", "needs_care"),
    "disabled": ("needs_care",),
    "pregnant": ("needs_care",),
    "parents_with_infants": ("needs_care",),
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


def wider_groups(group: str) -> set[str]:
    """``group`` and every group that holds it (older_needing_care → older, needs_care)."""
    out, todo = set(), [group]
    while todo:
        key = todo.pop()
        if key not in out:
            out.add(key)
            todo.extend(PARENTS.get(key, ()))
    return out


def narrower_groups(group: str) -> set[str]:
    """The groups inside ``group`` (older → older_living_alone, older_needing_care), not itself."""
    return {key for key in TARGET_GROUPS if key != group and group in wider_groups(key)}


def serves(targets, group: str | None) -> bool:
    """Does a place with ``targets`` count for ``group``? Everyone-places count for all groups.

    A place for a wider group counts (a place for older people serves those living alone); a
    place for a narrower one does not (a place for those living alone is not one for all older
    people). ``group`` None (no target asked for) counts every place, as before targets existed.
    """
    if group is None:
        return True
    return bool(set(targets) & (wider_groups(group) | {"everyone"}))


def serves_part_of(targets, group: str) -> bool:
    """True when a place serves only a narrower group of ``group``: said, never counted."""
    return not serves(targets, group) and bool(set(targets) & narrower_groups(group))


# 受入対象者 of a 指定避難所, as the GSI lists write it (「妊婦、乳幼児と付き添い者」「障害者、高齢者等」).
_SHELTER_WORDS = (
    ("pregnant", r"妊婦|妊産婦"),
    ("parents_with_infants", r"乳幼児|乳児|幼児|母子"),
    ("older", r"高齢"),
    ("disabled", r"障害|障がい|車いす|車椅子"),
    # 「妊産婦及び乳幼児等の要配慮者」 names the groups before it; 「重度要配慮者」 is anyone in need.
    ("needs_care", r"(?<!の)要配慮者"),
)
# The two welfare-shelter lines of a household card, each with the groups it is for.
WELFARE_LINES = {
    "older_disabled": ("older_needing_care", "disabled"),
    "pregnant_infants": ("pregnant", "parents_with_infants"),
}


def shelter_targets(text: str) -> list[str]:
    """Who a 指定避難所 is for, from its 受入対象者: ``["everyone"]`` when the column is empty.

    Returns
    -------
    list of str
        Keys of ``TARGET_GROUPS``; empty when the text names no group the rule knows (the import
        reports it, and the site is then neither a general shelter nor anyone's welfare shelter).
    """
    folded = nfkc(text or "")
    if not folded or folded.lower() in ("none", "null", "-", "なし"):
        return ["everyone"]
    return [key for key, pattern in _SHELTER_WORDS if re.search(pattern, folded)]


def listed_shelter_targets(attributes: dict) -> list[str]:
    """Who a listed shelter is for: its 受入対象者/対象, or 要配慮者 where it says only 福祉避難所."""
    targets = shelter_targets((attributes or {}).get("target_group", ""))
    if open_to_all(targets) and "福祉避難所" in (attributes or {}).get("designation", ""):
        return ["needs_care"]
    return targets


def open_to_all(targets) -> bool:
    """A general 指定避難所: anyone may go there (no 受入対象者 restricts it)."""
    return "everyone" in (targets or ())


def welfare_for(targets, groups) -> bool:
    """Tell whether a shelter with ``targets`` is a 福祉避難所 for someone of any of ``groups``.

    Only sites reserved for a group are welfare shelters; a nursery's site (妊婦・乳幼児) is never one
    for a frail older person, a 障害者 site never one for pregnant women.
    """
    return not open_to_all(targets) and any(serves(targets or [], g) for g in groups)


def group_label(targets, lang: int = 0) -> str:
    """The groups of ``targets`` as words (``lang`` 0 Japanese, 1 English), 「妊産婦・乳幼児と保護者」."""
    joiner = "・" if lang == 0 else ", "
    return joiner.join(TARGET_GROUPS[t][lang] for t in targets or () if t in TARGET_GROUPS)


def in_target_area(target_area: str, town: str) -> bool | None:
    """Tell whether the 町丁目 ``town`` (「東恋ケ窪二丁目」) lies in a programme's declared area.

    ``target_area`` as councils write it: 「東恋ヶ窪 2~3 丁目」, 「東元町、南町」. True with no
    declared area; None when the town is not known or a part of the text cannot be read (the
    caller then shows the declared area in words rather than guessing).
    """
    written = nfkc(target_area or "")
    if not written:
        return True
    if not town:
        return None
    match = TOWN_CHOME_RE.match(fold_ke(nfkc(town)))
    base, number = (match["base"], parse_number(match["n"])) if match else (fold_ke(nfkc(town)), None)
    readable = True
    for token in re.split(SEPARATORS, written.replace(" ", "")):
        ranged = CHOME_RE.match(fold_ke(token))
        if ranged is None:
            if re.sub(r"(の)?(全域|全町)$", "", fold_ke(token)) == base:
                return True
            readable = readable and not re.search(r"\d|丁目|番", token)
            continue
        first, last = parse_number(ranged["a"]), parse_number(ranged["b"] or ranged["a"])
        if ranged["base"] == base and None not in (first, last, number) and first <= number <= last:
            return True
    return False if readable else None


def welfare_groups(target: str | None) -> tuple[str, ...]:
    """The groups whose 福祉避難所 a reach figure for ``target`` counts (older people by default)."""
    if target in ("pregnant", "parents_with_infants"):
        return WELFARE_LINES["pregnant_infants"]
    if target in ("disabled", "needs_care"):
        return (target,)
    return ("older_needing_care",)


def overlaps(targets, group: str) -> bool:
    """Tell whether a place for ``targets`` could hold people of ``group`` at all (要配慮者, older: yes).

    Open-to-all places and places with no reserved group always can; a site reserved for
    pregnant women and infants cannot be a place for older people.
    """
    reserved = set(targets or ()) - {"everyone"}
    if not reserved or open_to_all(targets):
        return True
    return any(t in wider_groups(g) and group in wider_groups(g) for t in reserved for g in TARGET_GROUPS)


# Reach layer → (kind, which of its sites count): ``reach_rule`` reads the second.
REACH_LAYERS = {"shelter": ("shelter", "general"), "welfare_shelter": ("shelter", "welfare"),
                "emergency_site": ("emergency_site", None)}


def reach_rule(layer: str | None, target: str | None):
    """Which sites a reach layer counts, as a test of a site's targets (None: every site).

    ``general``: 指定避難所 open to all (never one reserved for a group); ``welfare``: 福祉避難所
    for the groups of ``target`` (``welfare_groups``).
    """
    if layer == "general":
        return open_to_all
    if layer == "welfare":
        groups = welfare_groups(target)
        return lambda targets: welfare_for(targets, groups)
    return None


# What a facility's own type says of its people when no 対象 is written (a hub of a council list).
_FACILITY_WORDS = (
    ("parents_with_infants", r"保育園|保育所|幼稚園|こども園|子育て支援"),
    ("children", r"児童館|学童"),
    ("older", r"高齢者|老人|デイサービス|テンミリオン"),
    ("disabled", r"障害者|障がい者"),
)


def facility_targets(text: str) -> list[str]:
    """Groups a facility type or name names (「保育園」→ parents_with_infants); [] for a general one."""
    folded = nfkc(text or "")
    return [key for key, pattern in _FACILITY_WORDS if re.search(pattern, folded)]
