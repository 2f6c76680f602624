"""Face match speed: selfies per second per core for what the verification task does with one selfie — decode,
downscale, detect once, embed once, compare with the enrolled embedding.

    python bench/face_speed.py [--seconds 10] [--side 400]

Selfies: real face photos (hadir/integrity/tests/data) blown up to a phone camera's 1280×960 and saved as JPEG
quality 85 (~100–200 kB, what a phone sends). One process, one thread: the figure is per core (the task is
single-threaded; run one Celery worker process per core). Prints the time of each step as well.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from hadir.integrity import face  # noqa: E402

DATA = ROOT / "hadir" / "integrity" / "tests" / "data"


def selfies() -> list[bytes]:
    out = []
    for name in ("obama.jpg", "obama3.jpg", "biden.jpg"):
        img = Image.open(DATA / name).convert("RGB").resize((960, 1280))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        out.append(buf.getvalue())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--side", type=int, default=face.MAX_SIDE, help="longest side the detector sees")
    args = parser.parse_args()
    photos = selfies()
    enrolled = face.analyse(photos[0]).embedding
    assert enrolled is not None
    m = face.models()
    steps: dict[str, list[float]] = {"decode+downscale": [], "detect": [], "landmarks": [], "embed": []}
    done, cpu0, wall0 = 0, time.process_time(), time.perf_counter()
    while time.perf_counter() - wall0 < args.seconds:
        data = photos[done % len(photos)]
        t0 = time.process_time()
        pixels = face.load_pixels(data, args.side)
        t1 = time.process_time()
        boxes = m.detector(pixels, 0)
        t2 = time.process_time()
        shape = m.shape_predictor(pixels, boxes[0])
        t3 = time.process_time()
        embedding = list(m.encoder.compute_face_descriptor(pixels, shape))
        face.distance(embedding, enrolled)
        t4 = time.process_time()
        for key, value in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            value_ms = value * 1000
            steps[key].append(value_ms)
        done += 1
    cpu = time.process_time() - cpu0
    print(f"{done} selfies of {min(len(p) for p in photos) // 1024}–{max(len(p) for p in photos) // 1024} kB (1280×960 JPEG), "
          f"detector at {args.side} px")
    for key, values in steps.items():
        print(f"  {key:17} median {statistics.median(values):6.1f} ms CPU")
    print(f"{done / cpu:.1f} selfies/s per core (CPU time {cpu:.1f} s; dlib BLAS: {face.dlib.DLIB_USE_BLAS}, "
          f"AVX: {face.dlib.USE_AVX_INSTRUCTIONS})")


if __name__ == "__main__":
    main()
