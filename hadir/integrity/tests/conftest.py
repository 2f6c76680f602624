"""Real face photos (tests/data/README.md) and images built from them; the check-in API clients of the presence
tests, for playing check-ins through the public API."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from hadir.presence.tests.conftest import api_for  # noqa: F401  (a fixture)

DATA = Path(__file__).parent / "data"


def photo(name: str) -> bytes:
    return (DATA / name).read_bytes()


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def blank() -> bytes:
    """A grey wall: no face."""
    return jpeg(Image.new("RGB", (640, 480), (180, 180, 170)))


def two_faces() -> bytes:
    """Obama and Biden side by side on one photo."""
    left, right = Image.open(DATA / "obama.jpg"), Image.open(DATA / "biden.jpg")
    canvas = Image.new("RGB", (left.width + right.width + 40, max(left.height, right.height)), (230, 230, 230))
    canvas.paste(left, (0, 0))
    canvas.paste(right, (left.width + 40, 0))
    return jpeg(canvas)


def phone_selfie(name: str = "obama3.jpg", size: tuple[int, int] = (960, 1280)) -> bytes:
    """A photo blown up to a phone camera's size (portrait 960×1280), rotated by EXIF like phones send them."""
    img = Image.open(DATA / name).convert("RGB").resize(size).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to show upright
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, exif=exif)
    return buf.getvalue()
