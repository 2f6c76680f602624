from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hadir.reports"
    verbose_name = _("Rekap dan laporan")

    def ready(self) -> None:
        from . import exports  # noqa: F401  (registers the Celery tasks)
