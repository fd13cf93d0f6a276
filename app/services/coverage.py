"""Coverage: who lives within a walk of a place of one kind, per area, with a what-if against now."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import shapely

from app.domain.coverage import coverage_table
from app.domain.demand import Demand
from app.services import analysis_limits as limits
from app.services import analysis_results as results
from app.services import programmes
from app.services._stores import uses_stores
from app.services.analysis import Analyzer, Query
from app.services.analysis_results import CoverageResult


def covered(analyzer: Analyzer, query: Query, placed: gpd.GeoDataFrame | None = None):
    """Demand, model, limit, the places counted, each piece's walk, and the per-area table."""
    demand, model, limit, demand_xy = analyzer.prepare(query)
    facilities = analyzer.facilities([query.kind], query, placed=placed,
                                     near=analyzer.near_points(query, demand_xy))
    walk, _ = model.nearest(demand_xy, analyzer.in_model(facilities, model))
    return demand, model, limit, facilities, walk, coverage_table(demand, walk, limit)


@uses_stores
def coverage(analyzer: Analyzer, query: Query) -> CoverageResult:
    """Salon (or any kind's) coverage per area, the gap units, and the what-if change."""
    repo = analyzer.repo
    what_if = bool(query.add or query.remove)
    # A what-if and its baseline count the same stored places: read them once.
    placed = analyzer.placed([query.kind], query) if what_if else None
    demand, model, limit, facilities, walk, table = covered(analyzer, query, placed)
    result = results.header(query, model, demand, limit, facilities)
    listed = limits.places(repo, [query.kind], query)
    cities = set(demand.pieces["area_city"])
    blind = limits.blind_cities(repo, query.kind, cities)
    result.update(totals=results.known_totals(table, set(blind)),
                  areas=results.records(results.blinded(table, set(blind))),
                  gaps=results.gaps(demand, walk, limit),
                  resources=limits.accounting(repo, [query.kind], query, listed),
                  data_limits=list(blind.values())
                  + limits.data_limits(repo, query, analyzer.area_notes(query))
                  + limits.subgroup_limits(listed, query) + limits.freshness_limits(listed)
                  + programmes.count_limits(repo, listed, cities))
    if what_if:
        result["baseline"] = _baseline(analyzer, query, placed, demand, set(blind))
    return result


def _baseline(analyzer: Analyzer, query: Query, placed: gpd.GeoDataFrame, demand: Demand,
              blind: set[str]) -> dict:
    """The totals a what-if is compared with (not its accounting and limits again).

    The coordinator's what-ifs share one baseline, so it is kept while the demand (the same
    object, so the same data version) and the stored places it counted are the same. Walking
    networks keep their own labellings (``WalkNetwork``), so only straight lines are kept here.
    """
    base = replace(query, add=(), remove=())
    if query.model != "straight":
        return results.known_totals(covered(analyzer, base, placed)[-1], blind)
    key = (base, tuple(placed["id"]), tuple(shapely.to_wkb(placed.geometry.values)))
    kept = analyzer.kept_baseline(key, demand)
    if kept is not None:
        return kept
    totals = results.known_totals(covered(analyzer, base, placed)[-1], blind)
    analyzer.keep_baseline(key, demand, totals)
    return totals
