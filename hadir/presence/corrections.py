"""Koreksi presensi: the rules for a correction and what an approved one does to the day.

Filing and deciding go through the approval tiers (hadir.approvals.corrections, a higher layer); this module
holds what presence owns: whether a correction can be asked for at all (`correction_problems`, a pure rule), and
turning an approved one into a check-in of source "manual" (`apply_correction`), stored like any other with its
outbox row, so the daily status follows through the one refresh path.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import Conflict

from .hotpath import insert_checkin
from .models import CheckIn, CheckInKind, CheckInSource, Correction, CorrectionStatus, Validity, Verdict
from .outbox import request_drain

CORRECTION_KINDS = (CheckInKind.MASUK, CheckInKind.PULANG)
_NAMESPACE = uuid.UUID("8a6c2a4e-7d0b-4f55-9c1e-0b3c6f1d9e21")  # client_uuid of the check-in a correction makes


def backdate_days() -> int:
    """How many days back a correction may still be filed (HADIR_CORRECTION_BACKDATE_DAYS, default 30)."""
    return int(getattr(settings, "HADIR_CORRECTION_BACKDATE_DAYS", 30))


def correction_problems(day: dt.date, kind: str, today: dt.date, *, backdate: int) -> list[tuple[str, str]]:
    """(field, message) for every reason the correction cannot be asked for; [] when it can."""
    problems: list[tuple[str, str]] = []
    if kind not in CORRECTION_KINDS:
        problems.append(("kind", _("Koreksi hanya untuk presensi masuk atau pulang.")))
    if day > today:
        problems.append(("date", _("Tanggal koreksi tidak boleh di masa depan.")))
    elif day < today - dt.timedelta(days=backdate):
        problems.append(("date", _("Koreksi paling lambat %(n)d hari setelah tanggalnya.") % {"n": backdate}))
    return problems


def _zone(correction: Correction) -> zoneinfo.ZoneInfo:
    location = correction.employee.locations.filter(is_active=True).order_by("pk").first()
    return zoneinfo.ZoneInfo(location.timezone if location else settings.TIME_ZONE)


def apply_correction(correction: Correction, by: Any, reason: str = "") -> CheckIn:
    """An approved correction becomes a check-in of source "manual" at its local time (valid: the atasan approved
    it), stored with its outbox row; the correction is marked approved. Idempotent per correction."""
    if correction.status != CorrectionStatus.PENDING:
        raise Conflict(_("Koreksi ini sudah %(status)s.") % {"status": correction.get_status_display().lower()},
                       code="already_decided")
    zone = _zone(correction)
    at = dt.datetime.combine(correction.date, correction.time, tzinfo=zone)
    location = correction.employee.locations.filter(is_active=True).order_by("pk").first()
    now = timezone.now()
    row = CheckIn(
        client_uuid=uuid.uuid5(_NAMESPACE, str(correction.pk)), employee=correction.employee, kind=correction.kind,
        source=CheckInSource.MANUAL, occurred_at=at, client_time=None, local_date=correction.date,
        location=location, verdict=Verdict.ACCEPTED, reason_code="correction",
        reason=(_("Koreksi presensi: %(reason)s") % {"reason": correction.reason})[:300], fraud_flags=[],
        validity=Validity.VALID, validated_by=by if getattr(by, "is_authenticated", False) else None,
        validated_at=now, validity_reason=reason[:300],
    )
    with transaction.atomic():
        insert_checkin(row)
        correction.status, correction.checkin = CorrectionStatus.APPROVED, row
        correction.decided_by = row.validated_by
        correction.decided_at, correction.decision_reason = now, reason[:300]
        correction.save(update_fields=["status", "checkin", "decided_by", "decided_at", "decision_reason"])
        transaction.on_commit(request_drain)
    return row


def reject_correction(correction: Correction, by: Any, reason: str) -> None:
    if correction.status != CorrectionStatus.PENDING:
        raise Conflict(_("Koreksi ini sudah %(status)s.") % {"status": correction.get_status_display().lower()},
                       code="already_decided")
    correction.status = CorrectionStatus.REJECTED
    correction.decided_by = by if getattr(by, "is_authenticated", False) else None
    correction.decided_at, correction.decision_reason = timezone.now(), reason[:300]
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
