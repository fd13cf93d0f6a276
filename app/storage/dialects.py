"""Where SpatiaLite and PostGIS need different SQL: one object per backend, chosen once.

The repository asks its dialect, never the engine's name, so a third backend would be one
more class here.
"""

from __future__ import annotations

import json

import shapely
from geoalchemy2.shape import from_shape
from sqlalchemy import Engine, Table, and_, func, insert, literal_column, select, text
from sqlalchemy.exc import DBAPIError

from app.storage.schema import SRID


def _values(bbox):
    """Floats, or bind parameters when the caller builds a reusable statement."""
    return tuple(v if hasattr(v, "key") else float(v) for v in bbox)


class Dialect:
    """SQL both backends share; subclasses override what differs."""

    name = ""

    def envelope(self, minx, miny, maxx, maxy):
        """A lon/lat box as a geometry expression."""
        raise NotImplementedError

    def index_candidates(self, table: Table, bbox):
        """Rows whose indexed (approximate) box meets ``bbox``; callers add the exact test."""
        raise NotImplementedError

    def refresh_statistics(self, engine, tables) -> None:
        """Bring the planner's statistics up to date after a bulk load (nothing to do by default)."""

    def bulk_insert(self, conn, table: Table, rows: list[dict]) -> None:
        """Insert ``rows`` (all with the same keys; ``geom``, if any, shapely) in ``conn``'s transaction."""
        if rows and "geom" in rows[0]:
            rows = [{**r, "geom": None if r["geom"] is None else from_shape(r["geom"], srid=SRID)}
                    for r in rows]
        conn.execute(insert(table), rows)

    def bbox_filter(self, table: Table, bbox):
        """Rows whose geometry intersects ``bbox``: the spatial index first, then an exact test.

        Both indexes store single-precision boxes rounded outwards, so the index alone lets in
        points a few metres outside the box.
        """
        box = self.envelope(*_values(bbox))
        return and_(self.index_candidates(table, bbox), self.truth(func.ST_Intersects(table.c.geom, box)))

    def contains(self, column, lon: float, lat: float):
        """``column`` contains the point (lon, lat)."""
        return self.truth(func.ST_Contains(column, self.point(lon, lat)))

    def truth(self, expression):
        """A spatial predicate as a WHERE clause (SpatiaLite answers 0/1, PostGIS booleans)."""
        return expression

    @staticmethod
    def point(lon: float, lat: float):
        """A lon/lat point literal valid on both backends."""
        return func.ST_GeomFromText(f"POINT({float(lon)!r} {float(lat)!r})", SRID)

    @staticmethod
    def geojson(column, precision: int = 6):
        """The geometry as GeoJSON text, rendered by the database."""
        return func.ST_AsGeoJSON(column, precision)

    @staticmethod
    def wkb(column):
        """The geometry as plain WKB, for ``shapely.from_wkb`` on a whole column at once."""
        return func.ST_AsBinary(column)

    def bounds(self, column):
        """Aggregates giving min x, min y, max x, max y of a geometry column's rows."""
        parts = self._bounds_parts(column)
        return func.min(parts[0]), func.min(parts[1]), func.max(parts[2]), func.max(parts[3])

    def _bounds_parts(self, column):
        raise NotImplementedError


class PostGIS(Dialect):
    """PostgreSQL with PostGIS: GiST index through ``&&``."""

    name = "postgresql"

    def envelope(self, minx, miny, maxx, maxy):
        """``ST_MakeEnvelope`` in EPSG:4326."""
        return func.ST_MakeEnvelope(minx, miny, maxx, maxy, SRID)

    def refresh_statistics(self, engine, tables) -> None:
        """ANALYZE the loaded tables, so that the planner knows their size at once.

        Until autovacuum comes round, the planner takes a table it has no statistics for as
        nearly empty, and reads it through whichever index comes first rather than the GiST
        index a bounding box needs.
        """
        with engine.connect() as conn:
            for table in tables:
                conn.execute(text(f"ANALYZE {table.name}"))
            conn.commit()

    def bulk_insert(self, conn, table: Table, rows: list[dict]) -> None:
        """``COPY … FROM STDIN`` in the open transaction: one stream instead of a statement per row.

        Geometry goes as hex EWKB (PostGIS's text input), JSON as text; a column the rows leave
        out gets the table's Python default, as an ``INSERT`` through SQLAlchemy would give it.
        """
        if not rows:
            return
        names = list(rows[0])
        defaults = {c.name: c.default.arg for c in table.columns
                    if c.name not in names and c.default is not None and not c.primary_key}
        columns = [*names, *defaults]
        json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
        quote = conn.dialect.identifier_preparer.quote  # 「foreign」 is a column and a keyword
        sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        errors = conn.dialect.loaded_dbapi.Error
        try:
            with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    values = [*(row[n] for n in names),
                              *(d(_RowContext(row)) if callable(d) else d for d in defaults.values())]
                    copy.write_row([_copy_value(name, value, json_columns) for name, value
                                    in zip(columns, values, strict=True)])
        except errors as exc:  # as SQLAlchemy would raise it, so callers handle one kind of error
            raise DBAPIError.instance(sql, None, exc, errors) from exc

    def index_candidates(self, table: Table, bbox):
        """The GiST index answers ``&&`` (bounding boxes overlap)."""
        return table.c.geom.op("&&")(self.envelope(*_values(bbox)))

    def _bounds_parts(self, column):
        return func.ST_XMin(column), func.ST_YMin(column), func.ST_XMax(column), func.ST_YMax(column)


class SpatiaLite(Dialect):
    """SQLite with SpatiaLite: the R*Tree is a virtual table queried by hand."""

    name = "sqlite"

    def envelope(self, minx, miny, maxx, maxy):
        """``BuildMbr`` in EPSG:4326."""
        return func.BuildMbr(minx, miny, maxx, maxy, SRID)

    def truth(self, expression):
        """SpatiaLite predicates return 1, 0 or -1."""
        return expression == 1

    def index_candidates(self, table: Table, bbox):
        """Ids from the R*Tree SpatiaLite keeps as ``idx_<table>_geom``."""
        minx, miny, maxx, maxy = _values(bbox)
        rtree = select(literal_column("pkid")).select_from(text(f"idx_{table.name}_geom")).where(
            and_(literal_column("xmin") <= maxx, literal_column("xmax") >= minx,
                 literal_column("ymin") <= maxy, literal_column("ymax") >= miny))
        return table.c.id.in_(rtree)

    def _bounds_parts(self, column):
        return func.ST_MinX(column), func.ST_MinY(column), func.ST_MaxX(column), func.ST_MaxY(column)


class _RowContext:
    """What a column default that reads its row (``context.get_current_parameters()``) asks of a COPY row."""

    def __init__(self, row: dict):
        self.row = row

    def get_current_parameters(self) -> dict:
        """The row's values, as SQLAlchemy's execution context gives an INSERT's."""
        return self.row


def _copy_value(name: str, value, json_columns: set[str]):
    if value is None:
        return None
    if name == "geom":
        return shapely.to_wkb(shapely.set_srid(value, SRID), hex=True, include_srid=True)
    if name in json_columns:
        return json.dumps(value, ensure_ascii=False)
    return value


def dialect_for(engine: Engine) -> Dialect:
    """The dialect object for an engine made by ``storage.engine.make_engine``.

    Returns
    -------
    Dialect
        ``PostGIS()`` or ``SpatiaLite()``.
    """
    return PostGIS() if engine.dialect.name == "postgresql" else SpatiaLite()
