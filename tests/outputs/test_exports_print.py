"""Exports round-trip through geopandas; district PDFs render and carry the district's name."""

from __future__ import annotations

import html
import re
import subprocess

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from app.domain.kinds import RESOURCE_KINDS
from app.outputs.symbology import PRINTED_KINDS
from app.outputs.tables import result_bytes
from tests import source_counts

DISTRICT = "13214:国分寺市立第八小学校"


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_layer_exports_round_trip(demo_client, demo_repo, fmt, tmp_path):
    response = demo_client.get(f"/api/v1/export/shelter.{fmt}?city=13214")
    assert response.status_code == 200
    path = tmp_path / f"shelter.{fmt}"
    path.write_bytes(response.data)
    expected = {r["name"] for r in demo_repo.find_resources(kinds=["shelter"], city="13214", limit=1000)}
    if fmt == "csv":
        assert response.data.startswith(b"\xef\xbb\xbf")
        frame = pd.read_csv(path, encoding="utf-8-sig")
    else:
        frame = gpd.read_file(path)
        assert frame.crs.to_epsg() == 4326 and (frame.geom_type == "Point").all()
    assert set(frame["name"]) == expected and len(frame) == len(expected)
    assert frame["source"].str.contains("国土地理院").all()
    assert frame.loc[frame["name"] == "国分寺市立第十小学校", "address"].iloc[0] == "東京都国分寺市戸倉3-5"


def test_area_and_analysis_exports(demo_client, tmp_path):
    areas = demo_client.get("/api/v1/export/school_district-approximate.gpkg").data
    (tmp_path / "a.gpkg").write_bytes(areas)
    frame = gpd.read_file(tmp_path / "a.gpkg")
    assert len(frame) == source_counts.approximate_districts() and set(frame["provenance"]) == {"approximate"}
    result = demo_client.get("/api/v1/analysis/coverage?city=13214&minutes=10&format=geojson")
    (tmp_path / "c.geojson").write_bytes(result.data)
    coverage = gpd.read_file(tmp_path / "c.geojson")
    assert len(coverage) == 10 and coverage["pct_covered"].between(0, 100).all()
    assert demo_client.get("/api/v1/export/vacant_house.csv").status_code == 400
    assert demo_client.get("/api/v1/export/shelter.xls").status_code == 400


