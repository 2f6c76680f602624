"""Indonesian first: pages speak Bahasa Indonesia unless the user switched language.

Many phones in the regions run with an English system language, so the browser's Accept-Language says
nothing about what the user reads best. Pages follow only the language cookie (set by the switch);
API clients (/api/) may still ask for English with `Accept-Language: en`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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
