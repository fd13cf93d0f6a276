"""A shelter on the day: open or closed, how full, what it has, and whether its news is stale.

Every change is a new record (nothing is overwritten); the status of a site is its latest record.
States and amenities are read in Japanese, English or as keys, as a coordinator types them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

STATES = {"accepting": ("受入可", "Accepting"), "crowded": ("混雑", "Crowded"), "full": ("満員", "Full"),
          "closed": ("閉鎖", "Closed")}
AMENITIES = {"water": ("水", "Water"), "toilet": ("トイレ", "Toilets"), "power": ("電気", "Power"),
             "pets": ("ペット", "Pets"), "welfare_space": ("福祉スペース", "Welfare space"),
             "nursing_room": ("授乳室", "Nursing room")}
STALE_AFTER_HOURS = 3  # an open site not updated for this long says so
MAX_PEOPLE = 100_000


def _key(text: str, vocabulary: dict) -> str | None:
    """The key of ``text`` written as a key, its Japanese label or its English label (any case)."""
    cleaned = (text or "").strip()
    for key, (ja, en) in vocabulary.items():
        if cleaned in (key, ja) or cleaned.lower() == en.lower():
            return key
    return None


def state_key(text: str) -> str | None:
    """受入可 | 混雑 | 満員 | 閉鎖 (or accepting …) as its key; None for anything else."""
    return _key(text, STATES)


def amenity_keys(values) -> tuple[list[str], list[str]]:
    """(keys, unread): amenities from a list or a text split at commas and 、."""
    if isinstance(values, str):
        values = values.replace("、", ",").split(",")
    keys, unread = [], []
    for value in values or []:
        if not str(value).strip():
            continue
        key = _key(str(value), AMENITIES)
        (keys if key else unread).append(key or str(value).strip())
    return list(dict.fromkeys(keys)), unread


def stale(updated_at: datetime, now: datetime, hours: float = STALE_AFTER_HOURS) -> bool:
    """True when an open site's last news is older than ``hours``: the page says so."""
    return now - updated_at > timedelta(hours=hours)


def next_status(previous: dict | None, change: dict) -> dict:
    """The new record: ``change`` over the previous one (what is not said stays as it was).

    Closing sets the state to 閉鎖; opening without a state says 受入可.
    """
    base = {"open": False, "people": None, "capacity_day": None, "capacity_night": None,
            "state": "closed", "has": []}
    status = {**base, **(previous or {}), **{k: v for k, v in change.items() if v is not None}}
    if change.get("open") is False:
        status["state"] = "closed"
    elif change.get("open") and status["state"] == "closed":
        status["state"] = change.get("state") or "accepting"
    return {k: status[k] for k in base}
