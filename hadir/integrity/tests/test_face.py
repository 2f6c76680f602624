"""hadir.integrity.face on real photos: the same person lies under the threshold, another person above it;
no face and two faces are counted, not guessed."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from hadir.integrity import face

from .conftest import blank, jpeg, phone_selfie, photo, two_faces


def embedding(data: bytes) -> list[float]:
    result = face.analyse(data)
    assert result.faces == 1 and result.embedding is not None
    assert len(result.embedding) == 128
    return result.embedding


@pytest.mark.parametrize(("a", "b", "same"), [
    ("obama.jpg", "obama3.jpg", True),
    ("obama.jpg", "biden.jpg", False),
    ("obama3.jpg", "biden.jpg", False),
])
def test_distance_between_real_photos(a: str, b: str, same: bool) -> None:
    d = face.distance(embedding(photo(a)), embedding(photo(b)))
    assert (d <= face.threshold()) is same, d
    assert face.same_person(embedding(photo(a)), embedding(photo(b))) is same


def test_a_phone_sized_selfie_turned_by_exif_is_read_upright() -> None:
    # without honouring the EXIF orientation the face lies on its side and HOG finds nothing
    d = face.distance(embedding(phone_selfie("obama3.jpg")), embedding(photo("obama.jpg")))
    assert d <= face.threshold()


@pytest.mark.parametrize(("image", "faces"), [(blank, 0), (two_faces, 2)])
def test_faces_counted(image: object, faces: int) -> None:
    result = face.analyse(image())  # type: ignore[operator]
    assert result.faces == faces and result.embedding is None


def test_not_an_image() -> None:
    with pytest.raises(face.NotAnImage):
        face.analyse(b"%PDF-1.4 not a photo")


def test_threshold_from_settings(settings: object) -> None:
    settings.HADIR_FACE_MATCH_THRESHOLD = 0.2  # type: ignore[attr-defined]
    assert face.threshold() == 0.2


def test_big_photo_is_downscaled_before_detection() -> None:
    big = Image.open(io.BytesIO(photo("obama.jpg"))).resize((2400, 2000))
    pixels = face.load_pixels(jpeg(big))
    assert max(pixels.shape[:2]) <= face.MAX_SIDE


def test_a_face_far_from_the_camera_is_found_on_a_second_look() -> None:
    # the 360 px head-and-shoulders photo on a 1600×1200 background: too small for HOG at the first look's
    # 400 px (a quarter), found at the second look's 800 px (half)
    face_img = Image.open(io.BytesIO(photo("obama.jpg")))
    canvas = Image.new("RGB", (1600, 1200), (90, 120, 160))
    canvas.paste(face_img, (900, 500))
    data = jpeg(canvas)
    assert face.analyse(data, retry_side=None).faces == 0
    found = face.analyse(data)
    assert found.faces == 1 and found.embedding is not None
    assert face.distance(found.embedding, embedding(photo("obama3.jpg"))) <= face.threshold()
