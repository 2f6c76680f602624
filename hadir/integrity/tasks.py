"""Verification of selfies against the enrolled face, off the request path.

The presence outbox drain sends `checkins_recorded` for each batch of new check-ins; this app's receiver
(apps.py) queues `hadir.integrity.verify_selfie` with the ids of the accepted ones that carry a selfie, after the
drain commits. The task compares each selfie with the employee's approved enrolment and stores a FaceCheck.
`no_face`, `multiple_faces` and `face_mismatch` are appended to the check-in's fraud flags and the check-in is
handed to the approval policy again (hadir.approvals.services.open_checkin_items: under the "flagged" policy it
goes to the atasan's queue). It never rejects a check-in. `not_enrolled` (and an unreadable file) is stored on the
FaceCheck only: an employee nobody has enrolled yet is not a suspect, and flagging them would fill the atasan's
queue with false alarms.

A lost task (no broker, a dead worker) is caught up by `hadir.integrity.verify_missing` (beat, every 5 minutes):
the recent accepted check-ins with a selfie and no FaceCheck.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from typing import Any

import imagehash
import numpy as np
from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from hadir.approvals.services import open_checkin_items
from hadir.audit.services import record_many
from hadir.presence.models import CheckIn, Verdict

from . import face
from .models import EnrolmentStatus, FaceCheck, FaceEnrolment, FaceFlag

log = logging.getLogger(__name__)

# Flags that mark the check-in itself (fraud_flags) and send it to the atasan under the "flagged" policy.
ROUTED_FLAGS = {FaceFlag.NO_FACE, FaceFlag.MULTIPLE_FACES, FaceFlag.FACE_MISMATCH}
CATCH_UP_WINDOW = dt.timedelta(hours=24)
CATCH_UP_AFTER = dt.timedelta(minutes=2)  # younger ones are normally still in the queue
BATCH = 200
REUSED_PHOTO = "reused_photo"
REUSED_PHOTO_LABEL = _("Swafoto yang sama sudah pernah dikirim untuk presensi lain")
# Two selfies whose 64-bit dHash differ in at most this many bits are the same photo (re-sent, re-encoded, scaled);
# two separate shots of one person at one desk differ in far more (docs/integrity.md).
REUSED_MAX_BITS = 4
REUSED_WINDOW = dt.timedelta(days=60)


def photo_hash(selfie: bytes) -> str:
    """The selfie's perceptual hash (imagehash's 64-bit dHash, as 16 hex digits), "" when unreadable."""
    try:
        with Image.open(io.BytesIO(selfie)) as img:
            img.draft("L", (256, 256))  # JPEG: decode at reduced size, the hash needs 9×8 pixels
            return str(imagehash.dhash(ImageOps.exif_transpose(img)))
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""


def reused(new: list[tuple[int, int, dt.date, str]]) -> set[int]:
    """Check-in ids (of `new`: id, employee, local date, hash) whose selfie was already sent with another check-in —
    another day's, another employee's, or the same day's other check-in — within REUSED_WINDOW. One query."""
    new = [n for n in new if n[3]]
    if not new:
        return set()
    since = min(n[2] for n in new) - REUSED_WINDOW
    ids = [n[0] for n in new]
    earlier = list(FaceCheck.objects.filter(checkin__local_date__gte=since).exclude(photo_hash="")
                   .exclude(checkin_id__in=ids).values_list("checkin_id", "checkin__employee_id",
                                                            "checkin__local_date", "photo_hash"))
    pool = earlier + new
    if len(pool) < 2:
        return set()
    hashes = np.array([int(h, 16) for *_rest, h in pool], dtype=np.uint64)
    out: set[int] = set()
    for cid, _emp, _day, h in new:
        bits = np.unpackbits((hashes ^ np.uint64(int(h, 16))).view(np.uint8)).reshape(len(pool), 64).sum(axis=1)
        for j in np.nonzero(bits <= REUSED_MAX_BITS)[0]:
            other = pool[int(j)]
            if other[0] != cid:  # another check-in: another day, another employee, or masuk's photo at pulang
                out.add(cid)
                break
    return out



def queue_verification(checkins: Sequence[CheckIn]) -> None:
    """Queue the verification of the selfies among `checkins` once the current transaction commits."""
    ids = [c.pk for c in checkins if c.photo and c.verdict == Verdict.ACCEPTED]
    if not ids:
        return

    def _send() -> None:
        for start in range(0, len(ids), BATCH):
            try:
                verify_selfie.delay(ids[start:start + BATCH])
            except Exception:  # a broker outage: verify_missing catches up
                log.warning("face verification not queued for %d check-ins", len(ids[start:start + BATCH]),
                            exc_info=True)

    transaction.on_commit(_send)


