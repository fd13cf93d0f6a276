"""A layer's id has one spelling; old permalinks' spelling still names the same layer."""

from __future__ import annotations

import pytest

from app.domain.layers import PUBLIC_KINDS, LayerRef, is_public, kinds_for, layer_ref


@pytest.mark.parametrize(("text", "expected"), [
    ("shelter", LayerRef("shelter")),
    ("school_district-official", LayerRef("school_district", "official")),
    ("school_district:approximate", LayerRef("school_district", "approximate")),  # an old permalink
    ("middle_school_district-derived", LayerRef("middle_school_district", "derived")),
    ("school_district-invented", None), ("nursery", None), ("", None), ("-official", None),
])
def test_a_layer_is_named_one_way(text, expected):
    assert layer_ref(text) == expected
    if expected is not None:
        assert layer_ref(expected.id) == expected and ":" not in expected.id


def test_who_may_read_which_kind():
    assert LayerRef("city", "official").id == "city-official" and LayerRef("salon").id == "salon"
    assert not is_public("vacant_house") and is_public("salon") and not is_public("no_such_kind")
    assert "vacant_house" not in PUBLIC_KINDS and "vacant_house" not in kinds_for(())
    assert "vacant_house" in kinds_for(("13214",))
