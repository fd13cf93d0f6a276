"""The catalogue of published layers: which exist for a viewer, their ids, Features, pages and files.

Every publishing route asks here (the JSON API, OGC API – Features, the map's layer list,
``/list``, exports and the editing views), so a place is the same Feature wherever it is read:
one builder, one spelling of a layer's id (``domain.layers``), one rule for who sees which kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd
from flask import current_app, has_app_context
from shapely.geometry import mapping, shape

from app.domain import site_access
from app.domain.freshness import STALE_AFTER_YEARS, freshness
from app.domain.kinds import AREA_KINDS, LISTED_SITE_KINDS, PLACEMENTS, RESOURCE_KINDS
from app.domain.layers import LayerRef, is_public, kinds_for, layer_ref
from app.services import programmes
from app.services._stores import get_repository
from app.storage.cql import AREA_QUERYABLES, RESOURCE_QUERYABLES

HIDDEN = ("geometry", "dataset_id", "deleted_at", "listed_access")
AREA_FLAT = ("code", "name", "city_code", "kind", "set_name", "provenance", "source")
# An export's first columns, in the order people read them; the rest follow as the Feature has them.
EXPORT_FIRST = ("id", "kind", "name", "address", "city_code", "capacity", "welfare_shelter", "hazards",
                "placement", "placement_label", "source", "source_date", "as_of_year", "freshness")
EVERY_ROW = 1_000_000
# What a reader orients by: drawn under the places when the background tiles cannot load.
CONTEXT_LAYERS = ("river", "railway", "station")


class UnknownLayer(ValueError):
    """The layer named is not one this viewer may read (or not a layer at all)."""


@dataclass(frozen=True)
class Layer:
    """A published layer as a viewer finds it in the catalogue."""

    ref: LayerRef
    label_ja: str
    label_en: str
    public: bool = True
    count: int | None = None  # placed: on the map; None when not counted (describing one layer)
    listed: int | None = None  # every row, with those that could not be placed (as /list shows them)
    attribution: tuple[str, ...] = ()
    missing_cities: tuple[str, ...] = ()  # cities whose publisher says it has no such list

    @property
    def id(self) -> str:
        """The layer's id in its one spelling."""
        return self.ref.id


@dataclass(frozen=True)
class Page:
    """One page of a layer's Features, and how many match in all."""

    features: list[dict]
    matched: int


def japan_today() -> date:
    """Today in Japan, where the places are: freshness and meetings are judged by it."""
    return datetime.now(ZoneInfo("Asia/Tokyo")).date()


def _stale_years() -> int:
    return current_app.config.get("STALE_AFTER_YEARS", STALE_AFTER_YEARS) if has_app_context() \
        else STALE_AFTER_YEARS


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def resource_feature(row: dict, *, flat: bool = False) -> dict:
    """A place as a Feature: the one builder of every route, export and view.

    ``flat`` gives scalar properties only, for OGC clients, GDAL and files: the attributes and
    the programme come up a level (never over a field of the place itself), lists join with
    commas. ``restricted`` is present only when true, so public Features do not carry the flag.
    """
    props = {k: _plain(v) for k, v in row.items() if k not in HIDDEN and (k != "restricted" or row[k])}
    props["placement_label"] = PLACEMENTS.get(props.get("placement", ""), "")
    fresh = freshness(row.get("attributes") or {}, str(row.get("source_date") or ""), japan_today(),
                      _stale_years())
    props["as_of_year"], props["freshness"] = fresh.year, fresh.state
    if row.get("kind") in LISTED_SITE_KINDS:  # whose accessibility a list or a coordinator says
        props["access"] = site_access.of_place(row)
    if flat:
        props = _flattened(props)
    return {"type": "Feature", "id": row["id"], "geometry": row.get("geometry"), "properties": props}


