"""The few places where SpatiaLite and PostGIS need different SQL."""

from __future__ import annotations

from sqlalchemy import Table, and_, func, literal_column, select, text

from app.storage.schema import SRID


def bbox_filter(dialect: str, table: Table, bbox: tuple[float, float, float, float]):
    """Rows whose geometry intersects ``bbox``: the spatial index first, then an exact test.

    Both indexes store single-precision boxes rounded outwards, so the index alone lets in
    points a few metres outside the box.
    """
    minx, miny, maxx, maxy = _values(bbox)
    if dialect == "postgresql":
        envelope = func.ST_MakeEnvelope(minx, miny, maxx, maxy, SRID)
        return func.ST_Intersects(table.c.geom, envelope)
    exact = func.ST_Intersects(table.c.geom, func.BuildMbr(minx, miny, maxx, maxy, SRID)) == 1
    return and_(index_candidates(dialect, table, bbox), exact)


def index_candidates(dialect: str, table: Table, bbox):
    """Rows whose indexed (approximate) box meets ``bbox``; callers add the exact test."""
    minx, miny, maxx, maxy = _values(bbox)
    if dialect == "postgresql":
        return table.c.geom.op("&&")(func.ST_MakeEnvelope(minx, miny, maxx, maxy, SRID))
    # SpatiaLite keeps its R*Tree as a plain virtual table named idx_<table>_<column>.
    rtree = select(literal_column("pkid")).select_from(text(f"idx_{table.name}_geom")).where(
        and_(
            literal_column("xmin") <= maxx,
            literal_column("xmax") >= minx,
            literal_column("ymin") <= maxy,
            literal_column("ymax") >= miny,
        )
    )
    return table.c.id.in_(rtree)


def _values(bbox):
    """Floats, or bind parameters when the caller builds a reusable statement."""
    return tuple(v if hasattr(v, "key") else float(v) for v in bbox)


def point(lon: float, lat: float):
    """A lon/lat point literal valid on both backends."""
    return func.ST_GeomFromText(f"POINT({float(lon)!r} {float(lat)!r})", SRID)


def geojson(column, precision: int = 6):
    return func.ST_AsGeoJSON(column, precision)


def bounds(dialect: str, column):
    """min x, min y, max x, max y of a geometry column's rows (aggregates to apply)."""
    if dialect == "postgresql":
        parts = (func.ST_XMin(column), func.ST_YMin(column), func.ST_XMax(column), func.ST_YMax(column))
    else:
        parts = (func.ST_MinX(column), func.ST_MinY(column), func.ST_MaxX(column), func.ST_MaxY(column))
    return func.min(parts[0]), func.min(parts[1]), func.max(parts[2]), func.max(parts[3])
