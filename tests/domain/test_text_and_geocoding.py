from __future__ import annotations

import pytest

from app.domain.text import clean_address, name_key, name_parts
from tests.conftest import open_data


def test_name_key_folds_widths_and_ke():
    assert name_key("東恋ヶ窪　公民館") == name_key("東恋ケ窪公民館") == name_key("東恋が窪公民館")
    assert name_key("ｃｏｃｏｂｕｎｊｉプラザ") == "cocobunjiプラザ"


def test_name_parts_of_compound_names():
    assert name_parts("福祉センター・生きがいセンターとくら") == [
        "福祉センター生きがいセンターとくら", "福祉センター", "生きがいセンターとくら"]
    assert name_parts("西町プラザ(児童館を除く)")[0] == "西町プラザ"


def test_clean_address():
    assert clean_address("〒184-0004 東京都小金井市本町6－14－45") == "東京都小金井市本町6-14-45"
    assert clean_address("中町3丁目(番地の記載なし)") == "中町3丁目"
    assert clean_address("市内南町3丁目") == "南町3丁目"


@pytest.fixture(scope="module")
def geocoder():
    from app.importers.address import ChomeGeocoder

    return ChomeGeocoder(open_data("address/geolonia-api/ja"))


@pytest.mark.parametrize("address, city, town", [
    ("東京都国分寺市東恋ヶ窪6-9-11", "", "東恋ケ窪六丁目"),
    ("田無町五丁目5番12号", "西東京市", "田無町五丁目"),
    ("小金井市貫井北町１－１－１", "", "貫井北町一丁目"),
    ("中町3丁目(番地の記載なし)", "武蔵野市", "中町三丁目"),
])
def test_geocode_to_chome(geocoder, address, city, town):
    hit = geocoder.geocode(address, city)
    assert hit is not None and hit.town == town
    assert 35.6 < hit.lat < 35.8 and 139.4 < hit.lon < 139.65


def test_geocode_unknown_town(geocoder):
    assert geocoder.geocode("存在しない町1-1", "国分寺市") is None
    assert geocoder.geocode("", "国分寺市") is None


def test_geocoder_needs_data(tmp_path):
    from app.importers.address import ChomeGeocoder

    with pytest.raises(FileNotFoundError, match="OPEN_DATA_DIR"):
        ChomeGeocoder(tmp_path)
