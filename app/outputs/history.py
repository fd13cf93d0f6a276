"""A place's history in a coordinator's words: what was done, and each field from what to what.

The audit keeps snapshots of the editable fields (``storage.edits.snapshot``); a person reads the
difference, with the field's name and the values as the forms show them, never the JSON.
"""

from __future__ import annotations

from app.domain.kinds import RESOURCE_KINDS
from app.domain.targets import CATEGORIES, TARGET_GROUPS

ACTIONS = {"create": "登録", "update": "変更", "delete": "削除", "restore": "元に戻す",
           "import": "一覧の取込", "areas": "支援者の担当地区", "event": "安否確認",
           "site": "避難所の開設状況"}
FIELDS = {"supporter_areas": "担当地区",
          "name": "名称", "address": "住所", "kind": "種類", "city_code": "市", "lat": "緯度", "lon": "経度",
          "capacity": "定員", "restricted": "公開", "welfare_shelter": "福祉避難所", "category": "種別",
          "targets": "誰のための場所か", "placement": "位置の決め方", "placement_detail": "位置の説明",
          "schedule": "開催日時", "target_group": "対象", "notes": "備考", "venue_name": "会場",
          "target_area": "対象地域"}
PLACEMENTS = {"coordinates": "緯度経度から", "chome_centroid": "町丁目の代表点",
              "venue_match": "同じ名前の施設の位置", "moved": "地図上で移動",
              "not_placed": "地図に置けていない"}
HIDDEN = {"placement_detail"}  # said by 位置の決め方 and the coordinates already


def _flat(snapshot: dict | None) -> dict:
    """A snapshot with its free-text attributes beside the columns."""
    if not snapshot:
        return {}
    out = {k: v for k, v in snapshot.items() if k != "attributes"}
    out.update(snapshot.get("attributes") or {})
    return out


def shown(field: str, value) -> str:
    """A stored value as the forms show it (labels, not codes; 「—」 for nothing)."""
    if value in (None, "", []):
        return "—"
    if field == "kind":
        return RESOURCE_KINDS[value].label_ja if value in RESOURCE_KINDS else str(value)
    if field == "targets":
        return "、".join(TARGET_GROUPS[k][0] if k in TARGET_GROUPS else str(k) for k in value)
    if field == "category":
        return CATEGORIES[value][0] if value in CATEGORIES else str(value)
    if field == "placement":
        return PLACEMENTS.get(value, str(value))
    if field == "restricted":
        return "非公開" if value else "公開"
    if field == "welfare_shelter":
        return "はい" if value else "いいえ"
    if field == "supporter_areas":  # 「13214:西町四丁目」 reads as 西町四丁目
        return "、".join(str(code).rpartition(":")[2] for code in value)
    return str(value)


def changed_fields(before: dict | None, after: dict | None) -> list[dict]:
    """Each field that differs: its label, and the value before and after, as shown."""
    old, new = _flat(before), _flat(after)
    keys = [k for k in FIELDS if k in old or k in new] + sorted((old.keys() | new.keys()) - FIELDS.keys())
    return [{"label": FIELDS.get(k, k), "before": shown(k, old.get(k)), "after": shown(k, new.get(k))}
            for k in keys if k not in HIDDEN and old.get(k) != new.get(k)]


def readable(entry: dict) -> dict:
    """An audit entry with its action named and its changes listed (``changed_fields``)."""
    return {**entry, "action_label": ACTIONS.get(entry["action"], entry["action"]),
            "changes": changed_fields(entry.get("before"), entry.get("after"))}
