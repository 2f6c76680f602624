"""Privacy retention: selfies and location pings are kept only as long as settings say.

Selfies older than HADIR_PHOTO_RETENTION_DAYS lose their image file (the check-in row stays: it is the
attendance record); location pings older than HADIR_PING_RETENTION_DAYS are deleted outright (they are
only a trace of where someone was). Run daily: `hadir purge_personal_data` or the Celery task
hadir.presence.purge_personal_data (CELERY_BEAT_SCHEDULE["presence-purge-personal-data"]).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from hadir.presence.models import CheckIn, CheckInKind

CHUNK = 1000


def purge(now: dt.datetime | None = None, *, dry_run: bool = False) -> tuple[int, int]:
    """Returns (selfies removed, pings deleted)."""
    now = now or timezone.now()
    photo_cutoff = now - dt.timedelta(days=int(settings.HADIR_PHOTO_RETENTION_DAYS))
    ping_cutoff = now - dt.timedelta(days=int(settings.HADIR_PING_RETENTION_DAYS))

    old_photos = CheckIn.objects.filter(occurred_at__lt=photo_cutoff).exclude(photo="").exclude(photo__isnull=True)
    pings = CheckIn.objects.filter(kind=CheckInKind.PING, occurred_at__lt=ping_cutoff)
    if dry_run:
        return old_photos.count(), pings.count()

    photos_removed = 0
    while True:
        batch = list(old_photos.order_by("pk").values_list("pk", "photo")[:CHUNK])
        if not batch:
            break
        storage = CheckIn._meta.get_field("photo").storage  # type: ignore[union-attr]
        for _pk, name in batch:
            if name:
                storage.delete(name)  # a file already gone is fine
        # clear the reference only after the file is gone: a crash in between leaves a row to retry
        photos_removed += CheckIn.objects.filter(pk__in=[pk for pk, _name in batch]).update(photo="")

    pings_deleted = 0
    while True:
        ids = list(pings.order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            break
        storage = CheckIn._meta.get_field("photo").storage  # type: ignore[union-attr]
        for name in CheckIn.objects.filter(pk__in=ids).exclude(photo="").values_list("photo", flat=True):
            if name:
                storage.delete(name)
        pings_deleted += CheckIn.objects.filter(pk__in=ids).delete()[1].get(CheckIn._meta.label, 0)
    return photos_removed, pings_deleted


@shared_task(name="hadir.presence.purge_personal_data", ignore_result=True)
def purge_task() -> tuple[int, int]:
    return purge()
