"""Vector tiles of the catalogue's layers (OGC API – Tiles), kept per data version.

A layer is tiled as ``catalogue`` publishes it: the same rule of who reads which kind, so a
coordinator's tiles of their city's vacant houses exist for them alone. A built tile is kept with
the other answers asked again (``kept.kept_answer``: per data version, which every import and edit
moves, and per viewer scope), with an ETag so that a client holding it is told 304.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import tiles
from app.domain.tiles import NoSuchTile
from app.services._stores import get_repository
from app.services.catalogue import Layer
from app.services.kept import kept_answer

__all__ = ["NoSuchTile", "TileAnswer", "layer_tile"]


@dataclass(frozen=True)
class TileAnswer:
    """A tile's bytes (None when the client already holds them), its ETag, and whether it is private."""

    body: bytes | None
    etag: str
    private: bool


def layer_tile(layer: Layer, zoom: int, row: int, col: int, *, restricted_cities=(),
               hazard: str | None = None, held: tuple[str, ...] = ()) -> TileAnswer:
    """Tile ``zoom``/``row``/``col`` of ``layer`` as the viewer may read it.

    ``restricted_cities`` are the viewer's (coordinators'); ``hazard`` keeps the places designated
    for it (a map asking where to go in a flood); ``held`` the ETags the client sent. Raises
    ``NoSuchTile`` outside the zooms and rows served.
    """
    tile = tiles.tile(zoom, row, col)
    scope = tuple(sorted(restricted_cities))
    key = ("tile", layer.id, tile.zoom, tile.row, tile.col, scope, hazard)
    etag, body = kept_answer(key, lambda: _built(layer, tile, scope, hazard))
    # A coordinator's tile may hold their city's restricted rows: no shared cache may keep it.
    private = bool(scope)
    etag = "mvt." + etag
    return TileAnswer(None if etag in held else body, etag, private)


def _built(layer: Layer, tile: tiles.Tile, scope: tuple[str, ...], hazard: str | None) -> bytes:
    repo = get_repository()
    if layer.ref.is_area:
        return repo.area_tile(tile, layer.id, kind=layer.ref.kind, provenance=layer.ref.provenance)
    return repo.place_tile(tile, layer.id, kinds=[layer.ref.kind], restricted_cities=scope, hazard=hazard)
