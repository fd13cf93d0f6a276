"""Build the demo database from the open data folder (OPEN_DATA_DIR)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.domain.geocoding import Geocoder
from app.importers.report import ImportReport
from app.services import city_facts, imports
from app.services._stores import uses_stores
from app.services.geocoder import geocoder_for
from app.storage.repository import Repository

# Said to the public: where the rows come from, in their words (each row keeps its source_id).
FACTS_ATTRIBUTION = ("市・社会福祉協議会などの公開ウェブページから手作業で転記 "
                     "/ transcribed by hand from the cities' and councils' public web pages")
GSI_SCHOOLS = "出典 国土地理院「指定緊急避難場所・指定避難所データ」(小学校を抽出)"
CONTEXT = {
    "context/railway_lines_n02.geojson": ("railway", "「国土数値情報（鉄道データ）」（国土交通省）"),
    "context/railway_stations_n02_2021.geojson": ("station", "「国土数値情報（鉄道データ）」（国土交通省）"),
    "context/rivers_w05_2008.geojson": ("river", "「国土数値情報（河川データ）」（国土交通省）"),
}
OFFICIAL_DISTRICT_CITIES = {"13210"}  # 小金井市: A27 polygons in the open data


def demo_steps(data: Path) -> list[tuple[str, Callable[[Repository, Geocoder], ImportReport]]]:
    """The demo as named steps, in dependency order (cities first, venues before salons)."""
    gsi = sorted((data / "shelters" / "gsi").glob("*.json"))
    steps = [
        ("city boundaries (N03)", lambda r, g: imports.import_boundaries(
            r, data / "boundaries/n03_2022_cities.geojson", "city", set_name="N03 2022")),
    ]
    steps += [(f"GSI {p.name}", lambda r, g, p=p: imports.import_shelters(r, p)) for p in gsi]
    steps += [
        ("elementary schools", lambda r, g: imports.import_resources(
            r, data / "schools/elementary_schools_gsi.geojson", "school", attribution=GSI_SCHOOLS)),
        ("小金井 A27 school districts", lambda r, g: imports.import_boundaries(
            r, data / "school_districts/koganei_a27_elementary_districts.geojson",
            "school_district", set_name="A27 小学校区")),
        ("approximate school districts", lambda r, g: imports.build_approximate_districts(
            r, OFFICIAL_DISTRICT_CITIES)),
        ("小金井 A32 middle-school districts", lambda r, g: imports.import_boundaries(
            r, data / "school_districts/koganei_a32_middle_districts.geojson",
            "middle_school_district", set_name="A32 中学校区")),
        ("A26 sediment hazard areas", lambda r, g: imports.import_boundaries(
            r, data / "hazards/sediment_hazard_areas_a26_2010.geojson", "sediment_hazard",
            set_name="A26 2010")),
        ("population 250 m mesh 2020", lambda r, g: imports.import_population(
            r, data / "population/estat_mesh250m_2020_age.csv", year=2020)),
        ("population 町丁目 points 2015", lambda r, g: imports.import_population(
            r, data / "population/estat_chome_2015_points.geojson", year=2015)),
        ("population 500 m mesh 2015", lambda r, g: imports.import_population(
            r, data / "population/estat_mesh500m_2015_5339.parquet", year=2015,
            bbox=_cities_bbox(r))),
    ]
    steps += [(f"context {rel}", lambda r, g, rel=rel, v=v: imports.import_context(
        r, data / rel, v[0], v[1])) for rel, v in CONTEXT.items()]
    facts = data / "facts"
    steps += [(f"facts {name}", lambda r, g, name=name, topic=topic: city_facts.import_city_statistics(
        r, facts / name, topic)) for name, topic in (("shelter_capacity.csv", "shelter_capacity"),
                                                    ("vacant_houses.csv", "vacant_houses"))]
    steps.append(("facts salon_programs.csv", lambda r, g: city_facts.import_programmes(
        r, facts / "salon_programs.csv")))
    for pattern, kind in (("facilities_*.csv", "hub"), ("salons_*.csv", "salon"),
                          ("vending_machines.csv", "vending_machine"),
                          ("disaster_parks_*.csv", "disaster_park")):
        steps += [(f"facts {p.name}", lambda r, g, p=p, kind=kind: imports.import_resources(
            r, p, kind, geocoder=g, attribution=FACTS_ATTRIBUTION)) for p in sorted(facts.glob(pattern))]
    return steps


def _cities_bbox(repo: Repository, margin: float = 0.012):
    minx, miny, maxx, maxy = repo.cities_frame().total_bounds
    return (minx - margin, miny - margin, maxx + margin, maxy + margin)


@uses_stores
def build_demo(repo: Repository, data_dir: Path, progress=None) -> list[ImportReport]:
    """Run every demo step; each step is its own transaction, re-running replaces them."""
    data = Path(data_dir)
    if not (data / "boundaries/n03_2022_cities.geojson").exists():
        raise FileNotFoundError(f"{data}: open data not found; set OPEN_DATA_DIR to the shared "
                                "data folder (its README.md names the publishers of each file)")
    repo.init_db()
    geocoder = geocoder_for(data)
    reports = []
    steps = demo_steps(data)
    for number, (label, step) in enumerate(steps, start=1):
        if progress:
            progress(number, len(steps), label)
        reports.append(step(repo, geocoder))
    return reports
