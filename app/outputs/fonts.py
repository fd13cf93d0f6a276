"""Matplotlib for reports and paper: no display, and fonts that have kana and kanji."""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def japanese_fonts() -> list[str]:
    """Installed fonts that have kana and kanji (Debian's fonts-noto-cjk), then the default."""
    from matplotlib import font_manager  # deferred: see ``pyplot``

    installed = {f.name for f in font_manager.fontManager.ttflist}
    wanted = ["Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic"]
    return [name for name in wanted if name in installed] + ["DejaVu Sans"]


def figure_svg(fig) -> str:
    """A figure as an inline ``<svg>`` element (for pages), closing the figure."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    pyplot().close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend with Japanese fonts.

    Deferred to first use: importing pyplot costs about half a second and tens of MB, which
    every web worker would otherwise pay at start although few requests draw anything.
    """
    import matplotlib  # deferred: see above

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # deferred: see above

    plt.rcParams["font.family"] = japanese_fonts()
    return plt


def draw_qr(figure, url: str, rect: tuple[float, float, float, float]) -> None:
    """A QR code of ``url`` in black and white on ``figure`` at ``rect`` (figure fractions).

    ``qrcode`` is deferred like pyplot: only paper draws QR codes, not the web workers' requests.
    """
    import qrcode  # deferred: see above

    image = qrcode.make(url, box_size=4, border=2).convert("L")
    ax = figure.add_axes(rect)
    ax.imshow(np.asarray(image), cmap="gray", interpolation="nearest")
    ax.set_axis_off()
