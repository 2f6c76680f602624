"""Apply the approval policy to every new check-in.

Contract C3 sends `checkin_recorded` after commit; check-ins stored any other way (admin, a future
bulk import) only raise post_save. Both are handled, after commit, once per row: the post_save path
marks the instance it ran for, and `checkin_recorded` for the same row object is then a no-op
(and `open_checkin_item` itself is idempotent on the database).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from hadir.presence.models import CheckIn

log = logging.getLogger(__name__)
_DONE = "_hadir_approval_applied"


def _apply(checkin: CheckIn) -> None:
    if getattr(checkin, _DONE, False):
        return
    setattr(checkin, _DONE, True)
    from .services import open_checkin_item

    try:
        open_checkin_item(checkin)
    except Exception:  # never undo or fail an acknowledged check-in; the row stays as the pipeline set it
        log.exception("approval policy failed for CheckIn %s", checkin.pk)


def on_checkin_saved(sender: Any, instance: CheckIn, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        transaction.on_commit(lambda: _apply(instance))


def on_checkin_recorded(sender: Any, checkin: CheckIn, created: bool = True, **kwargs: Any) -> None:
    if created:
        _apply(checkin)


def connect() -> None:
    post_save.connect(on_checkin_saved, sender=CheckIn, dispatch_uid="hadir_approvals_checkin_saved")
    try:
        from hadir.presence.signals import checkin_recorded
    except ImportError:  # pragma: no cover - pipeline not installed
        return
    checkin_recorded.connect(on_checkin_recorded, dispatch_uid="hadir_approvals_checkin_recorded")
