"""The check-in pipeline: validate one attempt, store it as evidence, mark its day for refresh.

    attempt → the context query (hadir/presence/hotpath.py: replay? previous fix? shared device? locations,
              unit, roster) → the verdict (hadir/presence/checks.py) → ONE statement: the CheckIn row and its
              outbox row (hadir/presence/outbox.py) → after commit: a drain runs or is queued, which opens the
              approval item, stamps the device and computes the daily status.

Every attempt that reaches the pipeline is stored, accepted or rejected: a rejection is evidence (who tried,
where, when, why refused). Only input that cannot be a check-in at all (a broken photo, a UUID that belongs to
somebody else) raises a domain error and stores nothing. Accepted check-ins that were sent offline or carry
fraud flags wait for the atasan's approval (validity "pending"); the rest need none ("not_required").
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import Conflict
from hadir.org.models import Employee, WorkLocation
from hadir.schedules.services import WorkDay

from . import fraud, outbox
from .checks import CheckInAttempt, evaluate, workday
from .hotpath import insert_checkin, load_context
from .models import CheckIn, CheckInSource, Validity, Verdict
from .photos import clean_photo


def workday_now(employee: Employee, at: dt.datetime) -> tuple[WorkDay, list[WorkLocation]]:
    """The employee's work day at instant `at` (at their first active work location) and their active work
    locations — what the phone shows before a check-in (GET /today), from the same context query and cached
    schedule tables as the check-in itself."""
    ctx = load_context(employee.pk, at)
    active = ctx.active_locations
    return workday(employee, ctx, at, active[0] if active else None), active


def _owned_or_conflict(row: CheckIn, employee: Employee) -> CheckIn:
    if row.employee_id != employee.pk:
        raise Conflict(_("UUID klien ini sudah dipakai untuk presensi lain."), field="client_uuid",
                       code="uuid_conflict")
    return row


def record_checkin(attempt: CheckInAttempt) -> tuple[CheckIn, bool]:
    """Validate and store one attempt. Returns (row, created); a known client_uuid returns the original row."""
    now = timezone.now()
    at = attempt.occurred_at or now
    ctx = load_context(attempt.employee.pk, at, client_uuid=attempt.client_uuid, device_id=attempt.device_id,
                       has_position=attempt.has_position)
    if ctx.history.existing_id is not None:
        existing = CheckIn.objects.select_related("location").get(pk=ctx.history.existing_id)
        return _owned_or_conflict(existing, attempt.employee), False
    client_uuid = attempt.client_uuid or uuid.uuid4()
    # refused: nothing stored; accepted: the image re-encoded (no EXIF, nothing appended after the image data)
    photo_file = clean_photo(attempt.photo) if attempt.photo is not None else None

    decision = evaluate(attempt, ctx, now)
    assert decision.local_date is not None
    accepted = decision.verdict == Verdict.ACCEPTED
    needs_approval = accepted and (attempt.source == CheckInSource.OFFLINE or bool(decision.flags))
    row = CheckIn(
        client_uuid=client_uuid, employee=attempt.employee, kind=attempt.kind, source=attempt.source,
        occurred_at=at, client_time=attempt.client_time, local_date=decision.local_date,
        latitude=attempt.latitude, longitude=attempt.longitude, accuracy_m=attempt.accuracy_m,
        mock_location=attempt.mock_location, device_id=attempt.device_id[:128], location=decision.location,
        distance_m=decision.distance_m, terminal_sn=attempt.terminal_sn[:64], verdict=decision.verdict,
        reason_code=decision.reason_code, reason=decision.reason[:300], fraud_flags=decision.flags,
        validity=Validity.PENDING if needs_approval else Validity.NOT_REQUIRED,
    )
    if photo_file is not None:
        row.photo = photo_file  # type: ignore[assignment]
    try:
        insert_checkin(row)  # the row and its outbox entry, or neither
    except IntegrityError:
        # A concurrent request with the same client_uuid won the race: theirs is the original.
        _discard_photo(row)
        winner = CheckIn.objects.filter(client_uuid=client_uuid).select_related("location").first()
        if winner is None:
            raise
        return _owned_or_conflict(winner, attempt.employee), False
    except Exception:
        _discard_photo(row)  # the INSERT failed: nothing refers to the file
        raise
    transaction.on_commit(outbox.request_drain)
    return row, True


def _discard_photo(row: CheckIn) -> None:
    if row.photo and row.photo.name:
        row.photo.storage.delete(row.photo.name)


def record_many(attempts: list[CheckInAttempt]) -> list[tuple[CheckIn, bool]]:
    """Store a batch (offline queue, terminal log): each attempt gets its own verdict and transaction.

    UUIDs that belong to another employee fail the whole batch up front (409), before anything is
    stored; known UUIDs of the same employee come back as replays (created=False).
    """
    uuids = [a.client_uuid for a in attempts if a.client_uuid is not None]
    existing: dict[uuid.UUID, CheckIn] = {}
    if uuids:
        for row in CheckIn.objects.filter(client_uuid__in=uuids).select_related("location"):
            existing[row.client_uuid] = row
    by_employee = {a.client_uuid: a.employee.pk for a in attempts if a.client_uuid is not None}
    for key, row in existing.items():
        if row.employee_id != by_employee.get(key):
            raise Conflict(_("UUID klien %(uuid)s sudah dipakai untuk presensi lain.") % {"uuid": key},
                           field="client_uuid", code="uuid_conflict")
    results: list[tuple[CheckIn, bool]] = []
    for attempt in attempts:
        if attempt.client_uuid is not None and attempt.client_uuid in existing:
            results.append((existing[attempt.client_uuid], False))
            continue
        row, created = record_checkin(attempt)
        if attempt.client_uuid is not None:
            existing[attempt.client_uuid] = row
        results.append((row, created))
    return results


def describe_flags(flags: list[str]) -> list[str]:
    return [str(fraud.FLAG_LABELS.get(code, code)) for code in flags]

