"""What the presence API asks of the app, in the terms of the domain: who is checking in, an online check-in,
a batch captured offline, the employee's day and month. The rules that refuse a request raise domain errors
(hadir.errors); storing and judging check-ins is the pipeline's (hadir.presence.pipeline), called as is.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import Conflict, NotAllowed, NotFound, Unprocessable
from hadir.org.models import Employee, WorkLocation, employee_of
from hadir.schedules.services import WorkDay, workday_at

from . import fraud, pipeline
from .checks import CheckInAttempt, clock_skew_allowance
from .models import CheckIn, CheckInSource, DailyStatus
from .photos import clean_photo
from .pipeline import record_checkin, record_many
from .signals import checkin_photo_added

# The columns the phone is shown (it polls /today; the ORM's SQL compiler is most of that request's cost).
CHECKIN_SHOWN_FIELDS = ("client_uuid", "kind", "verdict", "reason_code", "reason", "occurred_at", "local_date",
                        "distance_m", "source", "validity", "location__name", "location__timezone")
STATUS_SHOWN_FIELDS = ("status", "late_minutes", "late_category", "early_minutes", "early_category", "first_in",
                       "last_out", "apel_pagi", "apel_sore")
MAX_CHECKINS_LISTED = 500
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class Capture(Protocol):
    """One check-in as the phone sends it (the API's schemas have these fields)."""

    @property
    def kind(self) -> str: ...
    @property
    def client_uuid(self) -> uuid.UUID: ...
    @property
    def client_time(self) -> dt.datetime | None: ...
    @property
    def latitude(self) -> float: ...
    @property
    def longitude(self) -> float: ...
    @property
    def accuracy_m(self) -> float | None: ...
    @property
    def mock_location(self) -> bool: ...
    @property
    def device_id(self) -> str: ...
    @property
    def employee_id(self) -> int | None: ...
    @property
    def gps_samples(self) -> str: ...


def capture_flags(capture: Capture) -> list[str]:
    """Flags read from the capture itself (pure, on the request path)."""
    samples = fraud.parse_samples(getattr(capture, "gps_samples", "") or "")
    return [fraud.NO_GPS_JITTER] if fraud.has_no_jitter(samples) else []


class OfflineCapture(Capture, Protocol):
    """A check-in captured without signal, sent later in a batch with the device's capture time."""

    @property
    def captured_at(self) -> dt.datetime: ...


def current_employee(user: Any, claimed_id: int | None = None) -> Employee:
    """The employee behind the signed-in account; refuses to act for anyone else."""
    emp = employee_of(user) if user.pk is not None else None  # token auth loaded it already
    if emp is None:
        raise NotAllowed(_("Akun Anda tidak terhubung dengan data pegawai."), code="no_employee")
    if claimed_id is not None and claimed_id != emp.pk:
        raise NotAllowed(_("Anda hanya dapat melakukan presensi untuk diri sendiri."), field="employee_id",
                         code="not_self")
    if not emp.is_active:
        raise NotAllowed(_("Data pegawai Anda tidak aktif."), code="employee_inactive")
    return emp


def check_in(user: Any, capture: Capture, photo: UploadedFile | None = None) -> tuple[CheckIn, bool]:
    """One online check-in by the signed-in employee: (the stored check-in, whether it is new)."""
    emp = current_employee(user, capture.employee_id)
    return record_checkin(CheckInAttempt(
        employee=emp, kind=capture.kind, source=CheckInSource.MOBILE, client_uuid=capture.client_uuid,
        client_time=capture.client_time, latitude=capture.latitude, longitude=capture.longitude,
        accuracy_m=capture.accuracy_m, mock_location=capture.mock_location, device_id=capture.device_id,
        photo=photo, flags=capture_flags(capture),
    ))


def check_in_offline(user: Any, captures: Sequence[OfflineCapture],
                     sent_at: dt.datetime | None) -> list[tuple[CheckIn, bool]]:
    """A batch captured offline by the signed-in employee, all or nothing for the input's own faults: one
    employee, no client_uuid twice. A device whose clock is off by more than the allowance tells us so via
    `sent_at`; its capture times are shifted by that offset (the phone's own times are kept as client_time)."""
    claimed = {c.employee_id for c in captures if c.employee_id is not None}
    emp = current_employee(user, claimed.pop() if len(claimed) == 1 else None)
    if claimed:  # more than one distinct employee_id in one batch
        raise NotAllowed(_("Anda hanya dapat melakukan presensi untuk diri sendiri."), field="employee_id",
                         code="not_self")
    seen: set[uuid.UUID] = set()
    for index, capture in enumerate(captures):
        if capture.client_uuid in seen:
            raise Unprocessable(_("client_uuid ganda di dalam batch (item %(n)d).") % {"n": index + 1},
                                field=f"items.{index}.client_uuid", code="duplicate_uuid")
        seen.add(capture.client_uuid)
    offset = dt.timedelta(0)
    if sent_at is not None:
        measured = sent_at - timezone.now()
        if abs(measured) > clock_skew_allowance():
            offset = measured
    return record_many([
        CheckInAttempt(
            employee=emp, kind=c.kind, source=CheckInSource.OFFLINE, client_uuid=c.client_uuid,
            occurred_at=c.captured_at - offset, client_time=c.captured_at, latitude=c.latitude,
            longitude=c.longitude, accuracy_m=c.accuracy_m, mock_location=c.mock_location, device_id=c.device_id,
            flags=capture_flags(c),
        )
        for c in captures
    ])


def attach_offline_photo(user: Any, client_uuid: uuid.UUID, photo: UploadedFile) -> CheckIn:
    """The selfie of a check-in captured offline, sent once the check-in itself is stored (the batch is JSON):
    only by its employee (404 otherwise), only for an offline check-in (409), once (409)."""
    emp = current_employee(user)
    row = CheckIn.objects.filter(client_uuid=client_uuid, employee=emp).first()
    if row is None:
        raise NotFound(_("Presensi tidak ditemukan."), field="client_uuid", code="not_found")
    if row.source != CheckInSource.OFFLINE:
        raise Conflict(_("Swafoto susulan hanya untuk presensi luring."), code="not_offline")
    if row.photo:
        raise Conflict(_("Presensi ini sudah memiliki swafoto."), code="photo_exists")
    content = clean_photo(photo)  # 413/422 before anything is stored
    row.photo.save(content.name or "swafoto.jpg", content, save=False)
    if not CheckIn.objects.filter(pk=row.pk, photo="").update(photo=row.photo.name):
        row.photo.storage.delete(str(row.photo.name))  # a concurrent upload won
        raise Conflict(_("Presensi ini sudah memiliki swafoto."), code="photo_exists")
    transaction.on_commit(lambda: checkin_photo_added.send(sender=CheckIn, checkin=row))
    return row


@dataclass
class Today:
    workday: WorkDay
    status: DailyStatus | None  # None: nothing recorded yet
    checkins: QuerySet[CheckIn]  # in time order
    locations: list[WorkLocation]


def today(user: Any) -> Today:
    """The signed-in employee's current work day, its status so far, its check-ins and the work locations."""
    emp = current_employee(user)
    workday, locations = pipeline.workday_now(emp, timezone.now())
    status = next(iter(DailyStatus.objects.filter(employee=emp, date=workday.date).only(*STATUS_SHOWN_FIELDS)),
                  None)
    checkins = (CheckIn.objects.filter(employee=emp, local_date=workday.date).select_related("location")
                .only(*CHECKIN_SHOWN_FIELDS).order_by("occurred_at"))
    return Today(workday, status, checkins, locations)


def checkins_on(user: Any, day: dt.date | None) -> QuerySet[CheckIn]:
    """The signed-in employee's check-ins (rejected ones too) of one work day; by default the current one."""
    emp = current_employee(user)
    if day is None:
        day = workday_at(emp, timezone.now()).date
    rows = CheckIn.objects.filter(employee=emp, local_date=day).select_related("location").order_by("occurred_at")
    return rows[:MAX_CHECKINS_LISTED]


def parse_month(value: str | None, today_: dt.date) -> tuple[dt.date, dt.date]:
    """'YYYY-MM' → (first day, first day of the next month). Raises Unprocessable (422) for anything else."""
    if value is None or value == "":
        first = today_.replace(day=1)
    else:
        m = MONTH_RE.match(value)
        if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
            raise Unprocessable(_("Bulan harus berformat YYYY-MM, mis. 2026-11."), field="month", code="bad_month")
        first = dt.date(int(m.group(1)), int(m.group(2)), 1)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following


def month_history(user: Any, month: str | None) -> tuple[dt.date, list[DailyStatus]]:
    """The signed-in employee's daily statuses of one month (by default this one): (its first day, the rows)."""
    emp = current_employee(user)
    today_ = timezone.localdate(timezone.now())
    first, following = parse_month(month, today_)
    if first > today_:
        raise Unprocessable(_("Bulan tidak boleh di masa depan."), field="month", code="future_month")
    rows = DailyStatus.objects.filter(employee=emp, date__gte=first, date__lt=following).order_by("date")
    return first, list(rows)
