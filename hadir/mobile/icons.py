"""App icons drawn with Pillow: a blue tile with a white map pin holding a check mark.

Run `hadir mobile_icons` to regenerate hadir/mobile/static/mobile/icons/*.png (they are committed).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICON_DIR = Path(__file__).parent / "static" / "mobile" / "icons"
BLUE = (11, 94, 215, 255)
WHITE = (255, 255, 255, 255)
GREEN = (25, 135, 84, 255)


def draw_icon(size: int, *, maskable: bool = False) -> Image.Image:
    scale = 4  # draw large, then downsample for smooth edges
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if maskable:
        d.rectangle([0, 0, s, s], fill=BLUE)  # full bleed; launchers crop to their own shape
        inset = s * 0.2  # keep the pin inside the 80 % safe zone
    else:
        d.rounded_rectangle([0, 0, s - 1, s - 1], radius=int(s * 0.22), fill=BLUE)
        inset = s * 0.14
    box = s - 2 * inset
    cx = s / 2
    r = box * 0.30
    cy = inset + box * 0.38
    # map pin: a circle on top of a triangle pointing down
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=WHITE)
    d.polygon([(cx - r * 0.86, cy + r * 0.5), (cx + r * 0.86, cy + r * 0.5), (cx, inset + box * 0.95)], fill=WHITE)
    # check mark inside the pin
    w = max(2, int(r * 0.22))
    pts = [(cx - r * 0.45, cy + r * 0.02), (cx - r * 0.1, cy + r * 0.38), (cx + r * 0.5, cy - r * 0.35)]
    d.line(pts, fill=GREEN, width=w, joint="curve")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(directory: Path = ICON_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = {
        "icon-192.png": draw_icon(192),
        "icon-512.png": draw_icon(512),
        "icon-maskable-512.png": draw_icon(512, maskable=True),
        "apple-touch-icon.png": draw_icon(180, maskable=True),
        "favicon-32.png": draw_icon(32),
    }
    paths = []
    for name, image in out.items():
        path = directory / name
        image.save(path, optimize=True)
        paths.append(path)
    return paths
