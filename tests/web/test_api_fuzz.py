"""Arbitrary query strings never make the API fail with a 500."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ENDPOINTS = ["/api/v1/resources", "/api/v1/areas", "/api/v1/areas/at", "/api/v1/nearest",
             "/api/v1/layers"]
NAMES = ["kind", "bbox", "city", "q", "hazard", "limit", "offset", "lat", "lon", "n", "pace",
         "provenance", "placed"]
VALUES = st.one_of(
    st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
    st.lists(st.floats(min_value=-200, max_value=200).map(str), min_size=3, max_size=5).map(",".join),
    st.sampled_from(["shelter", "salon,shelter", "vacant_house", "salon,vacant_house", "flood", "13214",
                     "official", "139.4377,35.7099"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(ENDPOINTS), query=st.dictionaries(st.sampled_from(NAMES), VALUES))
def test_no_server_errors(demo_client, endpoint, query):
    response = demo_client.get(f"{endpoint}?{urlencode(query)}")
    assert response.status_code in (200, 400), (endpoint, query, response.get_data(as_text=True))
    body = response.get_json()
    if response.status_code == 400:
        assert body["error"] and body["parameter"] in NAMES
    for feature in body.get("features", []):
        assert feature["properties"].get("kind") != "vacant_house"
