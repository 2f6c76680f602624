"""Private files (selfies, leave letters, correction evidence): always streamed by a view that has checked who
asks — never under a public /media/ URL.

In production nginx sends the bytes: with HADIR_MEDIA_ACCEL_PREFIX set (e.g. "/_berkas/") the view answers only
an `X-Accel-Redirect` header to an `internal` nginx location aliasing MEDIA_ROOT (docs/deploy.md §6), so an app
worker is not tied up streaming a file. Without it (the demo, tests) Django streams the file itself.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


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
