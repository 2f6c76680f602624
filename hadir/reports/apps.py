from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hadir.reports"
    verbose_name = _("Rekap dan laporan")

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.notify.channels import ATTACHMENT_SOURCES
        from hadir.notify.models import NotificationKind

        from . import exports  # noqa: F401  (registers the export Celery tasks)
        from .schedule import attachments

        ATTACHMENT_SOURCES[NotificationKind.RECAP] = attachments  # the recap e-mail carries its workbook
