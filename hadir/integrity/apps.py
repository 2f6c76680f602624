from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


def _recorded(sender: Any, checkins: list[Any], **kwargs: Any) -> None:
    """New check-ins drained by the presence outbox: assess them after the drain commits (a Celery task; inline
    when there is no worker)."""
    from .assess import assess

    ids = [c.pk for c in checkins]
    if ids:
        transaction.on_commit(lambda: assess.delay(ids))


class IntegrityConfig(AppConfig):
    name = "hadir.integrity"
    verbose_name = _("Integritas presensi")

    def ready(self) -> None:
        from hadir.presence.signals import checkins_recorded

        checkins_recorded.connect(_recorded, weak=False, dispatch_uid="integrity.assess")
