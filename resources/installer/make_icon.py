"""Draw the app icon: a deep party-red rounded square with a white open ledger on a golden cover.

No emblem, no text: just a book, so it reads at 16 px in the task bar as well as at 256 px in the installer.
The committed outputs are resources/icons/app.ico (16-256 px, for the exe, the installer and the shortcuts),
resources/icons/app.png (256 px, for Qt's window icon) and the installer's two bitmaps, resources/installer/
side.bmp (164x314, welcome and finish pages) and header.bmp (150x57, the other pages; both kept out of the app
bundle), which carry the name
in Noto Sans SC Bold (run `make fonts` first). Run again only when the design changes:

    .venv/bin/python resources/installer/make_icon.py

Pillow is already in the venv (reportlab depends on it); nothing here runs in the app.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
ICONS = HERE.parent / "icons"
RED = (139, 0, 0)  # #8B0000, the app's accent colour (the middle of the square)
RED_TOP = (158, 12, 12)
RED_DARK = (120, 0, 0)
GOLD = (214, 170, 70)
GOLD_DARK = (170, 128, 40)
PAPER = (255, 252, 242)
RULE = (196, 140, 120)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
S = 1024  # drawing size; every size is a downscale of a drawing made for it


def _curve(x0: float, y0: float, x1: float, y1: float, sag: float, n: int = 48) -> list[tuple[float, float]]:
    """Points from (x0, y0) to (x1, y1) bowed down by `sag` in the middle (a page edge)."""
    pts = []
    for i in range(n + 1):
        t = i / n
        pts.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t + sag * math.sin(math.pi * t)))
    return pts


def draw(size: int) -> Image.Image:
    detail = size >= 48  # ruled lines only where they can be seen
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    margin = 24 if size >= 32 else 0
    radius = 190 if size >= 32 else 150
    # the red square, a shade darker towards the bottom so it is not flat
    mask = Image.new("L", (S, S), 0)
    ImageDraw.Draw(mask).rounded_rectangle((margin, margin, S - margin, S - margin), radius=radius, fill=255)
    ramp = Image.linear_gradient("L").resize((S, S))
    red = Image.merge(
        "RGB",
        [
            ramp.point(lambda v, a=a, b=b: round(a + (b - a) * v / 255))
            for a, b in zip(RED_TOP, RED_DARK, strict=True)
        ],
    )
    img.paste(red, (0, 0), mask)
    d = ImageDraw.Draw(img)

    cx = S / 2
    left, right = 150, S - 150
    top_outer, top_spine = 300, 350
    bot_outer, bot_spine = 700, 750
    thick = 40 if detail else 64  # golden cover showing under the pages
    # golden cover: the page outline pushed outwards and downwards
    cover = (
        _curve(left - 30, top_outer + 40, cx, top_spine + 60, 0)
        + _curve(cx, top_spine + 60, right + 30, top_outer + 40, 0)
        + [(right + 30, bot_outer + thick)]
        + _curve(right + 30, bot_outer + thick, cx, bot_spine + thick + 20, 0)
        + _curve(cx, bot_spine + thick + 20, left - 30, bot_outer + thick, 0)
    )
    d.polygon(cover, fill=GOLD)
    for sign in (-1, 1):
        outer = cx + sign * (cx - left)
        page = _curve(outer, top_outer, cx, top_spine, 18) + _curve(cx, bot_spine, outer, bot_outer, -18)
        d.polygon(page, fill=PAPER)
        if detail:
            for k in range(1, 6):
                f = k / 6
                y_outer = top_outer + (bot_outer - top_outer) * f
                y_spine = top_spine + (bot_spine - top_spine) * f
                inset = 60
                x_out = outer - sign * inset
                x_in = cx + sign * 40
                y_out = y_outer + (y_spine - y_outer) * (inset / (cx - left))
                y_in = y_spine - (y_spine - y_outer) * (40 / (cx - left))
                d.line(_curve(x_out, y_out, x_in, y_in, 10, 24), fill=RULE, width=12, joint="curve")
    # the spine
    d.line([(cx, top_spine - 4), (cx, bot_spine + thick + 16)], fill=GOLD_DARK, width=14 if detail else 28)
    # a golden bookmark ribbon hanging from the top of the right page
    rx = cx + 150
    ribbon = [(rx - 36, top_spine - 30), (rx + 36, top_spine - 36), (rx + 36, 560), (rx, 520), (rx - 36, 560)]
    d.polygon(ribbon, fill=GOLD)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def _font(size: int) -> ImageFont.FreeTypeFont:
    bold = ICONS.parent / "fonts" / "NotoSansSC-Bold.ttf"
    if not bold.exists():
        raise SystemExit(f"{bold} is missing: run `make fonts` first")
    return ImageFont.truetype(str(bold), size)


def installer_side() -> Image.Image:
    """The welcome/finish page panel: the red of the icon, the icon, the name, a thin golden rule."""
    w, h = 164, 314
    ramp = Image.linear_gradient("L").resize((w, h))
    img = Image.merge(
        "RGB",
        [
            ramp.point(lambda v, a=a, b=b: round(a + (b - a) * v / 255))
            for a, b in zip(RED_TOP, RED_DARK, strict=True)
        ],
    )
    icon = draw(96)
    img.paste(icon, ((w - 96) // 2, 56), icon)
    d = ImageDraw.Draw(img)
    font = _font(24)
    text = "支部台账"
    tw = d.textlength(text, font=font)
    d.text(((w - tw) / 2, 168), text, font=font, fill=(255, 255, 255))
    d.line([(40, 212), (w - 40, 212)], fill=GOLD, width=2)
    return img


def installer_header() -> Image.Image:
    """The inner pages' header image (top right, on white): the icon and the name."""
    w, h = 150, 57
    img = Image.new("RGB", (w, h), (255, 255, 255))
    icon = draw(40)
    img.paste(icon, (w - 40 - 8, (h - 40) // 2), icon)
    d = ImageDraw.Draw(img)
    font = _font(17)
    text = "支部台账"
    tw = d.textlength(text, font=font)
    d.text((w - 40 - 16 - tw, (h - 24) / 2), text, font=font, fill=RED)
    return img


def main() -> int:
    ICONS.mkdir(parents=True, exist_ok=True)
    images = {n: draw(n) for n in ICO_SIZES}
    images[256].save(ICONS / "app.png", optimize=True)
    largest = images[256]
    largest.save(
        ICONS / "app.ico",
        sizes=[(n, n) for n in ICO_SIZES],
        append_images=[images[n] for n in ICO_SIZES if n != 256],
    )
    installer_side().save(HERE / "side.bmp")
    installer_header().save(HERE / "header.bmp")
    for p in (
        ICONS / "app.png",
        ICONS / "app.ico",
        HERE / "side.bmp",
        HERE / "header.bmp",
    ):
        print(f"{p} {p.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
