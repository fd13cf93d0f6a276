"""Analysis use-cases over the stored data: salon coverage, shelter reach, site suggestions."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from app.domain.coverage import DistanceModel, coverage_table, limit_metres
from app.domain.demand import MEASURES, Demand, split_demand
from app.domain.network import WalkNetwork
from app.domain.placement import METRIC_CRS
from app.domain.reach import catchments, two_step_fca
from app.domain.siting import greedy_sites
from app.domain.walking import WalkingModel
from app.networks import NetworkStore
from app.storage.repository import Repository

UNIT_TYPES = ("mesh250", "mesh500", "chome")


class AnalysisError(ValueError):
    """The request cannot be answered with the data loaded; the message says what to do."""


@dataclass(frozen=True)
class Query:
    kind: str = "salon"
    area_kind: str = "school_district"
    minutes: float | None = 15.0
    metres: float | None = None
    pace: float = 43.0
    model: str = "straight"
    detour: float = 1.3
    city: str | None = None
    measure: str | None = None
    hazard: str | None = None
    add: tuple[tuple[float, float], ...] = ()
    remove: tuple[int, ...] = ()
    network: str | None = None
    units: str | None = None  # mesh250 | mesh500 | chome; default: the finest loaded


@dataclass
class Analyzer:
    repo: Repository
    networks: NetworkStore
    _cache: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- inputs -------------------------------------------------------------
    def _version(self) -> tuple:
        return tuple((d["key"], d["imported_at"]) for d in self.repo.datasets())

    def demand(self, area_kind: str, city: str | None, measure: str | None,
               units: str | None = None) -> Demand:
        """Population pieces for an area kind, cached until any dataset changes."""
        key = (area_kind, city, measure, self._version(), units)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        areas = self.repo.find_areas(kind=area_kind, city=city, limit=100_000)
        if not areas:
            raise AnalysisError(f"no {area_kind} areas are loaded{' for city ' + city if city else ''}; "
                                "import them with `fureai import boundaries`")
        area_frame = gpd.GeoDataFrame(
            [{"code": a["code"], "name": a["name"], "city_code": a["city_code"]} for a in areas],
            geometry=gpd.GeoSeries.from_wkt([_wkt(a["geometry"]) for a in areas]), crs="EPSG:4326")
        units = self._units(units)
        try:
            demand = split_demand(units, area_frame, measure)
        except ValueError as exc:
            raise AnalysisError(str(exc)) from None
        with self._lock:
            self._cache = {k: v for k, v in self._cache.items() if k[3] == key[3]}  # drop stale
            self._cache[key] = demand
        return demand

    def _units(self, wanted: str | None) -> gpd.GeoDataFrame:
        for unit_type in (wanted,) if wanted else UNIT_TYPES:
            rows = self.repo.population(unit_type)
            if rows:
                frame = pd.DataFrame(rows)
                return gpd.GeoDataFrame(frame.drop(columns="geom"), geometry=list(frame["geom"]),
                                        crs="EPSG:4326")
        what = f"no {wanted} population" if wanted else "no population"
        raise AnalysisError(f"{what} is loaded; import it with `fureai import population`")

    def facilities(self, kinds, query: Query, welfare_only: bool = False) -> gpd.GeoDataFrame:
        rows = self.repo.find_resources(kinds=list(kinds), hazard=query.hazard, placed_only=True,
                                        limit=100_000)
        removed = set(query.remove)
        rows = [r for r in rows if r["id"] not in removed]
        if welfare_only:
            rows = [r for r in rows if r["welfare_shelter"]]
        records = [{"id": r["id"], "name": r["name"], "kind": r["kind"], "capacity": r["capacity"],
                    "city_code": r["city_code"], "lon": r["geometry"]["coordinates"][0],
                    "lat": r["geometry"]["coordinates"][1], "added": False} for r in rows]
        records += [{"id": None, "name": f"added #{i + 1}", "kind": query.kind, "capacity": None,
                     "city_code": "", "lon": lon, "lat": lat, "added": True}
                    for i, (lon, lat) in enumerate(query.add)]
        frame = pd.DataFrame(records, columns=["id", "name", "kind", "capacity", "city_code", "lon", "lat",
                                               "added"])
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                                crs="EPSG:4326").to_crs(METRIC_CRS)

    def model(self, query: Query, demand: Demand) -> DistanceModel:
        walking = WalkingModel(pace_m_per_min=query.pace, detour=query.detour)
        if query.model == "straight":
            return DistanceModel(walking)
        network = self.networks.covering(demand.pieces.to_crs("EPSG:4326"), query.network)
        if network is None:
            raise AnalysisError("no walking network covers these areas; import an OpenStreetMap "
                                "extract with `fureai import network FILE.osm.pbf`, or use model=straight")
        return DistanceModel(walking, network)

    def prepare(self, query: Query) -> tuple[Demand, DistanceModel, float, np.ndarray]:
        """Demand, distance model, walking limit in metres, and demand points in the model's CRS."""
        demand = self.demand(query.area_kind, query.city, query.measure, query.units)
        model = self.model(query, demand)
        limit = limit_metres(model.walking, query.minutes, query.metres)
        return demand, model, limit, _project(demand, model.network)

    # -- analyses -------------------------------------------------------------
    def coverage(self, query: Query) -> dict:
        """Salon (or any kind's) coverage per area, the gap units, and the what-if change."""
        demand, model, limit, demand_xy = self.prepare(query)
        facilities = self.facilities([query.kind], query)
        walk, _ = model.nearest(demand_xy, _project_points(facilities, model.network))
        table = coverage_table(demand, walk, limit)
        result = _header(query, model, demand, limit, facilities)
        result.update(totals=_totals(table), areas=_records(table),
                      gaps=_gaps(demand, walk, limit))
        if query.add or query.remove:
            base = self.coverage(Query(**{**query.__dict__, "add": (), "remove": ()}))
            result["baseline"] = base["totals"]
        return result

    def reach(self, query: Query) -> dict:
        """Share of people within the limit of a shelter and of an emergency site, per area."""
        demand, model, limit, demand_xy = self.prepare(query)
        layers = {"shelter": ({"shelter"}, False), "welfare_shelter": ({"shelter"}, True),
                  "emergency_site": ({"emergency_site"}, False)}
        out = _header(query, model, demand, limit, None)
        per_area, per_layer = None, {}
        for name, (kinds, welfare) in layers.items():
            layer_query = query if name == "emergency_site" else Query(**{**query.__dict__, "hazard": None})
            facilities = self.facilities(kinds, layer_query, welfare_only=welfare)
            walk, nearest = model.nearest(demand_xy, _project_points(facilities, model.network))
            table = coverage_table(demand, walk, limit).set_index("area_code")
            per_layer[name] = {"facilities": len(facilities), **_totals(table.reset_index())}
            column = table["pct_covered"].rename(f"pct_{name}")
            per_area = table[["area_name", "city_code", "population"]].join(column) if per_area is None \
                else per_area.join(column)
            if name == "shelter":
                out["catchments"] = _catchments(facilities, demand, walk, nearest, limit, demand_xy,
                                                model, query)
        out.update(layers=per_layer, areas=_records(per_area.reset_index().sort_values("area_code")))
        return out

    def catchment_fit(self, query: Query, set_name: str | None = None) -> dict:
        from app.catchment_fit import catchment_fit

        return catchment_fit(self, query, set_name)

    def suggest(self, query: Query, candidate_kinds=("hub", "school", "shelter"), k: int = 3) -> dict:
        """Greedy picks among candidate sites that add the most people not yet covered."""
        demand, model, limit, demand_xy = self.prepare(query)
        existing = self.facilities([query.kind], query)
        walk, _ = model.nearest(demand_xy, _project_points(existing, model.network))
        covered = walk <= limit
        candidates = self.facilities(candidate_kinds, Query(**{**query.__dict__, "hazard": None,
                                                               "add": (), "remove": ()}))
        if query.city:
            candidates = candidates[candidates["city_code"] == query.city]
        candidates = candidates.reset_index(drop=True)
        picks = greedy_sites(demand.xy, demand.weights, covered,
                             np.column_stack([candidates.geometry.x, candidates.geometry.y])
                             if len(candidates) else np.zeros((0, 2)), limit / model.walking.detour, k)
        lonlat = candidates.to_crs("EPSG:4326")
        out = _header(query, model, demand, limit, existing)
        out["suggestion_model"] = {"model": "straight_line", "detour_factor": model.walking.detour,
                                   "note": "candidates are scored by straight line × detour"}
        out["covered_now"] = float(demand.weights[covered].sum())
        out["population"] = float(demand.weights.sum())
        out["picks"] = [{"rank": n + 1, "id": int(candidates.loc[j, "id"]), "name": candidates.loc[j, "name"],
                         "kind": candidates.loc[j, "kind"], "gain": round(gain, 1),
                         "lon": float(lonlat.geometry.x[j]), "lat": float(lonlat.geometry.y[j])}
                        for n, (j, gain) in enumerate(picks)]
        return out


