"""Shelter reach: who lives within a walk of a shelter, an emergency site and a welfare shelter."""

from __future__ import annotations

from dataclasses import replace

from app.domain.targets import REACH_LAYERS, reach_rule, welfare_groups
from app.services import analysis_limits as limits
from app.services import analysis_results as results
from app.services._stores import uses_stores
from app.services.analysis import Analyzer, Query
from app.services.analysis_results import ReachResult


@uses_stores
def reach(analyzer: Analyzer, query: Query) -> ReachResult:
    """Share of people within the limit of a shelter and of an emergency site, per area."""
    repo = analyzer.repo
    demand, model, limit, demand_xy = analyzer.prepare(query)
    out = results.header(query, model, demand, limit)
    per_area, per_layer = None, {}
    cities = set(demand.pieces["area_city"])
    # Layer → cities where the publisher's data cannot tell; and where none is loaded at all.
    gaps, not_loaded = limits.reach_gaps(repo, cities), {}
    # Sites count by who they are for (the layer's rule), never by the salon target's filter.
    sites_query = replace(query, target=None, category=None)
    for name, (kind, rule) in REACH_LAYERS.items():
        layer_query = sites_query if name == "emergency_site" else replace(sites_query, hazard=None)
        facilities = analyzer.facilities([kind], layer_query, reach_rule(rule, query.target),
                                         near=analyzer.near_points(query, demand_xy))
        walk, nearest = model.nearest(demand_xy, analyzer.in_model(facilities, model))
        if name == "shelter":
            out["catchments"] = results.shelter_catchments(facilities, demand, walk, nearest, limit, model)
        if rule != "welfare":
            not_loaded[name] = cities - set(facilities["city_code"]) - gaps[name]
        # A share that rests on a missing list is unknown, not low.
        blind_cities = gaps[name] | not_loaded["shelter" if rule == "welfare" else name]
        table, per_layer[name] = results.layer_table(demand, walk, limit, blind_cities, len(facilities))
        column = table["pct_covered"].rename(f"pct_{name}")
        per_area = table[["area_name", "city_code", "population"]].join(column) if per_area is None \
            else per_area.join(column)
    groups = welfare_groups(query.target)
    out.update(layers=per_layer, areas=results.records(per_area.reset_index().sort_values("area_code")),
               welfare_groups=list(groups),
               data_limits=limits.data_limits(repo, query, analyzer.area_notes(query), gaps)
               + limits.not_loaded_limits(repo, not_loaded)
               + [limits.welfare_limit(groups)],
               city_capacity=limits.city_capacity(repo, demand, cities))
    return out
