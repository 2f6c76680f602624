from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "hadir.integrity"
    verbose_name = _("Integritas")

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.presence.fraud import FLAG_LABELS
        from hadir.presence.signals import checkin_photo_added, checkins_recorded

        from . import rollcall  # noqa: F401  (registers the roll-call tasks)
        from .assess import assess
        from .tasks import REUSED_PHOTO, REUSED_PHOTO_LABEL, ROUTED_FLAGS, queue_verification

        # the words for the face flags wherever fraud flags are shown (approval queue, admin, the phone)
        FLAG_LABELS.update({str(flag): flag.label for flag in ROUTED_FLAGS})
        FLAG_LABELS[REUSED_PHOTO] = REUSED_PHOTO_LABEL

        def _checkins_recorded(sender: Any, checkins: list[Any], **kwargs: Any) -> None:
            """New check-ins: selfies verified and history signals added, off the request path."""
            queue_verification(checkins)
            ids = [c.pk for c in checkins]  # the history signals, after the drain commits
            if ids:
                transaction.on_commit(lambda: assess.delay(ids))

        def _photo_added(sender: Any, checkin: Any, **kwargs: Any) -> None:
            """A selfie taken offline arrived after its check-in: verify it too."""
            queue_verification([checkin])

        checkins_recorded.connect(_checkins_recorded, weak=False, dispatch_uid="integrity.checkins_recorded")
        checkin_photo_added.connect(_photo_added, weak=False, dispatch_uid="integrity.checkin_photo_added")
