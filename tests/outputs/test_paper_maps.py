"""Paper maps orient: the survey sheet and report draw railways, rivers, named stations and addresses."""

from __future__ import annotations

import subprocess

import geopandas as gpd
import shapely

from app.outputs import survey as paper
from app.outputs.fonts import pyplot

# A fictional 町丁目 with its shelter and site, and a fictional railway, river and station beside them.
PLACE = {"chome": "架空町一丁目", "lon": 139.4800, "lat": 35.7050, "codes": ["ABCD2345"],
         "shelter": {"name": "架空第一小学校", "address": "東京都架空市架空町1-2-3", "lon": 139.4830,
                     "lat": 35.7060, "walk_minutes": 5.0},
         "site": {"name": "架空公園", "address": "", "lon": 139.4770, "lat": 35.7070, "walk_minutes": 4.0}}
CONTEXT = gpd.GeoDataFrame(
    {"layer": ["railway", "river", "station"], "name": ["架空線", "架空川", "架空台"]},
    geometry=[shapely.LineString([(139.470, 35.703), (139.490, 35.703)]),
              shapely.LineString([(139.470, 35.708), (139.490, 35.709)]),
              shapely.LineString([(139.4795, 35.7030), (139.4805, 35.7030)])], crs="EPSG:4326")
SURVEY = {"id": 1, "area_name": "架空の地区", "hazard": "flood"}


def _text(pdf: bytes) -> str:
    return "".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                  check=True).stdout.decode().split())


def test_a_survey_sheet_names_the_station_and_the_shelters_address():
    sheet = _text(paper.sheets_pdf(SURVEY, [PLACE], "http://example.invalid", context=CONTEXT))
    assert "架空台駅" in sheet and "架空市架空町1-2-3" in sheet and "N" in sheet
    bare = _text(paper.sheets_pdf(SURVEY, [PLACE], "http://example.invalid"))
    assert "架空台駅" not in bare  # nothing drawn that was not given


def test_the_survey_reports_map_is_drawn_over_the_railways_and_stations():
    rows = [{"町丁目": "架空町一丁目", "知っている knows": "50%"}]
    figure = paper.answers_map_figure(SURVEY, [PLACE], rows, [], CONTEXT)
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    pyplot().close(figure)
    assert "架空台駅" in texts and any(t.endswith(" m") for t in texts) and "N" in texts
