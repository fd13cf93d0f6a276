"""User-interface strings in Japanese (default) and English, shared by pages and map script."""

from __future__ import annotations

LANGUAGES = ("ja", "en")
# Suffixes that keep a boundary's provenance in every layer name.
PROVENANCE_LABELS = {"approximate": {"ja": "（近似）", "en": " (approximate)"},
                     "derived": {"ja": "（町丁目表から推定）", "en": " (derived from 町丁目 lists)"}}

STRINGS: dict[str, dict[str, str]] = {
    "title": {"ja": "ふれあいマップ", "en": "Fureai Map"},
    "subtitle": {"ja": "地域の福祉と防災の地図", "en": "Community welfare and hazard map"},
    "switch_language": {"ja": "English", "en": "日本語"},
    "search": {"ja": "名称・住所で検索", "en": "Search by name or address"},
    "search_button": {"ja": "検索", "en": "Search"},
    "no_results": {"ja": "見つかりませんでした", "en": "Nothing found"},
    "near_me": {"ja": "近くを探す", "en": "Near me"},
    "from_location": {"ja": "現在地から", "en": "From my location"},
    "pick_on_map": {"ja": "地図をクリックして地点を選ぶ", "en": "Click the map to choose a point"},
    "looking_for": {"ja": "探すもの", "en": "Looking for"},
    "pace": {"ja": "歩く速さ", "en": "Walking pace"},
    "pace_43": {"ja": "高齢者 43 m/分", "en": "Older adult 43 m/min"},
    "pace_60": {"ja": "一般 60 m/分", "en": "Adult 60 m/min"},
    "pace_80": {"ja": "速歩 80 m/分", "en": "Brisk 80 m/min"},
    "minutes": {"ja": "分", "en": "min"},
    "metres": {"ja": "m", "en": "m"},
    "walk_note": {"ja": "直線距離×1.3 を歩く距離とした目安", "en": "Estimate: straight line × 1.3"},
    "district_here": {"ja": "この地点の小学校区", "en": "School district here"},
    "no_district": {"ja": "小学校区のデータがありません", "en": "No school district data here"},
    "approximate": {"ja": "近似", "en": "approximate"},
    "approximate_note": {"ja": "近似の学区（最寄りの小学校による推定。公式の通学区域ではありません）",
                         "en": "Approximate district (nearest school; not the official zone)"},
    "derived_note": {"ja": "町丁目の一覧表から作成した区域（境界は町丁目の代表点から推定）",
                     "en": "Built from a 町丁目 list (boundary estimated from 町丁目 points)"},
    "print_map": {"ja": "この学区の印刷用地図（PDF）", "en": "Printable map of this district (PDF)"},
    "vacant_counts": {"ja": "空き家（学区ごとの件数のみ公開）",
                      "en": "Vacant houses (public: counts per district only)"},
    "sign_in": {"ja": "サインイン", "en": "Sign in"},
    "workspace": {"ja": "ワークスペース", "en": "Workspace"},
    "hazard_filter": {"ja": "避難場所の災害種別", "en": "Emergency sites for hazard"},
    "all_hazards": {"ja": "すべて", "en": "All"},
    "legend": {"ja": "凡例", "en": "Legend"},
    "no_data": {"ja": "データなし", "en": "no data"},
    "no_data_upstream": {"ja": "公開データがありません", "en": "the publisher has no data"},
    "list_view": {"ja": "一覧表示（表）", "en": "List view (tables)"},
    "map_view": {"ja": "地図に戻る", "en": "Back to the map"},
    "about_data": {"ja": "データと出典", "en": "Data and sources"},
    "hazard_legend": {"ja": "ハザードの凡例", "en": "Hazard legend"},
    "opacity": {"ja": "ハザードの透明度", "en": "Hazard opacity"},
    "name": {"ja": "名称", "en": "Name"},
    "address": {"ja": "住所", "en": "Address"},
    "schedule": {"ja": "開催日時", "en": "Schedule"},
    "target_group": {"ja": "対象", "en": "For"},
    "capacity": {"ja": "定員・収容人数", "en": "Capacity"},
    "unknown": {"ja": "不明", "en": "unknown"},
    "hazards": {"ja": "対象とする災害", "en": "Designated for"},
    "welfare_shelter": {"ja": "福祉避難所（要配慮者向け）", "en": "Welfare shelter (people needing care)"},
    "also_listed": {"ja": "同じ場所の指定", "en": "Same site also listed as"},
    "source": {"ja": "出典", "en": "Source"},
    "placement": {"ja": "位置の決め方", "en": "Location from"},
    "notes": {"ja": "備考", "en": "Notes"},
    "city": {"ja": "市", "en": "City"},
    "analysis": {"ja": "サロンの空白地域（コーディネーター向け）", "en": "Salon gaps (for coordinators)"},
    "analysis_short": {"ja": "空白地域の分析", "en": "Gap analysis"},
    "minutes_limit": {"ja": "徒歩の上限（分）", "en": "Walking limit (minutes)"},
    "area_kind": {"ja": "集計単位", "en": "Areas"},
    "recompute": {"ja": "再計算", "en": "Recompute"},
    "add_salon": {"ja": "地図をクリックしてサロンを仮に追加", "en": "Click the map to add a salon (what-if)"},
    "reset": {"ja": "仮の変更を取り消す", "en": "Undo what-ifs"},
    "pct_covered": {"ja": "徒歩圏内の割合", "en": "% within walking distance"},
    "not_covered": {"ja": "徒歩圏外の人数", "en": "People beyond walking distance"},
    "population": {"ja": "対象人口", "en": "Population"},
    "covered": {"ja": "徒歩圏内", "en": "Covered"},
    "median_walk": {"ja": "最寄りまでの距離（中央値）", "en": "Median walk to nearest"},
    "suggestions": {"ja": "新しいサロンの候補地", "en": "Suggested new sites"},
    "gain": {"ja": "新たに徒歩圏に入る人数", "en": "People newly within reach"},
    "gaps": {"ja": "徒歩圏外の人口（250mメッシュ）", "en": "People beyond reach (250 m mesh)"},
    "remove_hint": {"ja": "サロンをクリックすると仮に除外できます",
                    "en": "Click a salon to remove it (what-if)"},
    "change": {"ja": "変更前との差", "en": "Change from current"},
    "placement_coordinates": {"ja": "元データの座標", "en": "coordinates in the source"},
    "placement_chome_centroid": {"ja": "町丁目の代表点（おおよその位置）",
                                 "en": "町丁目 centre (approximate)"},
    "placement_venue_match": {"ja": "会場の施設の位置", "en": "the venue's location"},
    "placement_not_placed": {"ja": "位置不明", "en": "not placed"},
    "placement_moved": {"ja": "コーディネーターが位置を修正", "en": "moved by a coordinator"},
    "venue": {"ja": "会場", "en": "Venue"},
    "targets": {"ja": "主な対象", "en": "Mainly for"},
    "category": {"ja": "区分", "en": "Category"},
    "equipment": {"ja": "防災設備", "en": "Disaster equipment"},
    "data_limits": {"ja": "データの限界", "en": "Data limits"},
    "private_not_shown": {"ja": "件の非公開の場所は表示していません", "en": "private places not shown"},
}


def strings(lang: str) -> dict[str, str]:
    """All UI strings in ``lang`` (falls back to Japanese)."""
    lang = lang if lang in LANGUAGES else "ja"
    return {key: value[lang] for key, value in STRINGS.items()}


def pick_language(value: str | None) -> str:
    """``value`` when it is a supported language, else Japanese."""
    return value if value in LANGUAGES else "ja"
