"""Header aliases: Japanese, English and 自治体標準オープンデータセット column names."""

from __future__ import annotations

RESOURCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "施設名", "避難所名", "施設・場所名", "名前", "サロン名", "団体名", "name",
             "location_name", "場所名", "設置場所", "公園名", "park"),
    "address": ("住所", "所在地", "所在地_連結表記", "所在地_連結表記(住所)", "address",
                "venue_address", "会場住所"),
    "lat": ("緯度", "lat", "latitude", "y"),
    "lon": ("経度", "lon", "lng", "longitude", "x"),
    "schedule": ("開催日時", "開催日", "日時", "開催日程", "開催曜日", "利用可能曜日", "schedule"),
    "target_group": ("対象", "対象者", "受入対象者", "target", "target_group"),
    "capacity": ("定員", "収容人数", "想定収容人数", "capacity"),
    "notes": ("備考", "notes", "note", "説明"),
    "city": ("市区町村", "市区町村名", "所在地_市区町村", "city", "city_name"),
    "city_code": ("全国地方公共団体コード", "所在地_全国地方公共団体コード", "city_code",
                  "city_code6"),
    "venue_name": ("会場", "会場名", "開催場所", "venue", "venue_name"),
    "category": ("種別", "区分", "category", "facility_type", "machine_type", "type"),
    "external_id": ("ID", "共通ID", "NO", "id", "番号"),
    "target_area": ("対象地域", "担当区域", "担当地区", "target_area"),
    "phone": ("電話番号", "phone", "tel"),
    "url": ("URL", "url", "ホームページ"),
    "restricted": ("非公開", "restricted"),
    "source_id": ("source_id", "出典"),
    "designation": ("designation_noted", "指定"),
    "equipment": ("設備", "防災設備", "equipment", "equipment_as_written"),
    "as_of": ("時点", "基準日", "調査日", "as_of"),
    "hazard": ("想定災害", "想定する災害", "災害種別", "hazard"),
}

# The standard dataset splits the address; joined when no single address column exists.
STANDARD_ADDRESS_PARTS = ("所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下")

TRUTHY = {"1", "true", "yes", "y", "はい", "○", "〇", "有", "あり", "非公開"}
