"""Offline geocoding of addresses to 町丁目 representative points (a ``domain.geocoding.Geocoder``).

Uses ``normalize-japanese-addresses`` against the Geolonia address data shipped with the
open data (``address/geolonia-api/ja``), so nothing is fetched from the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.domain.geocoding import Geocoded
from app.domain.text import clean_address, fold_ke

PREFECTURE = "東京都"

class ChomeGeocoder:
    """Geocode addresses to the 町丁目 they name.

    Parameters
    ----------
    api_dir : Path
        The ``geolonia-api/ja`` folder (prefectures → municipalities → 町丁目 with lat/lng).
    """

    def __init__(self, api_dir: Path):
        api_dir = Path(api_dir).resolve()
        if not (api_dir / "ja.json").exists() and not (api_dir.parent / "ja.json").exists():
            raise FileNotFoundError(
                f"{api_dir}: no Geolonia address data (ja.json); set OPEN_DATA_DIR to the open data"
            )
        self._endpoint = f"file://{api_dir}"
        self._cache: dict[str, Geocoded | None] = {}
        self._towns_by_city: dict[str, set[str]] = {}

    def cities_naming(self, text: str, city_names: list[str]) -> list[str]:
        """Those of ``city_names`` with a 町丁目 whose name (「西町」 of 西町四丁目) is in ``text``.

        The normaliser takes ~0.2 s a call; a search typed without its city asks it only of
        the cities that can mean it.
        """
        folded = fold_ke(clean_address(text))
        return [city for city in city_names if any(town and town in folded for town in self._towns(city))]

    def _towns(self, city: str) -> set[str]:
        if city not in self._towns_by_city:
            path = Path(self._endpoint.removeprefix("file://")) / PREFECTURE / f"{city}.json"
            rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
            self._towns_by_city[city] = {fold_ke(re.sub(r"[一二三四五六七八九十]+丁目$", "", r["town"]))
                                         for r in rows}
        return self._towns_by_city[city]

    def towns(self, city_name: str) -> list[Geocoded]:
        """Every 町丁目 of ``city_name`` with its representative point, as the address data lists them."""
        path = Path(self._endpoint.removeprefix("file://")) / PREFECTURE / f"{city_name}.json"
        rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        found = {r["town"]: r for r in rows if r.get("lat") is not None and not r.get("koaza")}
        return [Geocoded(float(r["lat"]), float(r["lng"]), town, "") for town, r in found.items()]

    def geocode(self, address: str, city_name: str = "") -> Geocoded | None:
        """Return the 町丁目 point of ``address``, or ``None`` if no 町丁目 matched.

        ``city_name`` is prefixed when the address omits it, as council lists usually do.
        """
        text = clean_address(address)
        if not text:
            return None
        if city_name and city_name not in text:
            text = city_name + text
        if not text.startswith(PREFECTURE):
            text = PREFECTURE + text
        if text not in self._cache:
            self._cache[text] = self._lookup(text)
        return self._cache[text]

    def _lookup(self, text: str) -> Geocoded | None:
        # deferred: the normaliser takes ~0.15 s to import, and most processes never geocode
        from normalize_japanese_addresses import normalize

        result = normalize(text, endpoint=self._endpoint)
        # Level 3 = matched down to the 町丁目; lower levels only found the city.
        if result.get("level", 0) < 3 or result.get("lat") is None:
            return None
        return Geocoded(float(result["lat"]), float(result["lng"]), result["town"], result["addr"])
