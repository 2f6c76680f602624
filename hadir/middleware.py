"""Indonesian first: pages speak Bahasa Indonesia unless the user switched language.

Many phones in the regions run with an English system language, so the browser's Accept-Language says
nothing about what the user reads best. Pages follow only the language cookie (set by the switch);
API clients (/api/) may still ask for English with `Accept-Language: en`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

API_PREFIXES = ("/api/",)


class HadirLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(API_PREFIXES):
            super().process_request(request)
            return
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulBytesMiddleware:
    """A NUL character (\\0) is never valid input: PostgreSQL cannot store it in text, so it would surface as a 500.
    Refused with 400 and a message wherever it appears — path, query, url-encoded forms, JSON strings. Multipart
    bodies are not parsed here (their files are binary, and a parse error must reach the view as its 413/400):
    the API checks their text fields in hadir/parsing.py, page forms by Django's own ProhibitNullCharactersValidator.
    The terminals' /iclock/ bodies are parsed line by line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith("/iclock/") and self._has_nul(request):
            message = _("Masukan berisi karakter NUL (\\0) yang tidak diizinkan.")
            if request.path_info.startswith(API_PREFIXES):
                return JsonResponse({"message": message, "errors": [], "code": "nul_byte"}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        if request.content_type == "multipart/form-data":
            return False
        try:
            body = request.body.lower()
        except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError, RawPostDataException):
            return False  # the view answers these (413/400) itself
        if request.content_type == "application/x-www-form-urlencoded":
            return b"\x00" in body or b"%00" in body
        return b"\x00" in body or b"\\u0000" in body  # raw, or escaped in a JSON string
