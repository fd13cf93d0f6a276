"""Pages of large text for paper (the household card, the 地区カルテ): black and white, a QR code.

Headings and lines are wrapped to the paper and flow onto further pages; every page carries
the QR code of the live page, so a sheet found on a notice board leads back to current data.
"""

from __future__ import annotations

import io
import textwrap
from datetime import date

from app.outputs.fonts import draw_qr, pyplot

PAPER = {"A4": (8.27, 11.69), "A5": (5.83, 8.27)}
STEP = {"title": 1.5, "heading": 1.15, "text": 1.0}  # line heights, in lines


def text_pdf(title: str, sections: list[tuple[str, list[str]]], paper: str, qr_url: str,
             points: float = 13, today: date | None = None, page_per_section: bool = False,
             figures=()) -> bytes:
    """``sections`` (heading, lines) under ``title`` as PDF pages at ``points`` pt.

    ``page_per_section`` starts each section after the first on a new page (a sheet per person);
    ``figures`` (matplotlib figures, such as a map) come first, a page each.
    """
    from matplotlib.backends.backend_pdf import PdfPages  # deferred with pyplot (outputs.fonts)

    width, height = PAPER[paper]
    chars = int((width - 1.1) * 72 / (points * 0.85))  # characters per line (digits are narrower)
    lines = [("title", title)]
    for number, (heading, body) in enumerate(sections):
        if page_per_section and number:
            lines.append(("break", ""))
        lines.append(("heading", heading))
        lines += [("text", part) for line in body for part in textwrap.wrap(line, chars)]
    lines.append(("text", f"作成日 {(today or date.today()):%Y年%m月%d日}　最新の情報: 右下のQRコード"))
    plt = pyplot()
    buffer = io.BytesIO()
    line_height = points * 1.55 / 72  # inches
    with PdfPages(buffer, metadata={"Title": title}) as pdf:
        for figure in figures:
            pdf.savefig(figure)
            plt.close(figure)
        for page in _pages(lines, height - 0.6 - 1.7, line_height):  # 1.7 in at the foot for the QR code
            figure = plt.figure(figsize=(width, height))
            _write(figure, page, height, points, line_height)
            _qr(figure, qr_url, width, height)
            pdf.savefig(figure)
            plt.close(figure)
    return buffer.getvalue()


def _pages(lines: list[tuple[str, str]], room: float, line_height: float) -> list[list[tuple[str, str]]]:
    """Lines split into pages of at most ``room`` inches of text each."""
    pages, used = [[]], 0.0
    for line in lines:
        if line[0] == "break":
            pages.append([])
            used = 0.0
            continue
        step = line_height * STEP[line[0]]
        if used + step > room and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(line)
        used += step
    return pages


def _write(figure, lines, height, points, line_height) -> None:
    y = height - 0.6
    for style, text in lines:
        size = {"title": points + 7, "heading": points + 1}.get(style, points)
        figure.text(0.55 / figure.get_figwidth(), y / height, text, fontsize=size,
                    weight="bold" if style != "text" else "normal", va="top")
        y -= line_height * STEP[style]


def _qr(figure, url: str, width: float, height: float) -> None:
    side = 1.1  # inches
    draw_qr(figure, url, ((width - side - 0.4) / width, 0.3 / height, side / width, side / height))
