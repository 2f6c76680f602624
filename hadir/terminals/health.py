"""Terminal health: terminal-down days and offline alerts.

A terminal "reported during office hours" when it talked to us in any local hour that overlaps the
office hours of that date (TerminalActivity keeps one bit per local hour). Office hours come from the
schedules app (workday_for of an employee working at the terminal's location); while
that is unavailable: Monday–Friday except Indonesian national holidays, HADIR_TERMINAL_OFFICE_HOURS.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import holidays
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.org.models import Employee
from hadir.schedules.services import workday_for

from .conf import default_office_hours, offline_minutes
from .models import Terminal, TerminalActivity, TerminalDownDay, TerminalStatus
from .services import notify_operators

log = logging.getLogger(__name__)


def office_hours_mask(start: dt.time, end: dt.time) -> int:
    """Bits of the local hours h whose [h:00, h+1:00) overlaps [start, end)."""
    mask = 0
    for h in range(24):
        if dt.time(h) < end and (h == 23 or start < dt.time(h + 1)) and start < end:
            mask |= 1 << h
    return mask


def reported_during(hours_mask: int, start: dt.time, end: dt.time) -> bool:
    return bool(hours_mask & office_hours_mask(start, end))


def _fallback_hours(day: dt.date) -> tuple[dt.time, dt.time] | None:
    if day.weekday() >= 5 or day in holidays.country_holidays("ID", years=day.year):
        return None
    return default_office_hours()


def office_hours(terminal: Terminal, day: dt.date) -> tuple[dt.time, dt.time] | None:
    """Office hours (local) at the terminal's location on `day`, or None when not a working day."""
    employees = Employee.objects.active_on(day)
    emp = None
    if terminal.location_id:
        emp = employees.filter(locations=terminal.location_id).order_by("pk").first()
    if emp is None and terminal.unit_id and terminal.unit:
        emp = employees.filter(unit__path__startswith=terminal.unit.path).order_by("pk").first()
    if emp is None:
        return _fallback_hours(day)
    try:
        wd = workday_for(emp, day, terminal.location)
    except Exception:  # the schedule of one employee must not stop the health check
        log.exception("workday_for failed for terminal %s", terminal.serial_number)
        return _fallback_hours(day)
    if not wd.is_working_day or wd.start is None or wd.end is None:
        return None
    tz = terminal.tzinfo
    start, end = wd.start.astimezone(tz), wd.end.astimezone(tz)
    end_time = end.time() if end.date() == start.date() else dt.time(23, 59, 59)
    return start.time(), end_time


def detect_down_days(day: dt.date | None = None, now: dt.datetime | None = None) -> list[TerminalDownDay]:
    """Record each active terminal's down day for `day` (default: yesterday in its zone). Idempotent."""
    now = now or timezone.now()
    made: list[TerminalDownDay] = []
    terminals = Terminal.objects.filter(status=TerminalStatus.ACTIVE, unit__isnull=False).select_related(
        "unit", "location")
    for terminal in terminals:
        tz = terminal.tzinfo
        local_now = now.astimezone(tz)
        d = day or (local_now.date() - dt.timedelta(days=1))
        if terminal.activated_at and terminal.activated_at.astimezone(tz).date() > d:
            continue
        if TerminalDownDay.objects.filter(terminal=terminal, date=d).exists():
            continue
        hours = office_hours(terminal, d)
        if hours is None:
            continue
        start, end = hours
        if dt.datetime.combine(d, end, tzinfo=tz) > local_now:
            continue  # office hours not over yet
        activity = TerminalActivity.objects.filter(terminal=terminal, date=d).first()
        if activity is not None and reported_during(activity.hours_mask, start, end):
            continue
        assert terminal.unit is not None
        opd = terminal.unit.opd or terminal.unit
        row, created = TerminalDownDay.objects.get_or_create(
            terminal=terminal, date=d,
            defaults={"opd": opd, "office_start": start, "office_end": end, "last_seen": terminal.last_seen},
        )
        if created:
            made.append(row)
            notify_operators(
                terminal,
                _("Mesin absensi %(name)s tidak melapor pada %(date)s") % {
                    "name": terminal.name or terminal.serial_number, "date": d.isoformat()},
                _("Mesin absensi %(name)s (SN %(sn)s) tidak mengirim data selama jam kerja "
                  "%(start)s–%(end)s. Hari ini dicatat sebagai hari mesin mati untuk %(opd)s.") % {
                    "name": terminal.name or terminal.serial_number, "sn": terminal.serial_number,
                    "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"), "opd": opd.name},
                url=reverse("terminals:opd", args=[opd.pk]),
            )
    return made


def in_office_hours(terminal: Terminal, now: dt.datetime) -> bool:
    local = now.astimezone(terminal.tzinfo)
    hours = office_hours(terminal, local.date())
    return hours is not None and hours[0] <= local.time() < hours[1]


def alert_offline(now: dt.datetime | None = None) -> list[Terminal]:
    """Tell the operators once per silence when an active terminal is offline during office hours."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=offline_minutes())
    alerted: list[Terminal] = []
    candidates = Terminal.objects.filter(status=TerminalStatus.ACTIVE, unit__isnull=False,
                                         offline_alerted_at__isnull=True).select_related("unit", "location")
    for terminal in candidates:
        seen: Any = terminal.last_seen or terminal.activated_at
        if seen is None or seen > cutoff or not in_office_hours(terminal, now):
            continue
        last = timezone.localtime(terminal.last_seen, terminal.tzinfo).strftime("%d/%m/%Y %H:%M") \
            if terminal.last_seen else _("belum pernah")
        assert terminal.unit is not None
        opd = terminal.unit.opd or terminal.unit
        notify_operators(
            terminal,
            _("Mesin absensi %(name)s luring") % {"name": terminal.name or terminal.serial_number},
            _("Mesin absensi %(name)s (SN %(sn)s) tidak terhubung sejak %(last)s. Periksa listrik dan "
              "jaringannya.") % {"name": terminal.name or terminal.serial_number, "sn": terminal.serial_number,
                                  "last": last},
            url=reverse("terminals:opd", args=[opd.pk]),
        )
        Terminal.objects.filter(pk=terminal.pk).update(offline_alerted_at=now)
        alerted.append(terminal)
    return alerted