def judge(selfie: bytes, enrolled: Sequence[float], threshold: float) -> tuple[str, int | None, float | None]:
    """(flag, faces, distance) of one selfie against an enrolled embedding. Pure: no ORM."""
    try:
        result = face.analyse(selfie)
    except face.NotAnImage:
        return FaceFlag.UNREADABLE, None, None
    if result.faces == 0:
        return FaceFlag.NO_FACE, 0, None
    if result.faces > 1 or result.embedding is None:
        return FaceFlag.MULTIPLE_FACES, result.faces, None
    dist = face.distance(result.embedding, enrolled)
    return (FaceFlag.FACE_MISMATCH if dist > threshold else FaceFlag.MATCH), 1, dist


def verify(checkin_ids: Sequence[int]) -> list[FaceCheck]:
    """Check the selfies of `checkin_ids` not checked yet; store their FaceChecks; flag and route the suspect
    ones. Idempotent. The slow part (the face model) runs outside any transaction."""
    checkins = list(CheckIn.objects.filter(pk__in=list(checkin_ids), verdict=Verdict.ACCEPTED, face_check=None)
                    .exclude(photo="").exclude(photo__isnull=True).order_by("pk"))
    if not checkins:
        return []
    enrolments = {e.employee_id: e for e in FaceEnrolment.objects.filter(
        employee_id__in={c.employee_id for c in checkins}, status=EnrolmentStatus.APPROVED)}
    threshold = face.threshold()
    checks: list[FaceCheck] = []
    for checkin in checkins:
        enrolment = enrolments.get(checkin.employee_id)
        try:
            with checkin.photo.open("rb") as fh:
                selfie = fh.read()
        except OSError:  # purged or lost: nothing to judge
            checks.append(FaceCheck(checkin=checkin, enrolment=enrolment, flag=FaceFlag.UNREADABLE))
            continue
        digest = photo_hash(selfie)
        if enrolment is None:
            checks.append(FaceCheck(checkin=checkin, flag=FaceFlag.NOT_ENROLLED, photo_hash=digest))
            continue
        flag, faces, dist = judge(selfie, enrolment.embedding, threshold)
        checks.append(FaceCheck(checkin=checkin, enrolment=enrolment, flag=flag, faces=faces, distance=dist,
                                threshold=threshold, photo_hash=digest))
    again = reused([(c.checkin.pk, c.checkin.employee_id, c.checkin.local_date, c.photo_hash) for c in checks])
    flags: dict[int, list[str]] = {c.checkin.pk: [str(c.flag)] for c in checks if c.flag in ROUTED_FLAGS}
    for cid in again:
        flags.setdefault(cid, []).append(REUSED_PHOTO)
    with transaction.atomic():
        FaceCheck.objects.bulk_create(checks, ignore_conflicts=True)
        _flag(flags)
    return checks


def _flag(flag_of: dict[int, list[str]]) -> None:
    """Append the flags to their check-ins' fraud flags (logged), then apply the approval policy."""
    if not flag_of:
        return
    rows = list(CheckIn.objects.select_for_update().filter(pk__in=list(flag_of)).order_by("pk"))
    changed: list[CheckIn] = []
    audit: list[tuple[Any, dict[str, Any], dict[str, Any]]] = []
    for row in rows:
        before = list(row.fraud_flags or [])
        added = [f for f in flag_of[row.pk] if f not in before]
        if not added:
            continue
        row.fraud_flags = [*before, *added]
        changed.append(row)
        audit.append((row, {"fraud_flags": before}, {"fraud_flags": row.fraud_flags}))
    if not changed:
        return
    CheckIn.objects.bulk_update(changed, ["fraud_flags"])
    record_many(None, "integrity.face_flag", audit, "pencocokan wajah")
    open_checkin_items(changed)


@shared_task(name="hadir.integrity.verify_selfie", ignore_result=True)
def verify_selfie(checkin_ids: list[int]) -> int:
    return len(verify(checkin_ids))


def missing_ids(now: dt.datetime | None = None, limit: int = 5000) -> list[int]:
    now = now or timezone.now()
    return list(CheckIn.objects.filter(received_at__gte=now - CATCH_UP_WINDOW, received_at__lt=now - CATCH_UP_AFTER,
                                       verdict=Verdict.ACCEPTED, face_check=None)
                .exclude(photo="").exclude(photo__isnull=True).order_by("pk").values_list("pk", flat=True)[:limit])


@shared_task(name="hadir.integrity.verify_missing", ignore_result=True)
def verify_missing() -> int:
    """Catch up the selfies of the last day whose verification was lost (beat, every 5 minutes)."""
    done = 0
    ids = missing_ids()
    for start in range(0, len(ids), BATCH):
        done += len(verify(ids[start:start + BATCH]))
    return done
