"""API error shape shared by every router.

Every 4xx answer is JSON: {"message": "<one human sentence>", "errors": [{"field": ..., "message": ...}]}.
Messages are written in Bahasa Indonesia; a client that sends `Accept-Language: en` gets English.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.debug import SafeExceptionReporterFilter
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError


class DomainError(Exception):
    """A rule of the domain refused the request. Services raise these and know nothing of HTTP; the API
    layer (`install_handlers`) answers each kind with its `status`, pages show `message`. The message is
    already translated; `field` names the input it is about, `code` is a stable machine-readable reason."""

    status = 400

    def __init__(self, message: str, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class InvalidRequest(DomainError):
    """The request breaks a rule: a missing reason, dates out of range, a kind the employee may not file."""

    status = 400


class NotAuthenticated(DomainError):
    """Wrong or missing credentials."""

    status = 401


class NotAllowed(DomainError):
    """Signed in, but not allowed to do this to that object (outside one's OPD, not one's own)."""

    status = 403


class NotFound(DomainError):
    """The object does not exist (or is not visible to the caller)."""

    status = 404


class Conflict(DomainError):
    """Clashes with the current state: already decided, overlapping dates, a UUID used by someone else."""

    status = 409


class TooLarge(DomainError):
    """A file or body over its size limit."""

    status = 413


class TooManyRequests(DomainError):
    """Too many attempts: a locked-out login, a rate limit."""

    status = 429


class Unprocessable(DomainError):
    """Well-formed but unusable input: a broken photo, an unknown kind, a malformed month."""

    status = 422


# Pydantic error types → Indonesian templates (English keeps pydantic's own message).
_ID_MESSAGES: dict[str, str] = {
    "missing": "wajib diisi",
    "string_type": "harus berupa teks",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "float_type": "harus berupa angka",
    "float_parsing": "harus berupa angka",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "greater_than_equal": "harus lebih besar atau sama dengan {ge}",
    "greater_than": "harus lebih besar dari {gt}",
    "less_than_equal": "harus lebih kecil atau sama dengan {le}",
    "less_than": "harus lebih kecil dari {lt}",
    "string_too_long": "terlalu panjang (maksimal {max_length} karakter)",
    "string_too_short": "terlalu pendek (minimal {min_length} karakter)",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "literal_error": "harus salah satu dari: {expected}",
    "enum": "harus salah satu dari: {expected}",
    "uuid_type": "harus berupa UUID",
    "uuid_parsing": "bukan UUID yang valid",
    "datetime_type": "harus berupa tanggal dan waktu (ISO 8601)",
    "datetime_parsing": "bukan tanggal dan waktu yang valid (ISO 8601)",
    "datetime_from_date_parsing": "bukan tanggal dan waktu yang valid (ISO 8601)",
    "date_type": "harus berupa tanggal (YYYY-MM-DD)",
    "date_parsing": "bukan tanggal yang valid (YYYY-MM-DD)",
    "date_from_datetime_parsing": "bukan tanggal yang valid (YYYY-MM-DD)",
    "list_type": "harus berupa daftar",
    "too_long": "terlalu banyak item (maksimal {max_length})",
    "too_short": "terlalu sedikit item (minimal {min_length})",
    "dict_type": "harus berupa objek JSON",
    "model_attributes_type": "harus berupa objek JSON",
    "json_invalid": "bukan JSON yang valid",
    "finite_number": "harus berupa angka terhingga",
}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    # ninja prefixes the location with "body"/"query"/"path" and the parameter name; drop those.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "body"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def translate_validation_error(error: dict[str, Any]) -> dict[str, str]:
    field = _field_name(error.get("loc", ()))
    english = not (get_language() or "id").startswith("id")
    template = _ID_MESSAGES.get(str(error.get("type")))
    ctx = error.get("ctx") or {}
    if english or template is None:
        text = str(error.get("msg", "invalid value"))
        if not english and error.get("type") == "value_error":
            # Our own validators raise ValueError with an already-translated message.
            text = text.removeprefix("Value error, ")
    else:
        try:
            text = template.format(**{k: v for k, v in ctx.items()})
        except (KeyError, IndexError):
            text = template
    return {"field": field, "message": text}


def error_body(message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"message": message, "errors": errors or []}


def install_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return api.create_response(request, {**error_body(exc.message, errors), "code": exc.code}, status=exc.status)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [translate_validation_error(e) for e in exc.errors]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        message = _("Data tidak valid") + (f" — {summary}" if summary else "")
        return api.create_response(request, error_body(message, errors), status=422)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, error_body(_("Silakan masuk terlebih dahulu.")), status=401)

    @api.exception_handler(AuthorizationError)
    def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return api.create_response(request, error_body(_("Anda tidak berhak melakukan ini.")), status=403)

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        # ninja adds Retry-After to this answer itself
        return api.create_response(request, {**error_body(_("Terlalu banyak permintaan; coba lagi sebentar lagi.")),
                                             "code": "throttled"}, status=429)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, DomainError):  # ninja wraps what the body parser raised
            return _domain_error(request, exc.__cause__)
        return api.create_response(request, error_body(str(exc.message)), status=exc.status_code)

    # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE (files aside) or with too many fields
    # when ninja reads the parameters: a 413, not Django's bare 400 page.
    @api.exception_handler(RequestDataTooBig)
    @api.exception_handler(TooManyFieldsSent)
    @api.exception_handler(TooManyFilesSent)
    def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _domain_error(request, TooLarge(_("Isi permintaan terlalu besar."), code="too_large"))

    # An id or number beyond the database's integer (SQLite raises before the query; PostgreSQL compares a larger
    # number as numeric and finds nothing): the caller's input, never a 500.
    @api.exception_handler(OverflowError)
    def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        return _domain_error(request, Unprocessable(_("Angka di luar jangkauan yang dapat diproses."),
                                                    code="out_of_range"))

    @api.exception_handler(MultiPartParserError)
    def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return _domain_error(request, InvalidRequest(_("Isi permintaan tidak dapat dibaca."), code="bad_body"))

    @api.exception_handler(RawPostDataException)
    def _form_where_json_expected(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
        # multipart data already read as a form (the session's CSRF check does) for an operation that wants JSON
        return _domain_error(request, InvalidRequest(_("Isi permintaan bukan JSON yang valid."), code="bad_json"))


class SecretHidingReporterFilter(SafeExceptionReporterFilter):
    """Django's filter masks settings named like API|TOKEN|KEY|SECRET|PASS|SIGNATURE; DATABASE_URL, REDIS_URL,
    the broker URL and other URLs with credentials in them are masked too (settings, and the environment the
    debug page shows in META)."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE|URL|DSN|BROKER|REDIS|CACHES", flags=re.I)