def _flattened(props: dict) -> dict:
    props.pop("id", None)
    linked = props.pop("linked", None) or []
    programme = props.pop("programme", None) or {}
    # Each feature its own column (true, false, or empty for unknown): GIS tools read no nested dicts.
    props.update({f"access_{k}": v for k, v in (props.pop("access", None) or {}).items()})
    for key, value in (props.pop("attributes", None) or {}).items():
        props.setdefault(key, value)
    props.update(linked_sites=[f"{link['kind']}:{link['id']}" for link in linked],
                 programme=programme.get("name", ""), programme_rules=programme.get("rules", ""))
    for key in ("hazards", "targets"):
        props[key] = props.get(key) or []
    lists = {k: ",".join(map(str, v)) for k, v in props.items() if isinstance(v, list | tuple)}
    scalar = (str, int, float, bool, type(None))
    return {k: v for k, v in {**props, **lists}.items() if isinstance(v, scalar)}


def area_feature(row: dict, *, flat: bool = False) -> dict:
    """An area as a Feature; ``flat`` keeps the scalar properties of the OGC collection and the export."""
    if flat:
        props = {k: row[k] for k in AREA_FLAT}
        props["population"] = (row.get("properties") or {}).get("population")
    else:
        props = {k: _plain(v) for k, v in row.items() if k not in HIDDEN}
    return {"type": "Feature", "id": row["id"], "geometry": row.get("geometry"), "properties": props}


def describe(layer: str, restricted_cities=()) -> Layer:
    """What layer ``layer`` is, for a viewer with restricted rows of ``restricted_cities``; nothing counted.

    Raises ``UnknownLayer`` for a name that is no layer, or a restricted kind the viewer may not read.
    """
    ref = layer_ref(layer)
    if ref is None:
        raise UnknownLayer(f"unknown layer {layer!r}; use a kind of place (shelter) or KIND-PROVENANCE "
                           "of areas (school_district-official)")
    if ref.id != layer:
        raise UnknownLayer(f"unknown layer {layer!r}; it is spelled {ref.id}")
    if ref.is_area:
        kind = AREA_KINDS[ref.kind]
        return Layer(ref, kind.label_ja, kind.label_en)
    if ref.kind not in kinds_for(restricted_cities):
        raise UnknownLayer(f"{layer} is not a public layer")
    kind = RESOURCE_KINDS[ref.kind]
    return Layer(ref, kind.label_ja, kind.label_en, public=is_public(ref.kind))


def layers(*, city: str | None = None, restricted_cities=()) -> list[Layer]:
    """Every layer the viewer may read (places of each kind, then areas), counted and credited.

    A restricted kind is counted in the viewer's own cities; a public kind counts its public rows.
    """
    repo = get_repository()
    counts = repo.layer_counts(city=city)
    credits, area_credits = repo.attributions(), repo.area_attributions()
    missing = repo.unavailable_lists()
    out = []
    for key in kinds_for(restricted_cities):
        kind = RESOURCE_KINDS[key]
        public = is_public(key)
        count = counts["resources"].get(key, 0) if public else repo.count_resources(
            kinds=[key], city=city, restricted_cities=restricted_cities, placed_only=True)
        listed = counts["listed"].get(key, 0) if public else repo.count_resources(
            kinds=[key], city=city, restricted_cities=restricted_cities)
        out.append(Layer(LayerRef(key), kind.label_ja, kind.label_en, public, count, listed,
                         tuple(credits.get(key, ())), tuple(sorted(c for k, c in missing if k == key))))
    for key, provenance, count in counts["areas"]:
        if key in AREA_KINDS:
            kind = AREA_KINDS[key]
            out.append(Layer(LayerRef(key, provenance), kind.label_ja, kind.label_en, True, count, count,
                             tuple(area_credits.get((key, provenance), ()))))
    return out


def extent(layer: Layer) -> list[float] | None:
    """The layer's public bounding box (lon/lat), or None when it holds nothing."""
    return get_repository().extent(kind=layer.ref.kind, provenance=layer.ref.provenance)


def _matched(rows: list, limit: int, offset: int, count) -> int:
    """How many match: a page that is not full already tells it; count only when there may be more."""
    return offset + len(rows) if len(rows) < limit and (rows or offset == 0) else count()


def place_page(*, limit: int, offset: int = 0, flat: bool = False, **filters) -> Page:
    """A page of places as Features (``filters`` as ``Repository.find_resources`` takes them)."""
    repo = get_repository()
    rows = programmes.attach(repo, repo.find_resources(limit=limit, offset=offset, **filters))
    return Page([resource_feature(r, flat=flat) for r in rows],
                _matched(rows, limit, offset, lambda: repo.count_resources(**filters)))


