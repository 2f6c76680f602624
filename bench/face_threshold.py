"""Choose the face-match threshold from measured distances on real face photos.

    python bench/face_threshold.py

Photos: bench/face_photos.py (Obama ×5 and Biden from the `face_recognition` sdist, Tom Hanks and six faces of a
group photo from the `insightface` wheel). Pairs:

- same person, real: the Obama photos with each other (10 pairs);
- same person, augmented: each person's first photo against altered copies of it (mirror, darker, brighter,
  JPEG quality 20, shrunk to 40 % and back, tighter crop, turned 10°) — a stand-in for the several selfies of one
  employee that no package ships; it measures robustness to capture conditions, not ageing or make-up;
- different persons: every photo of one person against every photo of another (real photos only).

Prints the distance table per kind of pair, the false-accept/false-reject rates per threshold, and the chosen
threshold: the middle of the gap between the largest same-person and the smallest different-person distance.
"""

from __future__ import annotations

import io
import itertools
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from face_photos import photos  # noqa: E402
from PIL import Image, ImageEnhance, ImageOps  # noqa: E402

from hadir.integrity.face import analyse, distance  # noqa: E402


def _jpeg(image: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def variants(data: bytes) -> list[tuple[str, bytes]]:
    img = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = img.size
    small = img.resize((max(1, int(w * 0.4)), max(1, int(h * 0.4))))
    return [
        ("mirror", _jpeg(ImageOps.mirror(img))),
        ("darker", _jpeg(ImageEnhance.Brightness(img).enhance(0.55))),
        ("brighter", _jpeg(ImageEnhance.Brightness(img).enhance(1.4))),
        ("jpeg q20", _jpeg(img, 20)),
        ("shrunk 40%", _jpeg(small.resize((w, h)))),
        ("crop", _jpeg(img.crop((int(w * 0.08), int(h * 0.08), int(w * 0.92), int(h * 0.92))))),
        ("turned 10°", _jpeg(img.rotate(10, expand=False, fillcolor=(128, 128, 128)))),
    ]


def describe(values: list[float]) -> str:
    if not values:
        return "—"
    q = statistics.quantiles(values, n=20, method="inclusive") if len(values) > 1 else values * 19
    return (f"{len(values):4d} pairs  min {min(values):.3f}  p5 {q[0]:.3f}  median {statistics.median(values):.3f}"
            f"  p95 {q[-1]:.3f}  max {max(values):.3f}")


def main() -> None:
    people = photos()
    embeddings: dict[str, list[tuple[str, list[float]]]] = {}
    augmented: list[float] = []
    skipped = []
    for person, shots in people.items():
        for name, data in shots:
            result = analyse(data)
            if result.embedding is None:
                skipped.append(f"{name}: {result.faces} faces")
                continue
            embeddings.setdefault(person, []).append((name, result.embedding))
        if person not in embeddings:
            continue
        base = embeddings[person][0][1]
        for label, data in variants(shots[0][1]):
            result = analyse(data)
            if result.embedding is None:
                skipped.append(f"{person} {label}: {result.faces} faces")
                continue
            augmented.append(distance(base, result.embedding))
    same_real = [distance(a[1], b[1]) for shots in embeddings.values() for a, b in itertools.combinations(shots, 2)]
    different = [distance(a[1], b[1]) for p, q in itertools.combinations(embeddings, 2)
                 for a in embeddings[p] for b in embeddings[q]]
    same = same_real + augmented

    print(f"photos: {sum(len(v) for v in embeddings.values())} of {len(embeddings)} persons"
          + (f"; skipped: {', '.join(skipped)}" if skipped else ""))
    print(f"same person, real        {describe(same_real)}")
    print(f"same person, augmented   {describe(augmented)}")
    print(f"different persons        {describe(different)}")
    print()
    print("threshold  false accept (different ≤ t)  false reject (same > t)")
    for t in [x / 100 for x in range(35, 80, 5)]:
        fa = sum(d <= t for d in different)
        fr = sum(d > t for d in same)
        print(f"  {t:.2f}     {fa:3d}/{len(different)} ({fa / len(different):6.1%})"
              f"           {fr:3d}/{len(same)} ({fr / len(same):6.1%})")
    gap_low, gap_high = max(same), min(different)
    chosen = round((gap_low + gap_high) / 2, 2)
    print()
    print(f"gap between same ({gap_low:.3f}) and different ({gap_high:.3f}): chosen threshold {chosen:.2f}")


if __name__ == "__main__":
    main()
