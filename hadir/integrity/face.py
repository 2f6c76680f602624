"""Face match: detect the faces in a photo and describe the one face as a 128-number embedding (dlib, CPU).

Pure over bytes and lists of floats — no ORM, no request — so the verification task, the enrolment API and the
benchmarks call the same two functions: `analyse(image_bytes)` and `distance(a, b)`.

The models are dlib's own, shipped by the `face_recognition_models` package and called directly through dlib
(the `dlib-bin` wheel; no `face_recognition` wrapper):

- the HOG frontal face detector built into dlib (`dlib.get_frontal_face_detector()`: no model file);
- the 5-point landmark model (`shape_predictor_5_face_landmarks.dat`) to align the face — NOT the 68-point one,
  whose training data (iBUG 300-W) forbids commercial use;
- the ResNet face descriptor (`dlib_face_recognition_resnet_model_v1.dat`): 128 numbers per face; two photos of
  one person lie closer than the threshold in Euclidean distance.

Speed: the photo is decoded at reduced size (JPEG draft mode), turned upright by its EXIF orientation and
downscaled so its longest side is at most `MAX_SIDE` pixels before detection; the detector runs once, with no
upsampling, and the embedding once, with no jitter. `bench/face_speed.py` measures it.
"""

from __future__ import annotations

import importlib.util
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import dlib
import numpy as np
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

# The longest side the detector sees first. dlib's HOG detector finds faces of about 80×80 px and larger: a
# selfie's face is 100–200 px wide in a 400 px frame. Measured with bench/face_speed.py: detection costs 9–13 ms at
# 400–480 px against 87 ms on a full 1280×960 photo.
MAX_SIDE = 400
# When nothing is found at MAX_SIDE, one more look at this size: a face far from the camera (a selfie in front of
# the office sign) or a tall portrait photo. Costs a second detection only for photos without a face at first.
RETRY_SIDE = 800
# Measured with bench/face_threshold.py on the real photos described in docs/integrity.md: same-person pairs lay
# at 0.03–0.44, different persons at 0.62 and above; 0.53 is the middle of that gap (dlib's authors use 0.6 on
# LFW, which sits close to the nearest different-person pair here).
DEFAULT_THRESHOLD = 0.53


class NotAnImage(ValueError):
    """The bytes are not an image Pillow can decode."""


@dataclass(frozen=True)
class FaceResult:
    faces: int  # faces the detector found
    embedding: list[float] | None  # the 128-d descriptor of the face when exactly one was found


@dataclass(frozen=True)
class Models:
    detector: Any
    shape_predictor: Any
    encoder: Any


def model_folder() -> Path:
    """Where `face_recognition_models` keeps its .dat files. Found without importing the package: its
    __init__ needs pkg_resources (setuptools), which a slim deployment lacks."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("face_recognition_models is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


@cache
def models() -> Models:
    """Load dlib's models once per process (≈ 0.3 s; the files are read from the installed package)."""
    folder = model_folder()
    return Models(
        detector=dlib.get_frontal_face_detector(),
        shape_predictor=dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat")),
        encoder=dlib.face_recognition_model_v1(str(folder / "dlib_face_recognition_resnet_model_v1.dat")),
    )


def threshold() -> float:
    """Two embeddings farther apart than this are different persons (setting HADIR_FACE_MATCH_THRESHOLD)."""
    return float(getattr(settings, "HADIR_FACE_MATCH_THRESHOLD", DEFAULT_THRESHOLD))


def load_pixels(image_bytes: bytes, max_side: int = MAX_SIDE) -> np.ndarray[Any, Any]:
    """The photo as an RGB array, upright, its longest side at most `max_side`. Raises NotAnImage."""
    try:
        with Image.open(io.BytesIO(image_bytes)) as img:
            img.draft("RGB", (max_side, max_side))  # JPEG: decode at 1/2, 1/4 or 1/8 scale straight away
            image = ImageOps.exif_transpose(img)
            image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise NotAnImage(str(exc)) from None
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    return np.asarray(image)


def analyse_pixels(pixels: np.ndarray[Any, Any]) -> FaceResult:
    m = models()
    boxes = m.detector(pixels, 0)
    if len(boxes) != 1:
        return FaceResult(faces=len(boxes), embedding=None)
    shape = m.shape_predictor(pixels, boxes[0])
    descriptor = m.encoder.compute_face_descriptor(pixels, shape)
    return FaceResult(faces=1, embedding=[float(x) for x in descriptor])


def analyse(image_bytes: bytes, max_side: int = MAX_SIDE, retry_side: int | None = RETRY_SIDE) -> FaceResult:
    """Count the faces in a photo and, when there is exactly one, its embedding. Raises NotAnImage."""
    pixels = load_pixels(image_bytes, max_side)
    result = analyse_pixels(pixels)
    if result.faces == 0 and retry_side and max(pixels.shape[:2]) >= max_side:
        result = analyse_pixels(load_pixels(image_bytes, retry_side))
    return result


def distance(a: Sequence[float], b: Sequence[float]) -> float:
    """Euclidean distance between two embeddings (0 = identical; same person below `threshold()`)."""
    return math.dist(a, b)


def same_person(a: Sequence[float], b: Sequence[float]) -> bool:
    return distance(a, b) <= threshold()
