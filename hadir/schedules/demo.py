"""Demo data: holidays, Ramadan, 6-day schools, an RSUD shift roster for this month."""

from __future__ import annotations

import calendar
import datetime as dt
import random

from hadir.org.models import Employee, Unit, UnitKind

from .holiday_calendar import ensure_ramadan_period, import_national_holidays
from .models import Holiday, HolidayKind, PatternAssignment, Shift, ShiftAssignment, WorkPattern
from .services import bump_revision

# RSUD sub-units whose staff work around the clock; the RSUD's administration keeps office hours.
ROSTER_UNIT_WORDS = ("Keperawatan", "Pelayanan Medik", "Penunjang Medik")
# a 7-day rotation: two mornings, two afternoons, one night, then the day after the night and a day off
ROTATION = ["pagi", "pagi", "siang", "siang", "malam", None, None]


def seed(rng: random.Random, today: dt.date) -> list[str]:
    years = [today.year, today.year + 1]
    imported = import_national_holidays(years)
    ramadan = [p for p in (ensure_ramadan_period(y) for y in years) if p is not None]
    pemda = Unit.objects.filter(kind=UnitKind.PEMDA).first()
    local, _ = Holiday.objects.get_or_create(
        date=dt.date(today.year, 3, 2), name="Hari Jadi Kabupaten Contoh", unit=None,
        defaults={"kind": HolidayKind.LOCAL},
    )
    lines = [
        f"{imported.created} libur nasional & cuti bersama {years[0]}–{years[1]} dari paket holidays; "
        f"libur daerah: {local.name} ({local.date:%d-%m-%Y})",
        *(f"periode Ramadan (perkiraan) {p.start:%d-%m-%Y} s.d. {p.end:%d-%m-%Y}" for p in ramadan),
    ]

    six = WorkPattern.objects.get(code="sekolah-6-hari")
    schools = list(Unit.objects.filter(kind=UnitKind.SEKOLAH))
    PatternAssignment.objects.bulk_create([PatternAssignment(pattern=six, unit=u) for u in schools])
    lines.append(f"pola 6 hari kerja untuk {len(schools)} sekolah; pola bawaan Perpres 21/2023 untuk unit lain")

    shift_pattern = WorkPattern.objects.get(code="shift-24-jam")
    rsud_units = [u for u in Unit.objects.filter(opd__kind=UnitKind.RSUD)
                  if any(w in u.name for w in ROSTER_UNIT_WORDS)]
    PatternAssignment.objects.bulk_create([PatternAssignment(pattern=shift_pattern, unit=u) for u in rsud_units])
    shifts = {s.code: s for s in Shift.objects.filter(unit__isnull=True)}
    staff = list(Employee.objects.filter(unit__in=rsud_units, is_active=True).values_list("id", flat=True))
    first = today.replace(day=1)
    days = [first + dt.timedelta(days=i) for i in range(calendar.monthrange(today.year, today.month)[1])]
    roster = []
    for emp_id in staff:
        offset = rng.randrange(len(ROTATION))
        for i, day in enumerate(days):
            code = ROTATION[(i + offset) % len(ROTATION)]
            roster.append(ShiftAssignment(employee_id=emp_id, date=day, shift=shifts[code] if code else None))
    ShiftAssignment.objects.bulk_create(roster, batch_size=5000, ignore_conflicts=True)
    bump_revision()
    if pemda is not None and rsud_units:
        lines.append(f"jadwal shift {first:%m-%Y} untuk {len(staff)} pegawai RSUD "
                     f"({', '.join(u.name for u in rsud_units)}): {len(roster)} baris")
    return lines
