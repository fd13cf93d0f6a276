"""``fureai`` data commands: init-db, import, demo, datasets, export, print."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.common import data_command, fail, print_report
from app.domain.kinds import AREA_KINDS, PROVENANCES, RESOURCE_KINDS
from app.outputs import tables
from app.outputs.printing import PrintError, district_pdf
from app.services import capacity, catalogue, imports, schema, stored
from app.services.batch import pick_cities
from app.services.demo import build_demo
from app.services.errors import ImportFailed
from app.services.geocoder import addresses_known
from app.services.networks import CITY_MARGIN_M, city_box, import_city_networks, import_network


def _run(action):
    """Run an import; on rejection print every error and exit 1 (nothing was stored)."""
    try:
        report = action()
    except ImportFailed as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    print_report(report)
    return report


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the tables, or upgrade them to this release (keeps existing data)."""
    try:
        done = schema.upgrade()
    except RuntimeError as exc:
        fail(str(exc))
    click.echo(f"database ready: {stored.database_url()} ({done})")


@click.group("import")
def import_group():
    """Import open data or council lists."""


@import_group.command("boundaries")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", required=True, type=click.Choice(list(AREA_KINDS)))
@click.option("--set", "set_name", help="Name of the area set (default: from the file name).")
@click.option("--provenance", default="official", type=click.Choice(PROVENANCES))
@click.option("--name-col")
@click.option("--code-col")
@click.option("--city-col")
@click.option("--crs", help="CRS of a file that has none, e.g. EPSG:6677.")
@click.option("--repair", is_flag=True, help="Repair invalid polygons instead of rejecting them.")
@click.option("--attribution", help="Attribution line shown on the map.")
@data_command
def import_boundaries_command(file, kind, set_name, provenance, name_col, code_col, city_col, crs,
                              repair, attribution):
    """Import area polygons (N03, A27, A32 or any polygon file)."""
    _run(lambda: imports.import_boundaries(
        file, kind, set_name=set_name, provenance=provenance, attribution=attribution,
        name_col=name_col, code_col=code_col, city_col=city_col, crs=crs, repair=repair))


@import_group.command("shelters")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_command
def import_shelters_command(files):
    """Import GSI 指定避難所 / 指定緊急避難場所 files (GeoJSON or CSV)."""
    failed = False
    for path in files:
        try:
            print_report(imports.import_shelters(path))
        except ImportFailed as exc:
            click.echo(str(exc), err=True)
            failed = True
    sys.exit(1 if failed else 0)


@import_group.command("resources")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", required=True, type=click.Choice(list(RESOURCE_KINDS)))
@click.option("--city", help="City code (e.g. 13214) for lists without a city column.")
@click.option("--attribution", help="Attribution line shown on the map.")
@data_command
def import_resources_command(file, kind, city, attribution):
    """Import a CSV/Excel list of salons, hubs, vending machines, vacant houses or shelters."""
    _warn_without_addresses()
    _run(lambda: imports.import_resources(file, kind, city=city,
                                          attribution=attribution))


def _site_list_options(command):
    """The options of a list about stored sites (capacity, accessibility): one spelling for both."""
    for option in reversed((
            click.argument("file", type=click.Path(path_type=Path)),
            click.option("--kind", default="shelter", show_default=True,
                         type=click.Choice(capacity.CAPACITY_KINDS)),
            click.option("--city", help="City code (e.g. 13214) for lists without a city column."),
            click.option("--as-of", default="", help="Date of the figures, for rows without a 時点 column."),
            click.option("--skip-unmatched", is_flag=True, help="Store the rows that match a site; list the "
                         "others instead of rejecting the file."))):
        command = option(command)
    return command


@import_group.command("capacity")
@_site_list_options
@data_command
def import_capacity_command(file, kind, city, as_of, skip_unmatched):
    """Import how many people each shelter takes (施設名/住所, 収容人数), matched to stored shelters."""
    _run(lambda: capacity.import_capacity(file, kind=kind, city=city, as_of=as_of,
                                          skip_unmatched=skip_unmatched))


@import_group.command("access")
@_site_list_options
@data_command
def import_access_command(file, kind, city, as_of, skip_unmatched):
    """Import each site's 段差なし入口 / 車いすトイレ / エレベーター / 福祉スペース (あり, なし or 不明)."""
    _run(lambda: capacity.import_access(file, kind=kind, city=city, as_of=as_of,
                                        skip_unmatched=skip_unmatched))


@import_group.command("population")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--year", type=int, help="Census year (default: from the file name).")
@data_command
def import_population_command(file, year):
    """Import an e-Stat mesh table or 町丁目 population points."""
    _run(lambda: imports.import_population(file, year=year))


