"""Vector tiles of the catalogue's layers (OGC API – Tiles), kept per data version.

A layer is tiled as ``catalogue`` publishes it: the same rule of who reads which kind, so a
coordinator's tiles of their city's vacant houses exist for them alone. A tile's ETag names the
data version (every import and edit moves it), the layer, the tile and the viewer's scope, so a
client holding it gets 304 without the tile being built; a built tile is kept in the process
(least recently used first out) until the data changes.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from app.domain import tiles
from app.domain.tiles import NoSuchTile
from app.services._stores import get_repository
from app.services.catalogue import Layer

KEPT_TILES = 2048  # about 20 MB at the demo's densest tiles
_KEPT: OrderedDict[str, bytes] = OrderedDict()
_LOCK = threading.Lock()

__all__ = ["NoSuchTile", "TileAnswer", "layer_tile"]


@dataclass(frozen=True)
class TileAnswer:
    """A tile's bytes (None when the client already holds them), its ETag, and whether it is private."""

    body: bytes | None
    etag: str
    private: bool


def _etag(layer: Layer, tile: tiles.Tile, scope: tuple[str, ...], hazard: str | None) -> str:
    repo = get_repository()
    # The database's address too: one process may serve two databases (the tests do).
    key = "|".join((str(repo.reads.url), repo.data_version(), str(repo.last_change()), layer.id,
                    f"{tile.zoom}/{tile.row}/{tile.col}", ",".join(scope), hazard or ""))
    return "mvt." + hashlib.sha256(key.encode()).hexdigest()[:32]


def layer_tile(layer: Layer, zoom: int, row: int, col: int, *, restricted_cities=(),
               hazard: str | None = None, held: tuple[str, ...] = ()) -> TileAnswer:
    """Tile ``zoom``/``row``/``col`` of ``layer`` as the viewer may read it.

    ``restricted_cities`` are the viewer's (coordinators'); ``hazard`` keeps the places designated
    for it (a map asking where to go in a flood); ``held`` the ETags the client sent. Raises
    ``NoSuchTile`` outside the zooms and rows served.
    """
    tile = tiles.tile(zoom, row, col)
    scope = tuple(sorted(restricted_cities))
    etag = _etag(layer, tile, scope, hazard)
    # A coordinator's tile may hold their city's restricted rows: no shared cache may keep it.
    private = bool(scope)
    if etag in held:
        return TileAnswer(None, etag, private)
    with _LOCK:
        body = _KEPT.get(etag)
        if body is not None:
            _KEPT.move_to_end(etag)
    if body is None:
        body = _built(layer, tile, scope, hazard)
        with _LOCK:
            _KEPT[etag] = body
            while len(_KEPT) > KEPT_TILES:
                _KEPT.popitem(last=False)
    return TileAnswer(body, etag, private)


def _built(layer: Layer, tile: tiles.Tile, scope: tuple[str, ...], hazard: str | None) -> bytes:
    repo = get_repository()
    if layer.ref.is_area:
        return repo.area_tile(tile, layer.id, kind=layer.ref.kind, provenance=layer.ref.provenance)
    return repo.place_tile(tile, layer.id, kinds=[layer.ref.kind], restricted_cities=scope, hazard=hazard)
