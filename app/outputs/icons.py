"""The installed map's icon: drawn here (a pin on the site's green), so no image file is shipped."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw

GREEN = "#1b5e20"
SIZES = (192, 512)


@lru_cache(maxsize=len(SIZES))
def app_icon_png(size: int) -> bytes:
    """A square PNG icon of ``size`` pixels; the pin sits in the safe zone of a maskable icon."""
    if size not in SIZES:
        raise ValueError(f"icons are {' and '.join(map(str, SIZES))} pixels")
    scale = size / 192
    image = Image.new("RGBA", (size, size), GREEN)
    draw = ImageDraw.Draw(image)
    cx, top, r = size / 2, 52 * scale, 34 * scale
    draw.ellipse((cx - r, top, cx + r, top + 2 * r), fill="white")
    draw.polygon([(cx - r * 0.82, top + r * 1.5), (cx + r * 0.82, top + r * 1.5), (cx, top + r * 2.9)],
                 fill="white")
    hole = r * 0.42
    draw.ellipse((cx - hole, top + r - hole, cx + hole, top + r + hole), fill=GREEN)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
