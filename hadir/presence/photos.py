"""Selfie checks: the real content must be a JPEG, PNG or WebP image of sane size (not the extension).

Raises DomainError before anything is stored: 413 for a file over the byte limit, 422 for anything that
is not one of the accepted image types or is damaged.
"""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from hadir.errors import DomainError, TooLarge, Unprocessable
from hadir.files import reencode_image

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MIN_SIDE_PX = 64
MAX_PIXELS = 40_000_000  # a 40 MP photo is already more than any phone camera sends for a selfie


def max_photo_bytes() -> int:
    return int(getattr(settings, "HADIR_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def validate_photo(photo: UploadedFile) -> str:
    """Check an uploaded selfie; return a file name with the extension of its real format."""
    size = photo.size or 0
    limit = max_photo_bytes()
    if size > limit:
        raise TooLarge(
            _("Ukuran foto %(size)s MB melebihi batas %(limit)s MB.") % {"size": _mb(size), "limit": _mb(limit)},
            field="photo", code="photo_too_large",
        )
    if size == 0:
        raise Unprocessable(_("File foto kosong."), field="photo", code="photo_empty")
    not_image = Unprocessable(_("Foto harus berupa gambar JPEG, PNG, atau WebP."), field="photo",
                         code="photo_type")
    try:
        photo.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(photo) as img:
                fmt = img.format or ""
                width, height = img.size
                if fmt not in ACCEPTED_FORMATS:
                    raise not_image
                img.verify()  # walks the data: truncated or corrupted files fail here
    except DomainError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Unprocessable(_("Resolusi foto terlalu besar."), field="photo", code="photo_too_big") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_image from None
    finally:
        photo.seek(0)
    if width * height > MAX_PIXELS:
        raise Unprocessable(_("Resolusi foto terlalu besar."), field="photo", code="photo_too_big")
    if min(width, height) < MIN_SIDE_PX:
        raise Unprocessable(
            _("Foto terlalu kecil (minimal %(px)d piksel per sisi).") % {"px": MIN_SIDE_PX}, field="photo",
            code="photo_too_small",
        )
    return f"selfie.{ACCEPTED_FORMATS[fmt]}"


def clean_photo(photo: UploadedFile) -> ContentFile[bytes]:
    """Validate a selfie (`validate_photo`) and return what is stored: the image decoded and encoded again, without
    EXIF or trailing bytes (hadir.files.reencode_image)."""
    name = validate_photo(photo)
    data, _fmt = reencode_image(photo)
    return ContentFile(data, name=name)