def _wkt(geometry: dict) -> str:
    import shapely.geometry

    return shapely.geometry.shape(geometry).wkt


def _project(demand: Demand, network: WalkNetwork | None) -> np.ndarray:
    if network is None:
        return demand.xy
    pieces = demand.pieces.to_crs(network.crs)
    return np.column_stack([pieces.geometry.x, pieces.geometry.y])


def _project_points(frame: gpd.GeoDataFrame, network: WalkNetwork | None) -> np.ndarray:
    if len(frame) == 0:
        return np.zeros((0, 2))
    frame = frame if network is None else frame.to_crs(network.crs)
    return np.column_stack([frame.geometry.x, frame.geometry.y])


def _header(query, model, demand, limit, facilities) -> dict:
    out = {"parameters": {"kind": query.kind, "area_kind": query.area_kind, "city": query.city,
                          "minutes": query.minutes, "metres": query.metres, "limit_walk_m": limit,
                          "hazard": query.hazard, "added": [list(p) for p in query.add],
                          "removed": list(query.remove)},
           "walking": model.describe(),
           "demand": {"measure": demand.measure, "label": MEASURES[demand.measure],
                      "units": demand.unit_type}}
    if facilities is not None:
        out["facilities"] = len(facilities)
    return out


def _totals(table: pd.DataFrame) -> dict:
    population = float(table["population"].sum())
    covered = float(table["covered"].sum())
    return {"population": round(population, 1), "covered": round(covered, 1),
            "not_covered": round(population - covered, 1),
            "pct_covered": round(100 * covered / population, 2) if population else None}


