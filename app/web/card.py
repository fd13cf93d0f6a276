"""``/card``: a household's 防災・福祉カード for a typed address or a point, as a page or a PDF."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup

from app.domain.said import Said, in_language
from app.domain.walking import DEFAULT_PACE
from app.outputs.card import PAPER, card_pdf, card_sections, card_title, map_link
from app.outputs.card_map import card_map_svg
from app.services.card import CardError, household_card, locate_town, surroundings, town_at
from app.web import params
from app.web.i18n import pick_language, refusal, strings
from app.web.params import BadParameter

bp = Blueprint("card", __name__)


def _point(args) -> tuple[float, float, str, str]:
    address = params.text(args, "address")
    if address:
        return locate_town(address)
    if not (args.get("lat") and args.get("lon")):
        raise CardError(Said("card_no_address"))
    lon = params.required_number(args, "lon", lo=122, hi=154)
    lat = params.required_number(args, "lat", lo=20, hi=46)
    return (lon, lat, *town_at(lon, lat))


@bp.get("/card")
def card():
    """The card: ``address`` or ``lat``/``lon``; ``pace`` m/min; ``format`` html|pdf; ``paper`` A4|A5."""
    args = request.args
    lang = pick_language(args.get("lang"))
    try:
        lon, lat, place, town = _point(args)
        pace = params.walking(args, "pace", default=DEFAULT_PACE)
        fmt = params.choice(args, "format", ("html", "pdf")) or "html"
        paper = params.choice(args, "paper", tuple(PAPER)) or "A4"
        found = household_card(lon, lat, place, pace, town)
    except (BadParameter, CardError) as exc:
        # A card's own refusal is said in the page's language; a parameter's names the parameter.
        message = in_language(exc.args[0], lang) if isinstance(exc, CardError) else refusal(exc, lang)
        return render_template("error.html", lang=lang, t=strings(lang), message=message), 400
    link = map_link(current_app.config["PUBLIC_URL"], lon, lat)
    context, credits = surroundings(found)
    if fmt == "pdf":
        body = card_pdf(found, paper, link, lang=lang, context=context)
        return current_app.response_class(body, mimetype="application/pdf", headers={
            "Content-Disposition": 'inline; filename="fureai_card.pdf"'})
    return render_template("card.html", lang=lang, t=strings(lang), sections=card_sections(found, lang),
                           title=card_title(lang), map_url=link, args=args.to_dict(),
                           map_svg=Markup(card_map_svg(found, context, lang)), map_credits=credits)
