"""The vocabulary of the product: resource kinds, area kinds, hazards, placement methods."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A resource or area kind: its key, labels, and whether the public may see its rows."""

    key: str
    label_ja: str
    label_en: str
    public: bool = True


RESOURCE_KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("salon", "サロン・地域交流会", "Salons"),
        Kind("hub", "居場所・拠点", "Community hubs"),
        Kind("vending_machine", "寄付型・災害対応自販機", "Donation / disaster vending machines"),
        Kind("shelter", "指定避難所", "Designated shelters"),
        Kind("emergency_site", "指定緊急避難場所", "Designated emergency evacuation sites"),
        Kind("school", "小学校", "Elementary schools"),
        Kind("disaster_park", "防災公園", "Disaster-prevention parks"),
        # 地域包括支援センター, 子ども家庭支援センター, 社協 …: where to ask, and for which area.
        Kind("consultation_desk", "相談窓口", "Consultation desks"),
        # 防災訓練: a dated event at a place, for an area and a hazard (a council's or 自治会's list).
        Kind("drill", "防災訓練", "Disaster drills"),
        # Set up by the 社協 on the day, opened in an event like a shelter.
        Kind("volunteer_centre", "災害ボランティアセンター", "Disaster volunteer centres"),
        # Exact locations of vacant houses are for coordinators only.
        Kind("vacant_house", "空き家", "Vacant houses", public=False),
    )
}

# Places that are sites (a key of city and address, shared by the GSI lists and councils' lists):
# what an event opens on the day, and what capacity and accessibility lists attach to.
SITE_KINDS = ("shelter", "emergency_site", "volunteer_centre")
LISTED_SITE_KINDS = ("shelter", "emergency_site")  # the kinds councils publish lists about

AREA_KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("city", "市", "Cities"),
        Kind("school_district", "小学校区", "Elementary school districts"),
        Kind("middle_school_district", "中学校区", "Middle school districts"),
        Kind("daily_living_area", "日常生活圏域", "Daily-living areas"),
        # Where a city publishes them: the unit residents organise mutual help in.
        Kind("neighbourhood_association", "自治会・町会", "Neighbourhood associations"),
        Kind("sediment_hazard", "土砂災害危険箇所", "Sediment disaster hazard areas"),
        Kind("catchment", "対象地域", "Declared catchments"),
    )
}

PROVENANCES = ("official", "derived", "approximate")
# Where an area's boundary comes from, as a person reads it (ja, en).
PROVENANCE_LABELS = {"official": ("公式", "official"), "derived": ("加工", "derived"),
                     "approximate": ("近似（最寄りの小学校）", "approximate (nearest school)")}

# GSI 指定緊急避難場所 column → hazard key.
HAZARDS: dict[str, tuple[str, str, str]] = {
    "flood": ("洪水", "洪水", "Flood"),
    "landslide": ("崖崩れ、土石流及び地滑り", "土砂災害", "Landslide / debris flow"),
    "storm_surge": ("高潮", "高潮", "Storm surge"),
    "earthquake": ("地震", "地震", "Earthquake"),
    "tsunami": ("津波", "津波", "Tsunami"),
    "large_fire": ("大規模な火事", "大規模な火事", "Large-scale fire"),
    "inland_flood": ("内水氾濫", "内水氾濫", "Inland flooding"),
    "volcano": ("火山現象", "火山現象", "Volcanic phenomena"),
}

# Words a list writes for a hazard, beside the labels above (a drill 「水害」 means floods).
HAZARD_WORDS = {"水害": "flood", "大雨": "flood", "浸水": "inland_flood", "土砂": "landslide",
                "がけ崩れ": "landslide", "火災": "large_fire", "火事": "large_fire", "震災": "earthquake"}


def hazard_keys(text: str) -> tuple[list[str], list[str]]:
    """(hazard keys, words that named none) of 「地震、水害」: by key, label or a common word."""
    keys, unread = [], []
    for part in (p.strip() for p in text.replace("・", "、").replace(",", "、").split("、")):
        if not part:
            continue
        key = next((k for k, labels in HAZARDS.items() if part == k or part in labels
                    or part.lower() == labels[2].lower()), None) or HAZARD_WORDS.get(part)
        (keys if key else unread).append(key or part)
    return list(dict.fromkeys(keys)), unread


PLACEMENTS = {
    "coordinates": "coordinates given in the source",
    "chome_centroid": "geocoded to the 町丁目 representative point",
    "venue_match": "placed at a known facility with the same name",
    "moved": "moved by a coordinator (on the map or by typed coordinates)",
    "not_placed": "not placed: no coordinates, address or matching venue",
}


def resource_kind(key: str) -> Kind:
    """Return the kind named ``key`` or raise ``ValueError`` listing the valid ones."""
    try:
        return RESOURCE_KINDS[key]
    except KeyError:
        raise ValueError(
            f"unknown resource kind {key!r}; use one of {', '.join(RESOURCE_KINDS)}"
        ) from None


def area_kind(key: str) -> Kind:
    """Return the area kind named ``key`` or raise ``ValueError`` listing the valid ones."""
    try:
        return AREA_KINDS[key]
    except KeyError:
        raise ValueError(f"unknown area kind {key!r}; use one of {', '.join(AREA_KINDS)}") from None