def _records(table: pd.DataFrame) -> list[dict]:
    out = []
    for row in table.to_dict("records"):
        out.append({k: (None if v is None or (isinstance(v, float) and not np.isfinite(v)) or v is pd.NA
                        else round(v, 2) if isinstance(v, float) else v) for k, v in row.items()})
    return out


def _gaps(demand: Demand, walk: np.ndarray, limit: float) -> list[dict]:
    """Demand pieces beyond the limit, as lon/lat points with their people."""
    outside = demand.pieces[walk > limit].to_crs("EPSG:4326")
    return [{"lon": round(p.x, 6), "lat": round(p.y, 6), "people": round(w, 1), "area_code": code,
             "walk_m": None if not np.isfinite(d) else round(float(d), 1)}
            for p, w, code, d in zip(outside.geometry, outside["weight"], outside["area_code"],
                                     walk[walk > limit], strict=True)]


def _catchments(facilities, demand, walk, nearest, limit, demand_xy, model, query) -> dict:
    capacities = [None if pd.isna(c) else int(c) for c in facilities["capacity"]]
    table = catchments(demand.weights, nearest, walk, limit, capacities)
    rows = [{"id": None if pd.isna(f["id"]) else int(f["id"]), "name": f["name"],
             "city_code": f["city_code"], "assigned": round(float(a), 1),
             "assigned_within_limit": round(float(w), 1),
             "capacity": None if pd.isna(c) else int(c),
             "load_ratio": None if pd.isna(r) else round(float(r), 3)}
            for f, a, w, c, r in zip(facilities.to_dict("records"), table["assigned"],
                                     table["assigned_within_limit"], table["capacity"],
                                     table["load_ratio"], strict=True)]
    known = [i for i, c in enumerate(capacities) if c]
    out = {"shelters": sorted(rows, key=lambda r: -r["assigned"]),
           "capacity_known": len(known), "capacity_unknown": len(capacities) - len(known)}
    if known:
        xy = _project_points(facilities.iloc[known], None)
        access, _ = two_step_fca(demand.xy, demand.weights, xy, np.array([capacities[i] for i in known]),
                                 limit / model.walking.detour)
        frame = pd.DataFrame({"area_code": demand.pieces["area_code"], "w": demand.weights, "a": access})
        out["two_step_fca"] = {code: round(float((g["a"] * g["w"]).sum() / g["w"].sum()), 4)
                               for code, g in frame.groupby("area_code") if g["w"].sum() > 0}
    else:
        out["two_step_fca"] = None
        out["two_step_fca_note"] = "no shelter capacity is published in this data; not computed"
    return out
