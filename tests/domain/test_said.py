"""The keyed sentences of an answer: English by default, the page's language on demand, copyable."""

from __future__ import annotations

import copy
import json
import pickle

from app.domain.said import Said, in_language


def test_a_sentence_reads_in_each_language_and_survives_a_copy():
    said = Said("subgroup", n=8, sub_group="older_living_alone", group="older", sub="older_living_alone")
    assert said.startswith("8 places are for older people living alone only")
    assert "ひとり暮らしの高齢者" in in_language(said, "ja") and "けん" in in_language(said, "ja-easy")
    for again in (pickle.loads(pickle.dumps(said)), copy.deepcopy(said)):
        assert again == said and in_language(again, "ja") == in_language(said, "ja")
    assert json.loads(json.dumps([said])) == [str(said)]
    assert in_language("a plain sentence", "ja") == "a plain sentence"