def _warn_without_addresses():
    if not addresses_known():
        click.echo(f"warning: no address data in {current_app.config['OPEN_DATA_DIR']}; rows without "
                   "coordinates stay unplaced", err=True)


@click.command("demo")
@click.option("--if-missing", is_flag=True, help="Do nothing when the database already has data.")
@data_command
def demo_command(if_missing):
    """Build the demo database from OPEN_DATA_DIR (replaces only the demo's own datasets)."""
    held = stored.datasets()
    if if_missing and held:
        click.echo(f"database already has {len(held)} datasets; keeping it")
        return
    data_dir = Path(current_app.config["OPEN_DATA_DIR"])

    def progress(number, total, label):
        click.echo(f"[{number}/{total}] {label}", err=True)

    try:
        reports = build_demo(data_dir, progress=progress)
    except (ImportFailed, FileNotFoundError) as exc:
        click.echo(f"demo failed: {exc}", err=True)
        sys.exit(1)
    for report in reports:
        print_report(report)


@click.command("datasets")
@data_command
def datasets_command():
    """List the loaded datasets with source and attribution."""
    for d in stored.datasets():
        click.echo(f"{d['key']}\t{d['record_count']}\t{d['imported_at']:%Y-%m-%d}\t{d['attribution']}")


@import_group.command("network")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", help="Name of the network (default: from the file name, and the city).")
@click.option("--city", help="Cut a regional extract to this city's boundary (and margin) by osmium first.")
@click.option("--cities", help="Cut it for many cities in one pass: all, a prefecture (13) or CODE,CODE.")
@click.option("--margin", type=click.FloatRange(min=0), default=CITY_MARGIN_M, show_default=True,
              help="Metres kept around each city's boundary with --city or --cities.")
@data_command
def import_network_command(file, name, city, cities, margin):
    """Import an OpenStreetMap .osm.pbf extract as a walking network for analysis."""
    if cities:
        if city or name:
            fail("--cities names each network <extract>-<code>; leave out --city and --name")
        return _import_city_networks(file, cities, margin)
    try:
        bbox = city_box(city, margin) if city else None
        default = f"{Path(file).name.split('.')[0]}-{city}" if city else None
        network = import_network(file, name or default, bbox)
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    click.echo(f"network {network.name}: {network.nodes} nodes, {network.edges} edges ({network.crs})")


def _import_city_networks(file, cities, margin):
    def said(code, network, count, total):
        line = f"network {network.name}: {network.nodes} nodes, {network.edges} edges ({network.crs})" \
            if not isinstance(network, str) else f"city {code}: no network: {network}"
        click.echo(f"[{count}/{total}] {line}")

    try:
        codes = pick_cities(cities)
        click.echo(f"cutting {Path(file).name} for {len(codes)} cities in one osmium pass …", err=True)
        done = import_city_networks(file, codes, margin, progress=said)
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    missing = [code for code, network in done.items() if isinstance(network, str)]
    click.echo(f"{len(done) - len(missing)} of {len(done)} cities have a walking network"
               + (f"; none for {', '.join(missing)}" if missing else ""))


@click.command("export")
@click.argument("layer")
@click.option("--format", "fmt", default="geojson", show_default=True,
              type=click.Choice(["csv", "geojson", "gpkg"]))
@click.option("--out", required=True, type=click.Path(path_type=Path))
@click.option("--city", help="Only this city (code).")
@data_command
def export_command(layer, fmt, out, city):
    """Export a public layer (resource kind, or KIND-PROVENANCE for areas) with its attribution."""
    try:
        body, count = tables.layer_bytes(layer, fmt, city)
    except catalogue.UnknownLayer as exc:
        fail(str(exc))
    out.write_bytes(body)
    click.echo(f"wrote {count} features to {out}")


@click.command("print")
@click.option("--area-kind", default="school_district", show_default=True,
              type=click.Choice(list(AREA_KINDS)))
@click.option("--area", "area_code", required=True, help="Area code (see /api/v1/areas).")
@click.option("--paper", default="A4", show_default=True, type=click.Choice(["A4", "A3"]))
@click.option("--out", required=True, type=click.Path(path_type=Path))
@data_command
def print_command(area_kind, area_code, paper, out):
    """A printable PDF map of one district: shelters, salons, hubs, legend, scale, QR code."""
    try:
        body = district_pdf(area_kind, area_code, paper, current_app.config["PUBLIC_URL"])
    except PrintError as exc:
        fail(str(exc))
    out.write_bytes(body)
    click.echo(f"wrote {out} ({len(body):,} bytes)")
