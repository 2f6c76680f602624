"""The real face photos the face-match benchmarks measure on, taken from two packages on the package index (the
ordinary `pip download`, no other download):

- `face_recognition` 1.3.0 (MIT; its sdist's tests/test_images): five photos of Barack Obama (official portraits
  and press photos, two of them cropped to part of the face), one of Joe Biden. `32bit.png` is obama2.jpg again
  as RGBA and is left out;
- `insightface` 2.1 (MIT code; data/images): `Tom_Hanks_54745.png` (a 112×112 aligned face) and `t1.jpg`, a group
  photo of six people, cut here into one photo per face.

`photos()` returns {identity: [(name, jpeg/png bytes), ...]}.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from PIL import Image

CACHE = Path(tempfile.gettempdir()) / "hadir-face-photos"
OBAMA = ["obama.jpg", "obama2.jpg", "obama3.jpg", "obama_partial_face.jpg", "obama_partial_face2.jpg"]


def _download(spec: str, binary: bool) -> Path:
    folder = CACHE / spec.replace("=", "")
    if not any(folder.glob("*")):
        folder.mkdir(parents=True, exist_ok=True)
        args = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), spec]
        args += ["--only-binary", ":all:"] if binary else ["--no-binary", ":all:"]
        subprocess.run(args, check=True)
    return next(folder.glob("*"))


def photos() -> dict[str, list[tuple[str, bytes]]]:
    sdist = _download("face_recognition==1.3.0", binary=False)
    wheel = _download("insightface==2.1", binary=True)
    out: dict[str, list[tuple[str, bytes]]] = {"obama": [], "biden": []}
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if "/tests/test_images/" not in member.name or not (name in OBAMA or name == "biden.jpg"):
                continue
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            out["biden" if name == "biden.jpg" else "obama"].append((name, data))
    with zipfile.ZipFile(wheel) as zf:
        out["hanks"] = [("Tom_Hanks_54745.png", zf.read("insightface/data/images/Tom_Hanks_54745.png"))]
        group = zf.read("insightface/data/images/t1.jpg")
    out.update(_group_faces(group))
    return out


def _group_faces(data: bytes) -> dict[str, list[tuple[str, bytes]]]:
    """One photo per face of the group photo: the face box found at full size, widened 2.5×."""
    import numpy as np

    from hadir.integrity.face import models

    image = Image.open(io.BytesIO(data)).convert("RGB")
    boxes = models().detector(np.asarray(image), 0)
    out = {}
    for i, box in enumerate(sorted(boxes, key=lambda b: b.left()), start=1):
        cx, cy, half = box.center().x, box.center().y, int(box.width() * 1.25)
        crop = image.crop((max(0, cx - half), max(0, cy - half), cx + half, cy + half))
        buf = io.BytesIO()
        crop.save(buf, "JPEG", quality=92)
        out[f"group{i}"] = [(f"t1.jpg face {i}", buf.getvalue())]
    return out
