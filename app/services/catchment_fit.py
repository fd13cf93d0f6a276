"""Declared catchments (the 町丁目 a salon says it serves) against who can walk to that salon."""

from __future__ import annotations

from dataclasses import replace

from app.domain.demand import Demand
from app.services import analysis_results as results
from app.services._stores import uses_stores
from app.services.analysis import AnalysisError, Analyzer, Query


@uses_stores
def catchment_fit(analyzer: Analyzer, query: Query, set_name: str | None = None) -> dict:
    """For each declared catchment: % of its people within the limit of its own salon, and of any.

    Returns
    -------
    dict
        The analysis header and ``catchments``: one row per declared catchment, worst first.
    """
    set_name = set_name or f"declared catchments ({query.kind})"
    areas = analyzer.repo.areas_frame(kind="catchment", set_name=set_name)
    if areas.empty:
        raise AnalysisError(f"no catchment set {set_name!r}; build it with `fureai areas catchments`")
    demand, model, limit, demand_xy = analyzer.prepare(replace(query, area_kind="catchment"))
    facilities = analyzer.facilities([query.kind], query)
    walk_any, _ = model.nearest(demand_xy, analyzer.in_model(facilities, model))
    rows = []
    for area in areas.itertuples():
        own = facilities[facilities["id"] == area.resource_id]
        mask = (demand.pieces["area_code"] == area.code).to_numpy()
        people = float(demand.weights[mask].sum())
        row = {"area_code": area.code, "salon": area.name, "population": round(people, 1),
               "pct_own": None, "pct_any": None, "note": "salon not placed" if own.empty else ""}
        if not own.empty and people:
            part = Demand(demand.pieces[mask], demand.measure, demand.unit_type)
            walk_own, _ = model.nearest(analyzer.in_model(part.pieces, model), analyzer.in_model(own, model))
            row["pct_own"] = round(100 * part.weights[walk_own <= limit].sum() / people, 1)
            row["pct_any"] = round(100 * part.weights[walk_any[mask] <= limit].sum() / people, 1)
        rows.append(row)
    out = results.header(query, model, demand, limit, facilities)
    out["catchments"] = sorted(rows, key=lambda r: (r["pct_own"] is None, r["pct_own"] or 0))
    return out
