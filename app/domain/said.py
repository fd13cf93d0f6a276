"""What an answer says of its limits, in the reader's language: one sentence key, three wordings.

An analysis names the limits of its data (an approximate district, a missing list, an old
schedule). Each limit is a ``Said``: a key and its values, which reads as English where a string
is expected (the API's default, the CLI, logs) and is put in Japanese or やさしい日本語 by
``in_language`` for a page or a PDF in those languages: never an English sentence on a
Japanese page.
"""

from __future__ import annotations

from app.domain.kinds import AREA_KINDS, HAZARDS, RESOURCE_KINDS
from app.domain.said_imports import IMPORT_SENTENCES
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
        "{city}は指定緊急避難場所の一覧を公開していません。"
        "緊急避難場所までの割合は不明（—）で、0ではありません",
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
        "福祉避難所の割合は{groups}向けの福祉避難所（と要配慮者全般向け）だけを数えています。"
        "ほかの人向けの場所"
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
        "{city}は{programme}を{reported}と公表しています{as_of}。"
        "この地図にあるのは{listed}件で、数えたのはそれだけです",
        "{city}は {programme}を {reported}と 言って います。地図に あるのは {listed}けんです"),
    # 「この場所の危険」 and the household card (services.card, outputs.card).
    "risk_inside_landslide": (
        "This place is inside an area at risk of landslides ({source}). In heavy rain, leave early for an "
        "emergency site designated for landslides.",
        "この場所は土砂災害のおそれがある区域（{source}）の中です。大雨のときは早めに、"
        "土砂災害に指定された緊急避難場所へ避難してください。",
        "ここは 土砂くずれの きけんが ある 区域（{source}）の "
        "中です。大雨の ときは 早めに、土砂災害の ための "
        "避難場所へ にげて ください。"),
    "risk_inside_flood": (
        "This place is inside an area that may flood ({source}). Before the river overflows, go to an "
        "emergency site designated for floods, or to an upper floor.",
        "この場所は洪水で浸水するおそれがある区域（{source}）の中です。川があふれる前に、"
        "洪水に指定された緊急避難場所か、建物の高い階へ避難してください。",
        "ここは 洪水で 水に つかる きけんが ある 区域（{source}）の "
        "中です。川が あふれる 前に、洪水の ための "
        "避難場所か、たてものの 高い 階へ にげて ください。"),
    "risk_inside_other": (
        "This place is inside an area at risk of {hazard} "
        "({source}). Check the sites designated for {hazard}.",
        "この場所は{hazard}のおそれがある区域（{source}）の中です。"
        "{hazard}に指定された避難場所を確かめてください。",
        "ここは {hazard}の きけんが ある 区域（{source}）の "
        "中です。{hazard}の ための 避難場所を たしかめて ください。"),
    "risk_outside": (
        "This place is outside the {hazard} areas this map holds ({source}). That does not mean there is no "
        "other danger.",
        "この場所は、この地図にある{hazard}の区域（{source}）の外です。"
        "ほかの危険がないという意味ではありません。",
        "ここは この 地図に ある {hazard}の 区域（{source}）の "
        "外です。ほかの きけんが ない という ことでは ありません。"),
    "risk_unknown": (
        "This map holds no {hazards} areas. Check the city's hazard map.",
        "{hazards}の区域はこの地図にありません。市のハザードマップで確認してください。",
        "この 地図には {hazards}の 区域が ありません。市の ハザードマップで たしかめて ください。"),
    "card_no_emergency_list": (
        "{city} publishes no list of designated emergency evacuation sites: the sites below belong to "
        "neighbouring cities. Check the city's disaster map.",
        "{city}は指定緊急避難場所の一覧を公開していません。下の緊急避難場所は近くの市のものです。"
        "市の防災マップで確認してください。",
        "{city}は 緊急避難場所の リストを 出して いません。"
        "下の 場所は 近くの 市の ものです。市の 防災マップで "
        "たしかめて ください。"),
    "card_no_target_text": (
        "{city}'s open data does not say whom its welfare shelters are for: ask the city which is yours.",
        "{city}の公開データには福祉避難所の受入対象者がありません。福祉避難所は市に確認してください。",
        "{city}の データには 福祉避難所が だれの ための "
        "ものか 書いて ありません。市に たしかめて ください。"),
    "card_distance_basis": (
        "Walking at {pace} m/min; distances and times are estimates: 1.3 times the straight line from the "
        "町丁目's representative point, to 10 m.",
        "歩く速さは分速{pace} m。距離と時間は、町丁目の代表点からの直線距離の1.3倍を歩く道のりとした目安です"
        "（10 m単位）。",
        "1分で {pace} m あるく として、きょりと 時間は だいたいです"
        "（町の まん中から まっすぐの きょりの 1.3倍）。"),
    "card_approximate": (
        "The school district is approximate (nearest school): ask the city for the official zone.",
        "小学校区は最寄りの小学校による近似です。公式の通学区域は市に確認してください。",
        "小学校の 区域は だいたいです。本当の 区域は 市に たしかめて ください。"),
    "card_no_desk": (
        "This map's data does not say which consultation desk (地域包括支援センター …) serves this place: "
        "ask the city.",
        "この場所を担当する相談窓口（地域包括支援センターなど）は、"
        "この地図のデータでは分かりません。市に確認してください。",
        "この 場所の 相談の 窓口は この 地図では わかりません。市に たしかめて ください。"),
    "card_no_salon_list": (
        "This city's list of salons and meeting places is not loaded yet.",
        "この市のサロン・集いの場の一覧はまだ入っていません",
        "この 市の サロンや 集まる 場所の リストは まだ ありません"),
    "card_no_salon_near": (
        "No meeting place for older people is registered within walking distance.",
        "歩いて行ける範囲に、高齢の方の集いの場の登録がありません",
        "あるいて 行ける ところに、お年よりの 集まる 場所が ありません"),
    "card_no_match": (
        "address {address!r} matched no 町丁目 of the stored cities; write it as on a letter, e.g. "
        "国分寺市西町4-12-3 or 西町四丁目",
        "「{address}」に当たる町丁目が見つかりません。"
        "手紙の宛名のように書いてください（例: 国分寺市西町4-12-3、西町四丁目）",
        "「{address}」の 町が 見つかりません。"
        "手紙の あて名の ように 書いて ください（れい: 国分寺市西町4-12-3）"),
    "card_no_address": (
        "give an address (address=西町4-12-3) or a point (lat= and lon=)",
        "住所を入れてください（例: 国分寺市西町4-12-3）。地図で場所を選ぶこともできます",
        "じゅうしょを 入れて ください（れい: 国分寺市西町4-12-3）。地図で 場所を えらぶ ことも できます"),
    "card_outside": (
        "({lat}, {lon}) is in none of the stored cities; choose a point inside one",
        "この地点（{lat}, {lon}）は、この地図にあるどの市にも入っていません。市の中の地点を選んでください",
        "この 場所（{lat}, {lon}）は この 地図の 市の 中では ありません。市の 中を えらんで ください"),
}
SENTENCES.update(IMPORT_SENTENCES)  # what an import says of a row, kept in its own module
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
    if name in ("hazard", "hazards"):
        keys = [value] if isinstance(value, str) else list(value)
        words = [HAZARDS[k][1] if japanese else HAZARDS[k][2].lower() for k in keys if k in HAZARDS]
        return ("・" if japanese else ", ").join(words)
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
