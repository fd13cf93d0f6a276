"""The red team's bad inputs, as a corpus: each gets a 4xx naming its field, and nothing is stored.

Walked on both backends through the same routes a coordinator's script and a household use.
Every value here is made up.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from app.importers.table_files import xlsx_rows
from app.services.errors import ImportFailed
from tests.web.helpers import _csrf, _login

HEADER = "名称,緯度,経度,市区町村\r\n"
# (what the red team sent, the CSV body after the header, the column the answer must name)
CSV_CORPUS = [
    ("Arabic-Indic digits as coordinates", "架空サロン,٣٥.٧٠,١٣٩.٤٨,国分寺市\r\n", "緯度"),
    ("a NUL in a name", "架空\x00サロン,35.70,139.48,国分寺市\r\n", "NUL byte"),
    ("a control character in a name", "架空\x07サロン,35.70,139.48,国分寺市\r\n", "名称"),
]


def _import(world, body: str, name: str = "corpus.csv", header: str = HEADER):
    token = world.accounts.issue_token("kokubunji")
    return world.app.test_client().post("/api/v1/import", headers={"Authorization": f"Bearer {token}"}, data={
        "kind": "salon", "city_code": "13214", "file": (io.BytesIO((header + body).encode("utf-8")), name)})


@pytest.mark.parametrize("what, body, column", CSV_CORPUS, ids=[c[0] for c in CSV_CORPUS])
def test_a_bad_cell_is_refused_with_its_column_and_nothing_is_stored(world, what, body, column):
    before = world.repo.count_resources(kinds=["salon"], include_restricted=True)
    answer = _import(world, body)
    assert answer.status_code == 400, (what, answer.get_data(as_text=True))
    assert column in " ".join(answer.get_json()["errors"]), what
    assert world.repo.count_resources(kinds=["salon"], include_restricted=True) == before


def test_a_header_naming_a_column_twice_is_refused(world):
    answer = _import(world, "架空サロン,35.70,139.48,国分寺市,35.71\r\n", header="名称,緯度,経度,市区町村,緯度\r\n")
    assert answer.status_code == 400 and "appears twice" in " ".join(answer.get_json()["errors"])


def test_superscript_and_foreign_digits_in_forms_are_a_400_not_a_500(world):
    coordinator = _login(world.app, "kokubunji")
    token = _csrf(coordinator, "/workspace")
    for value in ("²", "١٢", "9" * 40):
        chosen = coordinator.post("/persons/1/destination", data={"csrf_token": token, "resource_id": value,
                                                                 "reason": "架空"})
        assert chosen.status_code in (302, 400, 403, 404), value
        marked = coordinator.post("/safety/1/mark", data={"csrf_token": token, "person_id": value,
                                                          "status": "safe"})
        assert marked.status_code in (400, 403, 404), value


def _bomb(path, rows: int):
    """A tiny .xlsx whose one sheet declares ``rows`` empty rows (each a real, empty <row>)."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c>'
             '</row>' + "".join(f'<row r="{i}"/>' for i in range(2, rows + 2)) + "</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
        '2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def test_an_xlsx_declaring_endless_rows_is_refused_quickly(tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx", 150_000)
    assert path.stat().st_size < 1_000_000  # a small upload
    with pytest.raises(ImportFailed) as refused:
        xlsx_rows(path)
    assert "declares far more rows" in str(refused.value)


def test_anonymous_printing_is_rate_limited(world, monkeypatch):
    """A district map costs seconds of CPU: an anonymous address gets PRINTS_PER_HOUR of them."""
    from app.web import pages

    monkeypatch.setattr(pages, "PRINTS_PER_HOUR", 2)
    client = world.app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.90"
    codes = [client.get("/print?area=nowhere").status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    signed_in = _login(world.app, "kokubunji")
    assert signed_in.get("/print?area=nowhere").status_code == 400  # staff are not slowed


@pytest.mark.parametrize("what, body, field", [
    ("100,000 nested brackets", "[" * 100_000 + "]" * 100_000, "body"),
    ("a lone surrogate in a name", '{"kind": "salon", "city_code": "13214", "name": "\\ud800x"}', "name"),
    ("targets not a list of strings", '{"kind": "salon", "city_code": "13214", "name": "x", "targets": [1]}',
     "targets"),
    ("a name longer than its column", '{"kind": "salon", "city_code": "13214", "name": "' + "x" * 5000 + '"}',
     "name"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_a_body_no_database_takes_is_a_400_naming_its_field(world, what, body, field):
    token = world.accounts.issue_token("kokubunji")
    before = world.repo.count_resources(kinds=["salon"], include_restricted=True)
    answer = world.app.test_client().post("/api/v1/resources", data=body, content_type="application/json",
                                          headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400, (what, answer.get_data(as_text=True)[:200])
    assert field in answer.get_data(as_text=True), what
    assert world.repo.count_resources(kinds=["salon"], include_restricted=True) == before
