"""Private files (selfies, leave letters, correction evidence): always streamed by a view that has checked who
asks — never under a public /media/ URL.

In production nginx sends the bytes: with HADIR_MEDIA_ACCEL_PREFIX set (e.g. "/_berkas/") the view answers only
an `X-Accel-Redirect` header to an `internal` nginx location aliasing MEDIA_ROOT (docs/deploy.md §6), so an app
worker is not tied up streaming a file. Without it (the demo, tests) Django streams the file itself.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import dateformat, translation
from django.utils.http import content_disposition_header
from PIL import Image, ImageOps


def private_file(field: FieldFile, *, content_type: str, filename: str | None = None,
                 as_attachment: bool = False, cache_control: str = "private, no-store") -> HttpResponseBase:
    """The response for a permission-checked download of `field`. Raises FileNotFoundError (Django mode) when the
    file is gone."""
    prefix = str(getattr(settings, "HADIR_MEDIA_ACCEL_PREFIX", "") or "")
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(str(field.name))
        disposition = content_disposition_header(as_attachment, filename) if filename else None
        if disposition:
            response["Content-Disposition"] = disposition
    else:
        response = FileResponse(field.open("rb"), content_type=content_type, as_attachment=as_attachment,
                                filename=filename or "")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response


# What an uploaded image is saved as: the decoded pixels only. Re-encoding drops EXIF (GPS, device serials),
# embedded thumbnails and whatever was appended after the image data (an HTML or script payload).
REENCODE: dict[str, tuple[str, dict[str, Any]]] = {"JPEG": ("JPEG", {"quality": 90, "optimize": True}), "PNG": ("PNG", {"optimize": True}),
            "WEBP": ("WEBP", {"quality": 90}), "MPO": ("JPEG", {"quality": 90, "optimize": True})}


def reencode_image(upload: IO[bytes]) -> tuple[bytes, str]:
    """Decode an already-validated image and encode it again in its own format (JPEG/PNG/WebP), turned upright
    by its EXIF orientation, without metadata. Returns (bytes, format)."""
    upload.seek(0)
    with Image.open(upload) as img:
        fmt, options = REENCODE.get(img.format or "", ("PNG", {"optimize": True}))
        image = ImageOps.exif_transpose(img)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=fmt, **options)
    upload.seek(0)
    return out.getvalue(), fmt


def stored_upload(upload: File[bytes], content_type: str) -> File[bytes]:
    """What to store for a validated upload: images re-encoded (`reencode_image`), other kinds (PDF) as sent."""
    if content_type.startswith("image/"):
        data, _fmt = reencode_image(upload)
        return ContentFile(data)
    return upload


# Spreadsheet formula injection (CSV/Excel): a cell whose text starts with one of these is run as a formula by
# Excel/LibreOffice. Every export writes text through `spreadsheet_text`.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """`value` for a spreadsheet cell: text that would start a formula gets a leading apostrophe (shown as text,
    OWASP's advice); numbers, dates and other types pass through unchanged (a negative number stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sheet_name(name: str, taken: list[str]) -> str:
    """An Excel sheet name for `name`: without the characters Excel refuses, at most 31 characters, unique among
    `taken`."""
    base = "".join(c for c in name if c not in '[]:*?/\\')[:28] or "OPD"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base[:25]} {n}", n + 1
    return candidate


def tanggal(day: Any) -> str:
    """A date as official Indonesian documents write it, whatever the page's language: "2 Maret 2026" (Django's
    Indonesian locale); "—" for none."""
    if not day:
        return "—"
    with translation.override("id"):
        return dateformat.format(day, "j F Y")


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of `day`'s calendar month."""
    first = day.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def bulan(month: Any) -> str:
    """A month in Indonesian: "Oktober 2026"."""
    with translation.override("id"):
        return dateformat.format(month, "F Y")
