"""The analyses the web and the command line run, on the app's analyzer (its caches shared)."""

from __future__ import annotations

from app.services._stores import uses_stores
from app.services.analysis import Analyzer, Query


@uses_stores
def coverage(analyzer: Analyzer, query: Query) -> dict:
    """Share of people within the limit of a place of the query's kinds, per area and in all."""
    return analyzer.coverage(query)


@uses_stores
def reach(analyzer: Analyzer, query: Query) -> dict:
    """Share of people within the limit of a shelter and of an emergency site, per area."""
    return analyzer.reach(query)


@uses_stores
def suggest(analyzer: Analyzer, query: Query, candidate_kinds=("hub", "school", "shelter"),
            k: int = 3) -> dict:
    """Greedy picks among candidate sites that add the most people not yet covered."""
    return analyzer.suggest(query, candidate_kinds, k)
