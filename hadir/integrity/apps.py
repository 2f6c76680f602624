from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "hadir.integrity"
    verbose_name = _("Integritas")

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.presence.fraud import FLAG_LABELS
        from hadir.presence.signals import checkins_recorded

        from .tasks import ROUTED_FLAGS, queue_verification

        # the words for the face flags wherever fraud flags are shown (approval queue, admin, the phone)
        FLAG_LABELS.update({str(flag): flag.label for flag in ROUTED_FLAGS})

        def _checkins_recorded(sender: Any, checkins: list[Any], **kwargs: Any) -> None:
            """Selfies of new accepted check-ins are verified off the request path (after the drain commits)."""
            queue_verification(checkins)

        checkins_recorded.connect(_checkins_recorded, weak=False, dispatch_uid="integrity.checkins_recorded")
