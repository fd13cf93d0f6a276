"""CQL2 filters (OGC API – Features Part 3) as SQL, the same on PostGIS and SpatiaLite.

pygeofilter parses CQL2 text and JSON into one tree; this evaluator turns the tree into a
SQLAlchemy clause over the ``resources`` table. Only the queryables below are properties: a
name that is none of them is refused (``FilterRefused``), never passed to the database. A
literal geometry is read in CRS84 (lon/lat), the storage's own.
"""

from __future__ import annotations

from pygeofilter import ast, values
from pygeofilter.backends.evaluator import handle
from pygeofilter.backends.sqlalchemy.evaluate import SQLAlchemyFilterEvaluator
from shapely.geometry import box, shape
from sqlalchemy import func

from app.domain.kinds import HAZARDS
from app.storage.schema import HAZARD_COLUMNS, areas, resources

# Queryable → (column, JSON Schema type): what a filter or a query parameter may name.
RESOURCE_QUERYABLES = {
    "id": (resources.c.id, "integer"), "name": (resources.c.name, "string"),
    "kind": (resources.c.kind, "string"), "category": (resources.c.category, "string"),
    "address": (resources.c.address, "string"), "city_code": (resources.c.city_code, "string"),
    "external_id": (resources.c.external_id, "string"), "capacity": (resources.c.capacity, "integer"),
    "welfare_shelter": (resources.c.welfare_shelter, "boolean"),
    **{f"hazard_{key}": (resources.c[HAZARD_COLUMNS[key]], "boolean") for key in HAZARDS},
    "geometry": (resources.c.geom, "geometry"),
}
# An area's queryables: a district chosen by its code, name or city, or where it lies.
AREA_QUERYABLES = {
    "id": (areas.c.id, "integer"), "code": (areas.c.code, "string"), "name": (areas.c.name, "string"),
    "city_code": (areas.c.city_code, "string"), "geometry": (areas.c.geom, "geometry"),
}
# Every CQL2 spatial function (the "spatial-functions" class): each is a function of both databases.
SPATIAL = {"INTERSECTS": func.ST_Intersects, "WITHIN": func.ST_Within, "CONTAINS": func.ST_Contains,
           "DISJOINT": func.ST_Disjoint, "CROSSES": func.ST_Crosses, "OVERLAPS": func.ST_Overlaps,
           "TOUCHES": func.ST_Touches, "EQUALS": func.ST_Equals}


class FilterRefused(ValueError):
    """A filter that names an unknown property or asks what this collection cannot answer."""


def _geometry(wkt: str):
    return func.ST_GeomFromText(wkt, 4326)


class _Evaluator(SQLAlchemyFilterEvaluator):
    """pygeofilter's SQLAlchemy evaluator with the geometry functions both databases share."""

    def __init__(self, queryables: dict, truth):
        super().__init__({name: column for name, (column, _) in queryables.items()}, False)
        self.queryables, self.truth = queryables, truth

    @handle(ast.Attribute)
    def attribute(self, node):
        if node.name not in self.queryables:
            raise FilterRefused(f"{node.name!r} is not a queryable of this collection; use "
                                f"{', '.join(self.queryables)}")
        return self.field_mapping[node.name]

    @handle(values.Geometry)
    def geometry(self, node):
        return _geometry(shape(node.__geo_interface__).wkt)

    @handle(values.Envelope)
    def envelope(self, node):
        return _geometry(box(node.x1, node.y1, node.x2, node.y2).wkt)

    @handle(ast.SpatialComparisonPredicate, subclasses=True)
    def spatial_operation(self, node, lhs, rhs):
        operation = SPATIAL.get(node.op.name)
        if operation is None:
            raise FilterRefused(f"{node.op.name} is not offered; use "
                                f"{', '.join('S_' + name for name in SPATIAL)}")
        return self.truth(operation(lhs, rhs))  # SpatiaLite answers 1/0, PostGIS true/false

    @handle(ast.BBox)
    def bbox(self, node, lhs):
        corners = box(node.minx, node.miny, node.maxx, node.maxy)
        return self.truth(func.ST_Intersects(lhs, _geometry(corners.wkt)))

    @handle(ast.TemporalPredicate, subclasses=True)
    def temporal(self, node, lhs, rhs):
        raise FilterRefused("this collection has no time to filter on (its places are not dated)")


def to_clause(tree, truth, queryables: dict = RESOURCE_QUERYABLES):
    """The WHERE clause of a parsed CQL2 filter; ``FilterRefused`` for what it cannot say.

    ``truth`` makes a spatial function's answer a condition on this database (``Dialect.truth``).
    """
    return _Evaluator(queryables, truth).evaluate(tree)
