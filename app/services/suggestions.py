"""Where a new salon (or any kind of place) would reach the most people not yet within reach."""

from __future__ import annotations

from dataclasses import replace

from app.domain.kinds import RESOURCE_KINDS
from app.domain.projection import xy
from app.domain.siting import greedy_sites
from app.domain.targets import TARGET_GROUPS, group_label, overlaps
from app.services import analysis_results as results
from app.services._stores import uses_stores
from app.services.analysis_results import SuggestionResult


@uses_stores
def suggest(analyzer, query, candidate_kinds=("hub", "school", "shelter"), k: int = 3) -> SuggestionResult:
    """Greedy picks among candidate sites that add the most people not yet covered."""
    demand, model, limit, demand_xy = analyzer.prepare(query)
    existing = analyzer.facilities([query.kind], query)
    walk, _ = model.nearest(demand_xy, analyzer.in_model(existing, model))
    covered = walk <= limit
    # Candidates are possible sites, for no group yet: the target filter is not theirs.
    sites = replace(query, hazard=None, add=(), remove=(), target=None, category=None)
    # A site reserved for another group (a nursery's 妊婦・乳幼児) is no site for older people's salon.
    group = query.target or "older"
    candidates = analyzer.facilities(candidate_kinds, sites, rule=lambda targets: overlaps(targets, group))
    if query.city:
        candidates = candidates[candidates["city_code"] == query.city]
    candidates = candidates.reset_index(drop=True)
    radius = limit / model.walking.detour
    picks = greedy_sites(demand.xy, demand.weights, covered, xy(candidates), radius, k)
    lonlat = candidates.to_crs("EPSG:4326")
    out = results.header(query, model, demand, limit, existing)
    out["suggestion_model"] = {"model": "straight_line", "detour_factor": model.walking.detour,
                               "note": "candidates are scored by straight line × detour"}
    out["private_candidates"] = int(candidates["restricted"].fillna(False).astype(bool).sum())
    out["covered_now"] = float(demand.weights[covered].sum())
    out["population"] = float(demand.weights.sum())
    out["picks"] = [{"rank": n + 1, "id": int(candidates.loc[j, "id"]), "name": candidates.loc[j, "name"],
                     "kind": candidates.loc[j, "kind"], "gain": round(gain, 1),
                     "why": _why(candidates.loc[j], gain, group),
                     "lon": float(lonlat.geometry.x[j]), "lat": float(lonlat.geometry.y[j])}
                    for n, (j, gain) in enumerate(picks)]
    return out


def _why(site, gain: float, group: str) -> str:
    """Why a candidate was picked: whom it would reach, what it is, and whom it is for."""
    reserved = [t for t in site.get("targets") or [] if t != "everyone"]
    kind = RESOURCE_KINDS[site["kind"]].label_ja if site["kind"] in RESOURCE_KINDS else site["kind"]
    for_whom = f"; a place for {group_label(reserved, 1).lower()}" if reserved else ""
    return (f"about {round(gain)} {TARGET_GROUPS[group][1].lower()} now beyond reach would be within it; "
            f"an existing {kind}{for_whom}")
