"""Apply the approval policy to every new check-in.

Check-ins stored by the pipeline arrive in batches through `checkins_recorded` (sent by the follow-up
pass, hadir.presence.followup); check-ins stored any other way (admin, a future bulk import) raise
post_save and are handled after commit, one by one. `open_checkin_items` is idempotent either way.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from hadir.presence.models import CheckIn

log = logging.getLogger(__name__)


def _apply(checkin: CheckIn) -> None:
    from .services import open_checkin_items

    try:
        open_checkin_items([checkin])
    except Exception:  # never undo or fail an acknowledged check-in; the row stays as the pipeline set it
        log.exception("approval policy failed for CheckIn %s", checkin.pk)


def on_checkin_saved(sender: Any, instance: CheckIn, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        transaction.on_commit(lambda: _apply(instance))


def on_checkins_recorded(sender: Any, checkins: list[CheckIn], **kwargs: Any) -> None:
    """Inside the follow-up's transaction: an error rolls the batch back and it is retried."""
    from .services import open_checkin_items

    open_checkin_items(checkins)


def connect() -> None:
    post_save.connect(on_checkin_saved, sender=CheckIn, dispatch_uid="hadir_approvals_checkin_saved")
    from hadir.presence.signals import checkins_recorded

    checkins_recorded.connect(on_checkins_recorded, dispatch_uid="hadir_approvals_checkins_recorded")
