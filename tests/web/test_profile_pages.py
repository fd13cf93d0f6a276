"""地区カルテ pages on the demo: a district's profile, its PDF, and its city's districts compared."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from urllib.parse import quote

from tests.conftest import OPEN_DATA_DIR

NISHITOKYO = "13229"


def _first_district(demo_repo, city):
    return sorted(demo_repo.areas_frame(kind="school_district", city=city)["code"])[0]


def test_a_district_profile_names_its_figures_and_limits(demo_client, demo_repo):
    code = _first_district(demo_repo, NISHITOKYO)
    page = demo_client.get(f"/areas/school_district/{quote(code)}").get_data(as_text=True)
    for heading in ("人口（2020年国勢調査", "地域の資源", "徒歩圏の割合", "データの限界"):
        assert heading in page
    assert "<svg" in page and "65歳以上人口" in page and "2015年" in page
    with (OPEN_DATA_DIR / "facts/salon_programs.csv").open(encoding="utf-8-sig") as handle:
        reported = next(r for r in csv.DictReader(handle) if r["city"] == "西東京市" and r["count_reported"][:1].isdigit())
    assert f"を{reported['count_reported']}と公表" in page  # the programme's count beside the map's, in Japanese


def test_the_profile_on_paper(demo_client, demo_repo):
    code = _first_district(demo_repo, NISHITOKYO)
    pdf = demo_client.get(f"/areas/school_district/{quote(code)}?format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True,
                                  check=True).stdout.decode().split())
    assert "地区カルテ" in text and "65歳以上人口" in text


def test_every_district_of_a_city_side_by_side(demo_client, demo_repo):
    codes = set(demo_repo.areas_frame(kind="school_district", city=NISHITOKYO)["code"])
    body = demo_client.get(f"/areas/school_district?city={NISHITOKYO}&format=csv").data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {r["コード / code"] for r in rows} == codes
    page = demo_client.get(f"/areas/school_district?city={NISHITOKYO}&sort=age65").get_data(as_text=True)
    most = max(rows, key=lambda r: float(r["65歳以上人口 / population aged 65+"] or 0))["区域 / area"]
    first_row = page[page.index("<tbody>"):]
    assert first_row.index(most) < first_row.index("</tr>")  # the most 65+ people come first
    # People are whole, in the file and on the page; the boundary's source reads as words.
    people = [r["総人口 / total population"] for r in rows] + [r["65歳以上人口 / population aged 65+"] for r in rows]
    assert all(p.isdigit() for p in people if p) and any(people)
    assert {r["境界 / boundary"] for r in rows} <= {"公式 / official", "加工 / derived",
                                                   "近似（最寄りの小学校） / approximate (nearest school)"}
    cells = re.findall(r'<td data-label="総人口 / total population">([^<]*)</td>', page)
    assert cells and all(re.fullmatch(r"[\d,]+|—", c) for c in cells)  # a phone shows each cell named


def test_bad_profile_requests_are_explained(demo_client):
    for path, said in (("/areas/school_district/nowhere", "この地区は見つからない"),
                       ("/areas/planet/x", "この地区は見つからない"), ("/areas/school_district", "「city」"),
                       ("/areas/school_district?city=13214&sort=height", "「sort」"),
                       ("/areas/school_district?city=13214&minutes=0", "「minutes」"),
                       ("/areas/school_district?city=13214&minutes=0&lang=en", "“minutes”")):
        answer = demo_client.get(path)
        assert answer.status_code == 400 and said in answer.get_data(as_text=True), path


def test_the_profile_command(demo_app, demo_repo, tmp_path):
    runner = demo_app.test_cli_runner()
    code = _first_district(demo_repo, NISHITOKYO)
    done = runner.invoke(args=["profile", "--area", code, "--out", str(tmp_path / "p.pdf")])
    assert done.exit_code == 0 and (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    table = runner.invoke(args=["profile", "--city", NISHITOKYO, "--out", str(tmp_path / "c.csv")])
    assert table.exit_code == 0 and "区域 / area" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    refused = runner.invoke(args=["profile", "--out", str(tmp_path / "x.pdf")])
    assert refused.exit_code == 1 and "either --area" in refused.output


def test_the_comparison_agrees_with_the_coverage_answer(demo_client):
    coverage = demo_client.get("/api/v1/analysis/coverage?city=13214&minutes=10&target=older").get_json()
    body = demo_client.get("/areas/school_district?city=13214&minutes=10&format=csv").data.decode("utf-8-sig")
    rows = {r["コード / code"]: r for r in csv.DictReader(io.StringIO(body))}
    column = "高齢者向けの場所 徒歩圏 % / within reach of places for older people %"
    assert set(rows) == {a["area_code"] for a in coverage["areas"]}
    for area in coverage["areas"]:
        shown = rows[area["area_code"]][column]
        assert (float(shown) if shown else None) == area["pct_covered"], area["area_code"]
