"""The synthetic nation of ``bench_scale.py`` (SYNTHETIC, benchmark only), and its report.

A block is the five real cities of the demo database: their 250 m cells, school districts, city
outlines, salons, shelters and emergency sites. Block ``b`` is shifted by whole degrees into an
empty square of the map (east of the real block, rows northwards) and its cities are coded
``50000 + 5 b + j``: a range no real municipality has, so nothing can be mistaken for a place.
Each block is stored as two datasets (districts with the people and places, and the city
outlines) through ``Repository.replace_dataset``, as an import stores its rows.
"""

from __future__ import annotations

import os

import numpy as np
import shapely

from app.storage.repository import AreaSetMeta, DatasetMeta, Repository

COLUMNS = 20  # blocks per row; each block 0.5° east of the last, rows 0.4° apart
KINDS = ["salon", "shelter", "emergency_site"]
SET_NAME = "synthetic nation (benchmark only)"


def _source(repo: Repository) -> dict:
    """The real block, read once: area rows per kind, population rows and place records."""
    cells = repo.population_frame("mesh250")
    places = repo.resources_frame(kinds=KINDS, placed_only=True)
    return {"districts": repo.areas_frame(kind="school_district"), "cities": repo.areas_frame(kind="city"),
            "cells": cells[cells.geom_type != "Point"], "places": places,
            "codes": {c: j for j, c in enumerate(sorted(repo.city_names()))}}


def _shift(geometries, b: int):
    dx, dy = 0.5 * (1 + b % COLUMNS), 0.4 * (b // COLUMNS)
    return shapely.transform(geometries, lambda xy: xy + np.array([dx, dy]))


def _block_rows(source: dict, b: int) -> tuple[list, list, list, list]:
    """Districts, city outlines, cells and place records of block ``b``."""
    def code(city: str) -> str:
        return str(50000 + 5 * b + source["codes"].get(city, 0))

    def area_rows(frame):
        geometries = _shift(frame.geometry.to_numpy(), b)
        return [{"code": f"{r.code}#s{b}", "name": f"{r.name}（合成{b}）", "city_code": code(r.city_code),
                 "geometry": g} for r, g in zip(frame.itertuples(), geometries, strict=True)]

    # A city's own code is its city code.
    cities = [{**r, "code": r["city_code"]} for r in area_rows(source["cities"])]
    cells = source["cells"]
    cell_rows = [{"unit_type": "mesh250", "code": f"{r.code}s{b}", "name": "",
                  "city_code": code(r.city_code), "year": r.year, "total": r.total, "age65": r.age65,
                  "age75": r.age75, "geom": g}
                 for r, g in zip(cells.itertuples(), _shift(cells.geometry.to_numpy(), b), strict=True)]
    places = source["places"]
    points = _shift(places.geometry.to_numpy(), b)
    place_rows = [{"kind": r.kind, "name": f"{r.name}（合成{b}）", "address": "",
                   "city_code": code(r.city_code), "source_row": i, "placement": "coordinates",
                   "placement_detail": "synthetic",
                   "capacity": r.capacity, "welfare_shelter": bool(r.welfare_shelter), "category": r.category,
                   "targets": list(r.targets or []), "hazards": list(r.hazards or []),
                   "lonlat": (p.x, p.y)}
                  for i, (r, p) in enumerate(zip(places.itertuples(), points, strict=True))]
    return area_rows(source["districts"]), cities, cell_rows, place_rows


def copy_blocks(repo: Repository, blocks: int, log) -> int:
    """Store ``blocks`` synthetic copies of the real block; how many rows were stored."""
    source, stored = _source(repo), 0
    for b in range(blocks):
        districts, cities, cells, places = _block_rows(source, b)
        repo.replace_dataset(DatasetMeta(f"synthetic:{b}", "synthetic", f"synthetic block {b}", "",
                                         "synthetic"),
                             area_set=AreaSetMeta("school_district", SET_NAME, "official", "synthetic"),
                             areas_rows=districts, population_rows=cells, resource_rows=places)
        repo.replace_dataset(DatasetMeta(f"synthetic:{b}:cities", "synthetic", f"synthetic cities {b}", "",
                                         "synthetic"),
                             area_set=AreaSetMeta("city", SET_NAME, "official", "synthetic"),
                             areas_rows=cities)
        stored += len(districts) + len(cities) + len(cells) + len(places)
        if (b + 1) % 10 == 0 or b + 1 == blocks:
            log(f"  block {b + 1}/{blocks}: {stored:,} rows")
    return stored


def report(real: dict, nations: list, network: dict, args) -> None:
    print(f"\nScale on {os.cpu_count()} cores; load (1 min) {os.getloadavg()[0]:.2f}\n")
    print("Real cities (the demo database): per-city analysis, median ms; the real 250 m file imported\n")
    print("| backend | cities | coverage ms/city | reach ms/city | import rows/s (end to end) "
          "| store rows/s (bulk: COPY on PostGIS) | store rows/s (row inserts) | bulk vs inserts |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, r in real.items():
        print(f"| {backend} | {r['cities']} | {r['coverage']:.0f} | {r['reach']:.0f} | {r['import']:,.0f} "
              f"| {r['store_bulk']:,.0f} | {r['store_inserts']:,.0f} "
              f"| {r['store_bulk'] / r['store_inserts']:.2f}× |")
    print("\nBatch (coverage then reach, the five cities, forced) on a Dask LocalCluster\n")
    print("| backend | 1 worker s | 2 workers s | speed-up |")
    print("|---|---:|---:|---:|")
    for backend, r in real.items():
        print(f"| {backend} | {r['batch1']:.1f} | {r['batch2']:.1f} | {r['batch1'] / r['batch2']:.2f}× |")
    print(f"\nSYNTHETIC nation (copies of the five cities, codes 5xxxx; benchmark only): {args.sample} "
          "sample cities per size\n")
    print("| backend | cities | rows stored | database MB | load rows/s | split of the nation s "
          "| coverage ms/city | reach ms/city |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, n in nations:
        print(f"| {backend} | {n['size']:,} | {n['rows']:,} | {n['megabytes']:,.0f} "
              f"| {n['load_rows_s']:,.0f} | {n['split_s']:.1f} | {n['coverage']:.0f} | {n['reach']:.0f} |")
    print(f"\nWalking network from the real Helsinki extract ({network['megabytes']:.1f} MB): whole, "
          f"{network['full_nodes']:,} nodes in {network['full_s']:.1f} s; cut to a 450 × 780 m box by "
          f"osmium and parsed, {network['cut_nodes']:,} nodes in {network['cut_s']:.1f} s")
