"""What an answer says of its limits, in the reader's language: one sentence key, three wordings.

An analysis names the limits of its data (an approximate district, a missing list, an old
schedule). Each limit is a ``Said``: a key and its values, which reads as English where a string
is expected (the API's default, the CLI, logs) and is put in Japanese or やさしい日本語 by
``in_language`` for a page or a PDF in those languages: never an English sentence on a
Japanese page.
"""

from __future__ import annotations

from app.domain.kinds import AREA_KINDS, RESOURCE_KINDS
from app.domain.targets import TARGET_GROUPS

LANGS = ("en", "ja", "ja-easy")
SENTENCES = {
    "whole_city": (
        "{city} has no {area_kind} areas loaded: the whole city is answered as one area",
        "{city}には{area_kind}のデータがないため、市全体をひとつの区域として答えています",
        "{city}には {area_kind}の データが ありません。市ぜんたいを ひとつとして 答えて います"),
    "approximate": (
        "{area_kind} boundaries of {cities} are approximate (nearest school), not the official zones",
        "{cities}の{area_kind}は近似です（最寄りの小学校による区分で、公式の通学区域ではありません）",
        "{cities}の {area_kind}は だいたいの 線です（本当の 通学区域では ありません）"),
    "no_emergency_list": (
        "{city} publishes no 指定緊急避難場所 list: emergency-site reach is unknown there (—), not 0",
        "{city}は指定緊急避難場所の一覧を公開していません。緊急避難場所までの割合は不明（—）で、0ではありません",
        "{city}は 緊急避難場所の リストを 出して いません。わかりません（—）。0では ありません"),
    "no_target_text": (
        "no 受入対象者 published for {city}: welfare-shelter reach unknown (—)",
        "{city}の公開データには福祉避難所の受入対象者がありません。福祉避難所までの割合は不明（—）です",
        "{city}の データには 福祉避難所の 対象の 人が 書いて ありません。わかりません（—）"),
    "only_target": (
        "only places for {group} or for everyone are counted",
        "{group}向け、または誰でも使える場所だけを数えています",
        "{group}の ための 場所と、だれでも 使える 場所だけを 数えて います"),
    "not_loaded": (
        "no {label} are loaded for {city}: {what} reach is unknown (—), not 0; import the list "
        "(fureai import shelters)",
        "{city}の{label}が入っていないため、割合は不明（—）で、0ではありません。一覧を取り込んでください",
        "{city}の {label}の リストが ありません。わかりません（—）。0では ありません"),
    "no_list": (
        "{city}: no {label} list is loaded: coverage is unknown (—), not 0",
        "{city}: {label}の一覧が入っていないため、割合は不明（—）で、0ではありません",
        "{city}: {label}の リストが ありません。わかりません（—）。0では ありません"),
    "unplaced_list": (
        "{city}: {n} {label} are listed but none has a known location: coverage is unknown (—), not 0",
        "{city}: {label}は{n}件ありますが、どれも位置が分からないため、割合は不明（—）で、0ではありません",
        "{city}: {label}は {n}けん ありますが、場所が わかりません。わかりません（—）"),
    "subgroup": (
        "{n} places are for {sub_group} only, a narrower group than {group}: not counted here; the measure "
        "for them is target={sub}",
        "{n}件は{sub_group}だけの場所で、{group}全体向けではないため数えていません（target={sub}で数えます）",
        "{n}けんは {sub_group}だけの 場所です。ここでは 数えて いません（target={sub}）"),
    "stale": (
        "{n} counted places rest on information more than {years} years old (情報が古い可能性): {names}",
        "数えた場所のうち{n}件は{years}年より前の情報です（情報が古い可能性）: {names}",
        "数えた 場所の うち {n}けんは 古い 情報かも しれません: {names}"),
    "closed": (
        "not counted, their notes say they closed or paused (to be confirmed): {names}",
        "休止・終了の記載があるため数えていません（確認中）: {names}",
        "休み・終わりと 書いて あるので 数えて いません: {names}"),
    "welfare": (
        "welfare-shelter reach counts only 福祉避難所 for {groups} (or for everyone needing care); sites "
        "reserved for another group (e.g. pregnant women and infants) are not counted, and general "
        "指定避難所 reach counts no site reserved for a group",
        "福祉避難所の割合は{groups}向けの福祉避難所（と要配慮者全般向け）だけを数えています。ほかの人向けの場所"
        "（妊産婦・乳幼児向けなど）は数えず、指定避難所の割合には対象が決まっている場所を数えていません",
        "福祉避難所は {groups}の ための 場所だけを 数えて います。ほかの 人の ための 場所は 数えて いません"),
    "no_2015": (
        "no 2015 population is loaded: the change since 2015 is not shown",
        "2015年の人口が入っていないため、2015年からの変化は示していません",
        "2015年の 人口の データが ないので、変化は 出して いません"),
    "change_2015": (
        "change since 2015: the 2015 figure is split from 500 m cells and the 2020 one from 250 m "
        "cells, so a district's change mixes real change with where a coarse cell's people were "
        "placed; read it as approximate",
        "2015年からの変化: 2015年は500 m、2020年は250 mのメッシュから区域に分けているため、"
        "変化には実際の変化と分け方の違いが混ざります。目安として読んでください",
        "2015年からの 変化は だいたいの 数です"),
    "programme_count": (
        "{city} reports {reported} for {programme}{as_of}; {listed} are on the map here, and only those are "
        "counted",
        "{city}は{programme}を{reported}と公表しています{as_of}。この地図にあるのは{listed}件で、数えたのはそれだけです",
        "{city}は {programme}を {reported}と 言って います。地図に あるのは {listed}けんです"),
}
_INDEX = {lang: i for i, lang in enumerate(LANGS)}


def _group(key: str, lang: str) -> str:
    label_ja, label_en = TARGET_GROUPS[key]
    return label_en.lower() if lang == "en" else label_ja


def _word(name: str, value, lang: str):
    """A value in the reader's language: a group, an area kind or a kind of place by its label."""
    japanese = lang != "en"
    if name in ("group", "sub_group") and value in TARGET_GROUPS:
        return _group(value, lang)
    if name == "groups":
        return (" or " if lang == "en" else "・").join(_group(g, lang) for g in value)
    if name == "area_kind" and value in AREA_KINDS:
        return AREA_KINDS[value].label_ja if japanese else value
    if name == "kind" and value in RESOURCE_KINDS:
        return RESOURCE_KINDS[value].label_ja if japanese else RESOURCE_KINDS[value].label_en
    return value


def render(key: str, lang: str, values: dict) -> str:
    """The sentence ``key`` in ``lang`` (en, ja or ja-easy), its values put in that language."""
    template = SENTENCES[key][_INDEX.get(lang, 0)]
    return template.format(**{name: _word(name, value, lang) for name, value in values.items()})


class Said(str):
    """A sentence of an answer: reads as English, and knows its key and values for other languages."""

    key: str
    values: dict

    def __new__(cls, key: str, **values):
        """The English sentence of ``key`` with ``values``, keeping both for ``in_language``."""
        made = super().__new__(cls, render(key, "en", values))
        made.key, made.values = key, values
        return made

    def __reduce__(self):
        """Pickled (a Dask worker, a deep copy) as its key and values, not as its English text."""
        return _said, (self.key, self.values)


def _said(key: str, values: dict) -> Said:
    return Said(key, **values)


def in_language(sentence: str, lang: str) -> str:
    """``sentence`` in ``lang`` when it is a ``Said``; any other sentence as it is."""
    return render(sentence.key, lang, sentence.values) if isinstance(sentence, Said) else sentence
