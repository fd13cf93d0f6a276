"""The inputs of every analysis: a validated query, and the demand, places and walking model it reads.

``Analyzer`` reads them once and keeps them (demand until any dataset changes, what-if
baselines with their demand); each analysis is its own module over it, returning a typed result:
``coverage``, ``reach``, ``suggestions``, ``catchment_fit``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd

from app.domain.coverage import DistanceModel, limit_metres
from app.domain.demand import MEASURE_FOR_TARGET, MEASURES, Demand, split_demand
from app.domain.kinds import AREA_KINDS, HAZARDS, RESOURCE_KINDS
from app.domain.projection import METRIC_CRS, xy
from app.domain.targets import CATEGORIES, TARGET_GROUPS
from app.domain.walking import BOUNDS, DEFAULT_DETOUR, DEFAULT_PACE, WalkingModel
from app.services import analysis_limits as limits
from app.services.demand_split import kept_split
from app.services.place_reads import near_enough
from app.storage.networks import NetworkStore
from app.storage.repository import Repository

UNIT_TYPES = ("mesh250", "mesh500", "chome")
FACILITY_COLUMNS = ["id", "name", "kind", "capacity", "city_code", "added", "welfare_shelter", "targets"]
KEPT_BASELINES = 32


class AnalysisError(ValueError):
    """The request cannot be answered with the data loaded; the message says what to do."""


@dataclass(frozen=True)
class Query:
    """One analysis request. ``minutes`` and ``metres`` both None: the default limit."""

    kind: str = "salon"
    area_kind: str = "school_district"
    minutes: float | None = None
    metres: float | None = None
    pace: float = DEFAULT_PACE
    model: str = "straight"
    detour: float = DEFAULT_DETOUR
    city: str | None = None
    measure: str | None = None
    hazard: str | None = None
    add: tuple[tuple[float, float], ...] = ()
    remove: tuple[int, ...] = ()
    network: str | None = None
    units: str | None = None  # mesh250 | mesh500 | chome; default: the finest loaded
    target: str | None = None  # a target group: only places for it (or for everyone) count
    category: str | None = None
    # Cities whose restricted places the caller may see (and which then count, flagged).
    visible_cities: tuple[str, ...] = ()

    def __post_init__(self):
        """Refuse a query no analysis can answer truly, naming the parameter and what to give."""
        problems = [f"{name}: {why}" for name, why in _query_problems(self)]
        if problems:
            raise AnalysisError("; ".join(problems))


CHOICES = {"kind": RESOURCE_KINDS, "area_kind": AREA_KINDS, "model": ("straight", "network"),
           "units": UNIT_TYPES, "measure": MEASURES, "hazard": HAZARDS, "target": TARGET_GROUPS,
           "category": CATEGORIES}


def _query_problems(query: Query):
    """(parameter, what is wrong) of each value outside what the analyses know or the walking bounds."""
    for name, known in CHOICES.items():
        value = getattr(query, name)
        if value is not None and value not in known:
            yield name, f"{value!r} is not one of {', '.join(known)}"
    if query.minutes is not None and query.metres is not None:
        yield "metres", "give minutes or metres, not both"
    for name, (low, high) in BOUNDS.items():
        value = getattr(query, name)
        if value is not None and not low <= value <= high:
            yield name, f"{value:g} is outside {low:g}–{high:g}"


@dataclass
class Analyzer:
    """The inputs analyses read from a repository, demand cached until any dataset changes."""

    repo: Repository
    networks: NetworkStore
    _cache: dict = field(default_factory=dict)
    # (area kind, city) → AreaNotes of the areas the demand was split over, read with them.
    _notes: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # A one-city query reads only the places near its people once more than this many of the kind
    # are stored (below it one read of them all is quicker); None never bounds the read (the
    # reference the bounded read is tested against).
    bound_from: int | None = 2_000
    # What-if baselines: (query without what-ifs, the stored places) → (its demand, totals).
    _baselines: dict = field(default_factory=dict)

    # -- inputs -------------------------------------------------------------
    def demand(self, area_kind: str, city: str | None, measure: str | None,
               units: str | None = None) -> Demand:
        """Population pieces for an area kind, cached until any dataset changes."""
        version = self.repo.data_version()  # the one fingerprint: this cache's and the kept split's
        key = (area_kind, city, measure, version, units)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        areas = self.repo.areas_frame(kind=area_kind, city=city)
        whole_city = areas.empty and bool(city) and area_kind != "city"
        if whole_city:
            # A city without districts is still answered, as one area (data_limits says so).
            areas = self.repo.areas_frame(kind="city", city=city)
        if areas.empty:
            raise AnalysisError(f"no {area_kind} areas are loaded{' for city ' + city if city else ''}; "
                                "import them with `fureai import boundaries`")
        approximate = frozenset(areas.loc[areas["provenance"] == "approximate", "city_code"])
        try:
            areas = areas[["code", "name", "city_code", "geometry"]]
            demand = split_demand(self._units(units), areas, measure) if whole_city else kept_split(
                self.repo, version, area_kind, city, measure, units,
                lambda: split_demand(self._units(units), self.repo.areas_frame(kind=area_kind)[areas.columns],
                                     measure))
        except ValueError as exc:
            raise AnalysisError(str(exc)) from None
        with self._lock:
            self._cache = {k: v for k, v in self._cache.items() if k[3] == key[3]}  # drop stale
            self._cache[key] = demand
            self._notes[(area_kind, city)] = limits.AreaNotes(approximate, whole_city)
        return demand

    def area_notes(self, query: Query) -> limits.AreaNotes:
        """What the areas of the query's last demand split were (approximate cities, whole city)."""
        return self._notes.get((query.area_kind, query.city), limits.AreaNotes(frozenset(), False))

    def _units(self, wanted: str | None) -> gpd.GeoDataFrame:
        for unit_type in (wanted,) if wanted else UNIT_TYPES:
            frame = self.repo.population_frame(unit_type)
            if not frame.empty:
                return frame
        what = f"no {wanted} population" if wanted else "no population"
        raise AnalysisError(f"{what} is loaded; import it with `fureai import population`")

    def facilities(self, kinds, query: Query, rule=None,
                   placed: gpd.GeoDataFrame | None = None, near=None) -> gpd.GeoDataFrame:
        """Placed resources of ``kinds`` that count for the query, in metres.

        Public ones, and the restricted ones of the caller's cities; only those for the query's
        target group (or everyone) and category, and that ``rule`` (a test of their ``targets``)
        accepts; less ``remove``, plus ``add``. ``placed``: the
        stored ones already read for the same kinds and query (a what-if and its baseline).
        ``near``: the demand points (metres) of a one-city, straight-line query, so that only the
        places that can be nearest to them are read (``place_reads``).
        """
        if placed is None and near is not None and self._worth_bounding(kinds):
            def read(box):
                return self.facilities(kinds, query, rule, self.placed(kinds, query, box))

            return near_enough(read, near)
        frame = self.placed(kinds, query) if placed is None else placed
        frame = frame[~frame["id"].isin(query.remove)]
        if rule is not None:
            frame = frame[frame["targets"].map(lambda t: bool(rule(t or []))).astype(bool)]
        frame = frame.assign(added=False)[[*FACILITY_COLUMNS, "restricted", "geometry"]]
        names = [f"added #{i + 1}" for i in range(len(query.add))]  # what-ifs are public places
        added = gpd.GeoDataFrame(
            pd.DataFrame({"id": [None] * len(names), "name": names, "kind": query.kind, "capacity": None,
                          "city_code": "", "added": True, "welfare_shelter": False,
                          "targets": [["everyone"] for _ in names]},
                         columns=FACILITY_COLUMNS),
            geometry=gpd.points_from_xy([p[0] for p in query.add], [p[1] for p in query.add]),
            crs="EPSG:4326")
        both = pd.concat([frame, added], ignore_index=True) if len(added) else frame.reset_index(drop=True)
        return gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326").to_crs(METRIC_CRS)

    def placed(self, kinds, query: Query, bbox=None) -> gpd.GeoDataFrame:
        """The stored, placed resources of ``kinds`` the query may count (before its what-ifs).

        ``bbox``: those in the box, and the query city's own wherever they are (so that whether a
        city has any is read as from the whole table).
        """
        read = partial(self.repo.resources_frame, kinds=list(kinds), hazard=query.hazard, placed_only=True,
                       restricted_cities=query.visible_cities)
        frame = read() if bbox is None else \
            pd.concat([read(bbox=bbox), read(city=query.city)]).drop_duplicates("id").reset_index(drop=True)
        if len(frame) and (query.target or query.category):
            frame = frame[frame.apply(lambda r: limits.counts_for(r, query), axis=1)]
        # A place whose own note says it closed or paused is not counted (the coordinator confirms).
        return limits.without_closed(frame)

    def model(self, query: Query, demand: Demand) -> DistanceModel:
        """Straight line × detour, or the imported walking network that covers the demand."""
        walking = WalkingModel(pace_m_per_min=query.pace, detour=query.detour)
        if query.model == "straight":
            return DistanceModel(walking)
        network = self.networks.covering(demand.pieces.to_crs("EPSG:4326"), query.network)
        if network is None:
            raise AnalysisError("no walking network covers these areas; import an OpenStreetMap "
                                "extract with `fureai import network FILE.osm.pbf`, or use model=straight")
        return DistanceModel(walking, network)

    def query_demand(self, query: Query) -> Demand:
        """The demand a query counts: the measure follows the target group unless one is asked for."""
        measure = query.measure or MEASURE_FOR_TARGET.get(query.target or "")
        return self.demand(query.area_kind, query.city, measure, query.units)

    def prepare(self, query: Query) -> tuple[Demand, DistanceModel, float, np.ndarray]:
        """Demand, distance model, walking limit in metres, and demand points in the model's CRS.

        The measure follows the target group unless one is asked for (children → children).
        """
        demand = self.query_demand(query)
        model = self.model(query, demand)
        try:
            limit = limit_metres(model.walking, query.minutes, query.metres)
        except ValueError as exc:
            raise AnalysisError(str(exc)) from None
        return demand, model, limit, self.in_model(demand.pieces, model)

    @staticmethod
    def in_model(points: gpd.GeoDataFrame, model: DistanceModel) -> np.ndarray:
        """Point coordinates in the model's CRS (the network's, or metres for straight lines)."""
        return xy(points, model.network.crs if model.network is not None else None)

    def near_points(self, query: Query, demand_xy: np.ndarray) -> np.ndarray | None:
        """The demand points to bound the place read by: one city, straight lines (metres) only."""
        return demand_xy if query.city and query.model == "straight" else None

    def _worth_bounding(self, kinds) -> bool:
        return self.bound_from is not None and self.repo.count_resources(
            kinds=list(kinds), placed_only=True, include_restricted=True) > self.bound_from

    # -- what-if baselines, kept with the demand they were counted over ------------------------
    def kept_baseline(self, key: tuple, demand: Demand) -> dict | None:
        """The totals kept for ``key`` when counted over this very ``demand``, else None."""
        with self._lock:
            kept = self._baselines.get(key)
        return kept[1] if kept is not None and kept[0] is demand else None

    def keep_baseline(self, key: tuple, demand: Demand, totals: dict) -> None:
        """Keep ``totals`` for ``key``; those of an older demand (data version) are dropped."""
        with self._lock:
            fresh = [(k, v) for k, v in self._baselines.items() if v[0] is demand][-(KEPT_BASELINES - 1):]
            self._baselines = {**dict(fresh), key: (demand, totals)}
