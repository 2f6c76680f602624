from django.conf import settings
from django.http import HttpRequest


def instansi(request: HttpRequest) -> dict[str, str]:
    return {"HADIR_INSTANSI": settings.HADIR_INSTANSI}
