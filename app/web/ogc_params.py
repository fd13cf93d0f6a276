"""OGC API – Features parameters beyond Part 1's core: CRS, sorting, properties, CQL2 filters.

Each is read once here and refused with a 400 naming the parameter and what to write.
"""

from __future__ import annotations

from lark.exceptions import UnexpectedInput
from pygeofilter import ast
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text

from app.outputs import crs
from app.web import params
from app.web.params import BadParameter

# What a page of places may be sorted by: the Feature property and whether nulls sort last.
SORTABLE = ("name", "kind", "city_code", "address", "capacity", "id")


def crs_of(args, name: str = "crs") -> str:
    """The CRS asked for (a URI from the collection's ``crs`` list), CRS84 when not given."""
    uri = (args.get(name) or crs.CRS84).strip()
    try:
        return crs.check(uri)
    except crs.UnknownCrs as exc:
        raise BadParameter(name, str(exc)) from None


def bbox_of(args) -> tuple[float, float, float, float] | None:
    """``bbox`` in lon/lat: as written when ``bbox-crs`` is CRS84 (or absent), else transformed."""
    uri = crs_of(args, "bbox-crs")
    if uri == crs.CRS84:
        return params.bbox(args)
    values = params.bbox(args, degrees=False)
    if values is None:
        raise BadParameter("bbox-crs", "bbox-crs says in which CRS bbox is written; give bbox too")
    return crs.bbox_in_storage(values, uri)


def sort_of(args) -> tuple[tuple[str, bool], ...] | None:
    """``sortby=name,-capacity``: (property, descending) pairs, None when not given."""
    raw = args.get("sortby")
    if not raw:
        return None
    out = []
    for part in (p.strip() for p in raw.split(",")):
        key = part.lstrip("+-")
        if key not in SORTABLE:
            raise BadParameter("sortby", f"{key[:40]!r} cannot be sorted by; use {', '.join(SORTABLE)} "
                                         "(- before a name for descending)")
        out.append((key, part.startswith("-")))
    return tuple(out)


def properties_of(args) -> list[str] | None:
    """``properties=name,capacity``: the properties each Feature keeps; None for all."""
    raw = args.get("properties")
    if raw is None:
        return None
    return [p.strip() for p in raw.split(",") if p.strip()]


def keep_properties(feature: dict, names: list[str] | None) -> dict:
    """``feature`` with only ``names`` among its properties (all when None)."""
    if names is None:
        return feature
    return {**feature, "properties": {k: v for k, v in feature["properties"].items() if k in names}}


FILTER_LANGS = ("cql2-text", "cql2-json")


def _parse(text: str, lang: str):
    try:
        return parse_text(text) if lang == "cql2-text" else parse_json(text)
    except UnexpectedInput as exc:
        near = text[max(exc.column - 1, 0):exc.column + 9] if exc.column and exc.column > 0 else ""
        raise BadParameter("filter", f"CQL2 text cannot be read at column {exc.column}"
                                     + (f" (near {near!r})" if near else "")
                                     + "; e.g. name LIKE '%小学校%' AND capacity > 100") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BadParameter("filter", f"not CQL2 JSON ({type(exc).__name__}: {str(exc)[:80]}); e.g. "
                                     '{"op": "=", "args": [{"property": "kind"}, "shelter"]}') from None


def _names(node) -> set[str]:
    """Every property a parsed filter names."""
    if isinstance(node, ast.Attribute):
        return {node.name}
    subs = node.get_sub_nodes() if isinstance(node, ast.Node) else []
    return set().union(*(_names(s) for s in (subs if isinstance(subs, list) else [subs])))


def _typed(name: str, raw: str, kind: str):
    if kind == "integer":
        return params.integer({name: raw}, name, default=0, lo=-(2**31), hi=2**31 - 1)
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise BadParameter(name, "write true or false")
        return raw == "true"
    return raw


def filter_of(args, queryables: dict[str, str], skip: tuple[str, ...] = ()):
    """``filter`` (CQL2 text or JSON, ``filter-lang``) and queryables given as parameters, as one tree.

    ``queryables`` maps each property to its JSON Schema type; ``skip`` the parameters read
    elsewhere. None when nothing filters.
    """
    lang = params.choice(args, "filter-lang", FILTER_LANGS) or "cql2-text"
    if (args.get("filter-crs") or crs.CRS84) != crs.CRS84:
        raise BadParameter("filter-crs", f"filters are read in {crs.CRS84} only")
    parts = []
    if args.get("filter"):
        tree = _parse(args["filter"], lang)
        unknown = sorted(_names(tree) - set(queryables))
        if unknown:
            raise BadParameter("filter", f"{unknown[0]!r} is not a queryable here; use "
                                         f"{', '.join(queryables)}")
        parts.append(tree)
    for name, kind in queryables.items():
        if name in args and name not in skip and kind != "geometry":
            parts.append(ast.Equal(ast.Attribute(name), _typed(name, args[name], kind)))
    if not parts:
        return None
    tree = parts[0]
    for part in parts[1:]:
        tree = ast.And(tree, part)
    return tree
