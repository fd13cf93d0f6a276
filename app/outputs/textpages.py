"""Pages of large text for paper (the household card, the 地区カルテ): black and white, a QR code.

Headings and lines are wrapped to the paper and flow onto further pages; every page carries
the QR code of the live page, so a sheet found on a notice board leads back to current data.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

from app.outputs.fonts import draw_qr, pyplot

PAPER = {"A4": (8.27, 11.69), "A5": (5.83, 8.27)}
STEP = {"title": 1.4, "heading": 1.15, "text": 1.0}  # line heights, in lines
LEADING = 1.3  # a line's height, in em: room to read, and one A4 card
# (points less, leading) tried in turn when a text must fit its pages: a little closer, then 1 pt less.
FITS = ((0, 1.2), (1, 1.2), (1, 1.12))
TOP, BOTTOM, SIDE = 0.45, 0.35, 0.45  # margins, inches
QR_SIDE, QR_MARGIN = 1.0, 0.35  # the QR code at the top right of each page
# A full-width character is one em; Latin letters, digits and spaces of the Japanese font about half.
NARROW_EM = 0.52
# Characters that never begin a line (禁則): they stay with the line before.
NO_LINE_START = "、。，．・：；？！）」』】ー…ぁぃぅぇぉっゃゅょァィゥェォッャュョ"
STAMP = {"ja": "作成日 {date:%Y年%m月%d日}　最新の情報: 右上のQRコード",
         "en": "Made {date:%Y-%m-%d}. The latest: the QR code, top right",
         "ja-easy": "つくった 日 {date:%Y年%m月%d日}　あたらしい 情報: 右上の QRコード"}


def em_width(text: str) -> float:
    """How wide ``text`` sets, in em: full-width characters one each, the rest narrower."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else NARROW_EM for c in text)


def first_line(text: str, ems: float) -> tuple[str, str]:
    """The first line of ``text`` no wider than ``ems``, and the rest.

    Latin words are kept whole; Japanese breaks between any two characters but 禁則 (a line never
    starts with 、 or 。).
    """
    pieces = re.findall(r"[!-~]+| +|[^ -~]", text)  # a Latin word, spaces, or one other character
    line = ""
    # One em is kept back: 、。）」 that may not start a line hang into it instead (two at most, into
    # the margin).
    for number, piece in enumerate(pieces):
        hangs = len(piece) == 1 and piece in NO_LINE_START
        if em_width(line + piece) > ems - 1 and line.strip() and not hangs:
            return line.rstrip(), "".join(pieces[number:]).lstrip()
        line += piece
    return line.rstrip(), ""



def text_pdf(title: str, sections: list[tuple[str, list[str]]], paper: str, qr_url: str,
             points: float = 13, today: date | None = None, page_per_section: bool = False,
             figures=(), lang: str = "ja", inset=None, size: tuple[float, float] | None = None,
             fit_pages: int | None = None) -> bytes:
    """``sections`` (heading, lines) under ``title`` as PDF pages at ``points`` pt.

    ``page_per_section`` starts each section after the first on a new page (a sheet per person);
    ``figures`` (matplotlib figures, such as a map) come first, a page each. The QR code sits at
    the top right of every page and the first lines run beside it, so no band of paper is lost.
    ``inset`` (draw(figure, rect), width, height, smallest height; inches) is drawn under the text
    of the last page, shrunk to the room left down to its smallest; it never adds a page.
    ``fit_pages``: a few lines over that many pages are drawn closer (``FITS``), never under 12 pt.
    """
    from matplotlib.backends.backend_pdf import PdfPages  # deferred with pyplot (outputs.fonts)

    width, height = size or PAPER[paper]  # ``size``: inches, for a paper the cards do not offer (A3)
    # When it was made, beside the QR code that leads to what is true now.
    items = [("title", title), ("text", STAMP.get(lang, STAMP["ja"]).format(date=today or date.today()))]
    for number, (heading, body) in enumerate(sections):
        if page_per_section and number:
            items.append(("break", ""))
        items += [("heading", heading), *(("text", line) for line in body)]
    plt = pyplot()
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title}) as pdf:
        for figure in figures:
            pdf.savefig(figure)
            plt.close(figure)
        pages, points, leading = _fitted(items, width, height, points, fit_pages)
        for number, page in enumerate(pages):
            figure = plt.figure(figsize=(width, height))
            below = _write(figure, page, height, points, leading)
            _qr(figure, qr_url, width, height)
            if inset is not None and number == len(pages) - 1:
                _place_inset(figure, inset, below)
            pdf.savefig(figure)
            plt.close(figure)

    return buffer.getvalue()


def _size(style: str, points: float) -> float:
    return {"title": points + 7, "heading": points + 1}.get(style, points)


def _fitted(items, width: float, height: float, points: float, fit_pages: int | None):
    """(pages, points, leading): the first of ``FITS`` that sets the text in ``fit_pages`` pages."""
    tries = [(0, LEADING)] + ([fit for fit in FITS if points - fit[0] >= 12] if fit_pages else [])
    for less, leading in tries:
        pages = _layout(items, width, height, points - less, leading)
        if not fit_pages or len(pages) <= fit_pages:
            return pages, points - less, leading
    return _layout(items, width, height, points, LEADING), points, LEADING  # as set: more pages


def _layout(items, width: float, height: float, points: float,
            leading: float = LEADING) -> list[list[tuple[str, str]]]:
    """Paragraphs set into pages of lines: narrower beside the QR code, a new page when one is full."""
    line_height = points * leading / 72  # inches
    pages, page, used = [], [], 0.0
    for style, text in items:
        if style == "break":
            pages.append(page)
            page, used = [], 0.0
            continue
        rest = text
        while True:
            step = line_height * STEP[style]
            if used + step > height - TOP - BOTTOM and page:
                pages.append(page)
                page, used = [], 0.0
            beside_qr = TOP + used < QR_MARGIN + QR_SIDE + 0.1
            room = width - 2 * SIDE - (QR_SIDE + 0.2 if beside_qr else 0)  # inches of text
            line, rest = first_line(rest, room * 72 / _size(style, points))
            page.append((style, line))
            used += step
            if not rest:
                break
    if page:
        pages.append(page)
    return pages


def _write(figure, lines, height, points, leading: float = LEADING) -> float:
    """Set the page's lines; the height (inches from the bottom) where the text ends."""
    y = height - TOP
    line_height = points * leading / 72
    for style, text in lines:
        figure.text(SIDE / figure.get_figwidth(), y / height, text, fontsize=_size(style, points),
                    weight="bold" if style != "text" else "normal", va="top")
        y -= line_height * STEP[style]
    return y


def _place_inset(figure, inset, below: float) -> None:
    """Draw ``inset`` under the text, left-aligned, as large as the room left allows up to its size.

    ``inset`` is (draw, width, height, smallest height) in inches; below the smallest it is left out.
    """
    draw, side_w, side_h, smallest = inset
    room = below - BOTTOM - 0.1
    if room < smallest:
        return
    scale = min(1.0, room / side_h)
    width, height = figure.get_size_inches()
    draw(figure, (SIDE / width, (below - 0.1 - side_h * scale) / height, side_w * scale / width,
                  side_h * scale / height))


def _qr(figure, url: str, width: float, height: float) -> None:
    draw_qr(figure, url, ((width - QR_SIDE - QR_MARGIN) / width, (height - QR_SIDE - QR_MARGIN) / height,
                          QR_SIDE / width, QR_SIDE / height))
