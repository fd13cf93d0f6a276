"""One offline geocoder per process, built on first use from OPEN_DATA_DIR."""

from __future__ import annotations

import functools
from pathlib import Path

from app.domain.geocoding import Geocoder
from app.importers.address import ChomeGeocoder

API_DIR = Path("address") / "geolonia-api" / "ja"


@functools.lru_cache(maxsize=4)
def geocoder_for(data_dir: Path) -> Geocoder | None:
    """The 町丁目 geocoder over the open data's address files, or None when they are missing.

    One per folder per process: the files are read-only, and reading their index costs seconds.
    """
    api_dir = Path(data_dir) / API_DIR
    return ChomeGeocoder(api_dir) if api_dir.exists() else None


class LazyGeocoder:
    """Builds the geocoder the first time it is asked for (reading the index costs a moment)."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._built = False
        self._geocoder: Geocoder | None = None

    def get(self) -> Geocoder | None:
        """The geocoder, or None when the open data has no address files."""
        if not self._built:
            self._geocoder = geocoder_for(self.data_dir)
            self._built = True
        return self._geocoder


def addresses_known() -> bool:
    """Whether the app's open data has address files (else rows without coordinates stay unplaced)."""
    from app.services._stores import get_geocoder  # deferred: _stores imports analysis, which imports this

    return get_geocoder() is not None
