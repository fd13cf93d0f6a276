"""The planner's page, one question at a time: its title, its conditions and the answer it asks for.

A salon's coverage, a shelter's reach and a shelter's room are three questions with their own
words and limits; one page that kept the salon's title and buttons in shelter mode was read wrong.
"""

from __future__ import annotations

from flask import url_for

from app.domain.demand import MEASURE_FOR_TARGET
from app.domain.kinds import AREA_KINDS, HAZARDS
from app.domain.targets import TARGET_GROUPS
from app.outputs.symbology import browser_symbology
from app.services import stored
from app.web.i18n import base_language, plain_strings

# question → (the analysis API it asks, the places it is about, the people it counts)
QUESTIONS = {
    "salons": ("coverage", ("salon", "hub"), None),
    "shelters": ("reach", ("shelter", "emergency_site"), None),
    # A capacity is for everyone who may come: it is held against the whole population.
    "capacity": ("reach", ("shelter",), "total"),
}
# The reach layers a planner may draw, as the reach answer names them.
REACH_LAYERS = ("shelter", "welfare_shelter", "emergency_site")


def page_config(lang: str, city_code: str, question: str, kinds: list[dict], areas: list[dict]) -> dict:
    """What the analysis script and template need for ``question`` in ``lang``."""
    japanese = base_language(lang) == "ja"
    api, places, measure = QUESTIONS[question]
    return {"lang": lang, "strings": plain_strings(lang), "city": city_code, "question": question,
            "analysis": api, "measure": measure, "cities": stored.city_names(),
            "kinds": kinds, "places": [k for k in kinds if k["id"] in places],
            "symbology": browser_symbology(),
            "areaKinds": [{"id": k, "label": v.label_ja if japanese else v.label_en}
                          for k, v in AREA_KINDS.items()
                          if k != "sediment_hazard" and any(a["kind"] == k for a in areas)],
            # Whom the places and the people counted are for: 高齢者 counts people aged 65+ and
            # the places for them (or for everyone), never a nursery; for shelters it picks
            # the 福祉避難所 that are for them.
            "targets": [{"id": k, "label": TARGET_GROUPS[k][0 if japanese else 1]}
                        for k in MEASURE_FOR_TARGET if k != "everyone"],
            "hazards": [{"id": k, "label": v[1] if japanese else v[2]} for k, v in HAZARDS.items()],
            "reachLayers": list(REACH_LAYERS),
            "api": {"coverage": url_for("analysis_api.coverage"), "reach": url_for("analysis_api.reach"),
                    "suggest": url_for("analysis_api.suggest"),
                    "areas": url_for("api.areas"), "resources": url_for("api.resources")}}


def question_links(lang: str, city_code: str) -> list[dict]:
    """The three questions as links that keep the city and the language."""
    words = plain_strings(lang)
    return [{"id": q, "label": words[f"question_{q}"],
             "href": url_for("pages.analysis", question=q, city=city_code, lang=lang)} for q in QUESTIONS]