def test_a_reach_answers_shelters_are_a_map_and_a_table(demo_client, tmp_path):
    """table=shelters: one point per shelter with its people and capacity; a city without shelters, a header."""
    answer = demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15&table=shelters").get_json()
    (tmp_path / "s.gpkg").write_bytes(
        demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15&table=shelters&format=gpkg").data)
    shelters = gpd.read_file(tmp_path / "s.gpkg")
    assert len(shelters) == len(answer["catchments"]["shelters"]) and (shelters.geom_type == "Point").all()
    first = answer["catchments"]["shelters"][0]
    row = shelters[shelters["name"] == first["name"]].iloc[0]
    assert (round(row.geometry.x, 6), round(row.geometry.y, 6)) == (first["lon"], first["lat"])
    empty = {**answer, "catchments": {"shelters": []}}
    header = result_bytes(empty, "shelters", None, "csv", "ja").decode("utf-8-sig").splitlines()
    assert header[0].startswith("番号,避難所,") and len(header) == 1


def test_cli_export(demo_app, tmp_path):
    runner = demo_app.test_cli_runner()
    out = tmp_path / "hubs.gpkg"
    result = runner.invoke(args=["export", "hub", "--format", "gpkg", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = gpd.read_file(out)
    assert len(frame) > 30 and "田無総合福祉センター" in set(frame["name"])


def _pages(pdf: bytes, tmp_path) -> list[Image.Image]:
    path = tmp_path / "district.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob("page-*.png"))]


def test_district_pdf(demo_client, tmp_path):
    response = demo_client.get(f"/print?area_kind=school_district&area={DISTRICT}&paper=A4")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = _pages(response.data, tmp_path)
    assert len(pages) >= 2
    first = pages[0]
    assert first.size[0] < first.size[1]  # portrait A4
    dark = int((np.asarray(first) < 128).sum())
    assert dark > 0.01 * first.size[0] * first.size[1]  # not blank
    text = subprocess.run(["pdftotext", str(tmp_path / "district.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "国分寺市立第八小学校" in text and "作成日" in text and "国土地理院" in text
    assert "近似" in text  # an approximate district says so on paper
    assert f"{demo_client.application.config['PUBLIC_URL']}/?lat=" in text  # the QR code's address, printed


def _words(pdf: bytes, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) of one page, in points."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode()
    return [(html.unescape(w), *map(float, box)) for *box, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]


def test_the_district_sheet_orients_on_paper(demo_client, demo_repo):
    """The QR code stands clear of the sources; the legend names only what is drawn; the list is 11 pt."""
    pdf = demo_client.get(f"/print?area_kind=school_district&area={DISTRICT}&paper=A4").data
    first = _words(pdf, 1)
    page_width = 595.0
    sources = [w for w in first if w[2] > 842 * 0.80 and w[4] < 842 * 0.98]  # the band of the sources
    assert sources and max(w[3] for w in sources) < 0.80 * page_width  # left of the QR code
    [area] = demo_repo.areas_frame(kind="school_district", codes=[DISTRICT]).geometry
    placed = demo_repo.resources_frame(kinds=list(PRINTED_KINDS), bbox=area.bounds, placed_only=True)
    drawn = set(placed[placed.geometry.covered_by(area)]["kind"])
    words = " ".join(w[0] for w in first)
    for kind in PRINTED_KINDS:
        assert (RESOURCE_KINDS[kind].label_ja in words) == (kind in drawn), kind
    listed = [w for w in _words(pdf, 2) if re.fullmatch(r"\d+\.", w[0])]
    assert len(listed) == len(placed[placed.geometry.covered_by(area)])
    assert min(w[4] - w[2] for w in listed) >= 11 * 0.9  # a line's glyphs at 11 pt


def test_print_cli_and_errors(demo_app, demo_client, tmp_path):
    out = tmp_path / "a3.pdf"
    result = demo_app.test_cli_runner().invoke(args=["print", "--area", DISTRICT, "--paper", "A3",
                                                     "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = _pages(out.read_bytes(), tmp_path)[0]
    assert page.size[1] > 800  # A3 at 50 dpi is about 827 px tall
    bad = demo_client.get("/print?area=nowhere")
    assert bad.status_code == 400 and "no school_district with code 'nowhere'" in bad.get_json()["error"]


def test_paper_names_the_lists_a_city_does_not_publish(demo_client, tmp_path):
    [unlisted] = sorted(source_counts.unavailable_gsi_cities())
    area = demo_client.get(f"/api/v1/areas?kind=school_district&city={unlisted}&limit=1").get_json()
    code = area["features"][0]["properties"]["code"]
    response = demo_client.get(f"/print?area_kind=school_district&area={code}")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,
                          check=True).stdout.decode()
    flat = "".join(text.split())
    name = source_counts.cities()[unlisted]
    assert f"{name}は指定緊急避難場所の一覧を公開していないため" in flat and "場所がないのではありません" in flat
    assert "非公開の場所は載せていません" in flat.replace("個人宅のサロンや空き家など", "")
    elsewhere = demo_client.get(f"/print?area_kind=school_district&area={DISTRICT}")
    other = subprocess.run(["pdftotext", "-", "-"], input=elsewhere.data, capture_output=True,
                           check=True).stdout.decode()
    assert "指定緊急避難場所の一覧を公開していない" not in "".join(other.split())


def test_every_number_on_the_map_page_reads_once(demo_client, demo_repo):
    """Places at one spot share a label (「3・4」) and labels do not run into each other."""
    response = demo_client.get(f"/print?area_kind=school_district&area={DISTRICT}")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=response.data,
                           capture_output=True, check=True).stdout.decode()
    tokens = first.split("作成日")[0].split()
    labels = [t for t, after in zip(tokens, [*tokens[1:], ""], strict=True)
              if re.fullmatch(r"\d+(・\d+)*", t) and after != "m"]  # not the scale bar's "250 m"
    shown = [int(n) for label in labels for n in label.split("・")]
    [area] = demo_repo.areas_frame(kind="school_district", codes=[DISTRICT]).geometry
    placed = demo_repo.resources_frame(kinds=list(PRINTED_KINDS), bbox=area.bounds, placed_only=True)
    count = int(placed.geometry.covered_by(area).sum())
    assert sorted(shown) == list(range(1, count + 1))


def test_the_map_page_names_what_a_reader_orients_by(demo_client, demo_repo):
    """町丁目 and stations are named, and sediment-hazard areas are in the legend where they meet."""
    districts = demo_repo.areas_frame(kind="school_district", city="13214")
    stations = demo_repo.context_frame(bbox=tuple(districts.total_bounds), layers=("station",))
    stations["point"] = shapely.centroid(stations.geometry.to_numpy())  # near enough to say which district
    [code] = [d.code for d in districts.itertuples()
              if shapely.within(stations["point"].to_numpy(), d.geometry.envelope).any()][:1]
    area = districts.set_index("code").geometry[code]
    response = demo_client.get(f"/print?area_kind=school_district&area={code}")
    text = "".join(subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=response.data,
                                  capture_output=True, check=True).stdout.decode().split())
    named = {s.name for s in stations.itertuples() if s.point.within(area.envelope)}
    assert any(f"{name}駅" in text for name in named)
    chome = demo_repo.population_frame("chome")
    inside = chome[chome.geometry.covered_by(area)]["name"]
    assert len(inside) and all(name in text for name in inside)
    hazards = demo_repo.areas_frame(kind="sediment_hazard", bbox=area.buffer(0.01).bounds)  # as the sheet reads
    assert ("土砂災害危険箇所" in text) == bool(len(hazards))
