"""What the rest of Hadir reads about leave and official duty: which days an approved request excuses, and when
the geofence is lifted for duty outside the office. The daily status (hadir.presence) reads these; the
request lifecycle that produces them is in hadir.leave.services."""

from __future__ import annotations

import datetime as dt

from . import rules
from .models import LeaveRequest, LeaveStatus

# Priority when (against the overlap rule, e.g. admin data entry) two approved requests cover a day.
_STATUS_PRIORITY = {"dl": 0, "sakit": 1, "cuti": 2, "izin": 3}
_CHUNK = 900


def excuses_for(employee_ids: list[int], day: dt.date) -> dict[int, tuple[str, str]]:
    """employee_id → (DayStatus value: "cuti" | "izin" | "sakit" | "dl", reference text) for `day`,
    from APPROVED requests covering that date."""
    if not employee_ids:
        return {}
    base = LeaveRequest.objects.filter(status=LeaveStatus.APPROVED, start_date__lte=day, end_date__gte=day)
    rows: list[tuple[int, int, str, str]] = []
    fields = ("employee_id", "pk", "kind", "letter_number")
    if len(employee_ids) > _CHUNK:
        # A whole-regency recompute: one query by date (few requests cover any one day), filter in Python.
        wanted = set(employee_ids)
        rows = [r for r in base.values_list(*fields) if r[0] in wanted]
    else:
        rows = list(base.filter(employee_id__in=employee_ids).values_list(*fields))
    result: dict[int, tuple[str, str]] = {}
    for employee_id, pk, kind, letter in sorted(rows, key=lambda r: r[1]):
        status = rules.DAY_STATUS[kind]
        ref = LeaveRequest(pk=pk, kind=kind, letter_number=letter).reference
        current = result.get(employee_id)
        if current is None or _STATUS_PRIORITY[status] < _STATUS_PRIORITY[current[0]]:
            result[employee_id] = (status, ref)
    return result


def geofence_lifted(employee_id: int, day: dt.date) -> bool:
    """True when approved dinas luar / outside meeting / government activity covers that date."""
    return LeaveRequest.objects.filter(
        employee_id=employee_id, status=LeaveStatus.APPROVED, kind__in=rules.DUTY_KINDS,
        start_date__lte=day, end_date__gte=day,
    ).exists()