def area_page(*, limit: int, offset: int = 0, flat: bool = False, ids=None, **filters) -> Page:
    """A page of areas as Features (``kind``, ``provenance``, ``city``, ``bbox``, ``cql``)."""
    repo = get_repository()
    rows = repo.find_areas(limit=limit, offset=offset, ids=ids, **filters)
    return Page([area_feature(r, flat=flat) for r in rows],
                _matched(rows, limit, offset, lambda: repo.count_areas(**filters)))


def layer_page(layer: Layer, *, limit: int, offset: int = 0, flat: bool = False, ids=None,
               city: str | None = None, bbox=None, **place_filters) -> Page:
    """A page of one layer's public, placed Features (OGC items, exports)."""
    if layer.ref.is_area:
        return area_page(limit=limit, offset=offset, flat=flat, ids=ids, kind=layer.ref.kind,
                         provenance=layer.ref.provenance, city=city, bbox=bbox,
                         cql=place_filters.get("cql"))
    return place_page(limit=limit, offset=offset, flat=flat, kinds=[layer.ref.kind], ids=ids, city=city,
                      bbox=bbox, placed_only=True, **place_filters)


def export_table(layer: str, city: str | None = None) -> tuple[gpd.GeoDataFrame, str]:
    """A public layer as a table of its flat Features (EPSG:4326) and its attribution line.

    The table holds what OGC items hold, with the Feature's id as the first column.
    """
    found = describe(layer)
    if not found.public:
        raise UnknownLayer(f"{layer} is not a public layer")
    features = layer_page(found, limit=EVERY_ROW, flat=True, city=city).features
    rows = [{"id": f["id"], **f["properties"]} for f in features]
    table = pd.DataFrame(rows)
    first = [c for c in EXPORT_FIRST if c in table.columns]
    table = table[first + [c for c in table.columns if c not in first]] if rows else table
    geometry = [shape(f["geometry"]) if f["geometry"] else None for f in features]
    frame = gpd.GeoDataFrame(_one_type_per_column(table), geometry=geometry, crs="EPSG:4326")
    return frame, attribution(found)


def _one_type_per_column(table: pd.DataFrame) -> pd.DataFrame:
    """A column whose cells mix text and numbers (free-form attributes) is written as text."""
    for column in table.columns:
        kinds = {type(v) for v in table[column] if v is not None and not pd.isna(v)}
        if len(kinds) > 1 and str in kinds:
            table[column] = [None if v is None or pd.isna(v) else str(v) for v in table[column]]
    return table


def attribution(layer: Layer) -> str:
    """Every attribution line of the layer's datasets, joined (an area layer's own, per provenance)."""
    repo = get_repository()
    if layer.ref.is_area:
        return " / ".join(repo.area_attributions().get((layer.ref.kind, layer.ref.provenance), []))
    return " / ".join(repo.attributions().get(layer.ref.kind, []))


def context_around(bbox) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Rivers, railways and stations meeting ``bbox`` (``layer``, ``name``), and their credit lines.

    What every map of ours orients by: the page's own base, the card's and the survey's maps.
    """
    repo = get_repository()
    credits = repo.attributions()
    lines = [line for layer in CONTEXT_LAYERS for line in credits.get(layer, ())]
    return repo.context_frame(bbox=bbox, layers=CONTEXT_LAYERS), list(dict.fromkeys(lines))


def context_collection(bbox) -> dict:
    """Rivers, railways and stations meeting ``bbox`` as one FeatureCollection, credited.

    National open data, public as it is published; a map draws it as its own base when the
    background tiles cannot load, so that a grey map still shows where the lines and stations are.
    """
    frame, credits = context_around(bbox)
    features = [{"type": "Feature", "geometry": mapping(row.geometry),
                 "properties": {"layer": row.layer, "name": row.name or ""}}
                for row in frame.itertuples() if row.geometry is not None]
    return {"type": "FeatureCollection", "features": features, "attribution": credits}



def queryables(layer: Layer) -> dict[str, str]:
    """What a filter may name in ``layer``: property → JSON Schema type."""
    found = AREA_QUERYABLES if layer.ref.is_area else RESOURCE_QUERYABLES
    return {name: kind for name, (_, kind) in found.items()}
