"""Demo data for terminals: a fingerprint terminal in most OPD offices with a month of
heartbeat history, a few terminal-down days, two terminals offline now, this morning's pushed logs
converted through the presence pipeline, and one new terminal whose logs are held until assigned."""

from __future__ import annotations

import datetime as dt
import random

import holidays
from django.utils import timezone

from hadir.org.models import Employee, Unit, UnitKind, WorkLocation

from . import protocol, services
from .models import (
    AttLog,
    AttLogState,
    CommandStatus,
    Terminal,
    TerminalActivity,
    TerminalCommand,
    TerminalDownDay,
    TerminalStatus,
)

MODELS = ["SpeedFace-V5L", "MB460", "iFace 302", "X100-C", "K40 Pro"]
MAX_LINES_TODAY = 150  # each becomes a check-in through the pipeline: keeps the seed under its time budget


def _working(day: dt.date, id_holidays: holidays.HolidayBase) -> bool:
    return day.weekday() < 5 and day not in id_holidays


def seed(rng: random.Random, today: dt.date) -> list[str]:
    now = timezone.now()
    id_holidays = holidays.country_holidays("ID", years=[today.year - 1, today.year])
    opds = list(Unit.objects.filter(parent__kind=UnitKind.PEMDA).order_by("code"))
    terminals: list[Terminal] = []
    for i, opd in enumerate(opds):
        loc = WorkLocation.objects.filter(unit=opd, is_active=True).order_by("pk").first()
        if loc is None or rng.random() < 0.25:
            continue
        terminals.append(Terminal(
            serial_number=f"CKJE2011{60000 + i:05d}", name=f"Mesin lobi {opd.name}"[:200], unit=opd, location=loc,
            timezone=loc.timezone, status=TerminalStatus.ACTIVE, activated_at=now - dt.timedelta(days=120),
            created_at=now - dt.timedelta(days=121), firmware=f"Ver 8.0.4.{rng.randint(1, 9)}",
            info={"DeviceName": rng.choice(MODELS)}, last_ip=f"10.{20 + i}.1.201",
            # its OPD LAN, and this machine for the simulator (`hadir terminals simulate`)
            ip_allowlist=f"10.{20 + i}.1.0/24, 127.0.0.1, ::1",
            attlog_stamp=str(rng.randint(10_000, 99_999)),
        ))
    Terminal.objects.bulk_create(terminals)
    terminals = list(Terminal.objects.filter(serial_number__in=[t.serial_number for t in terminals]))

    offline = set(rng.sample([t.pk for t in terminals], k=min(2, len(terminals))))
    activity: list[TerminalActivity] = []
    down: list[TerminalDownDay] = []
    office = sum(1 << h for h in range(6, 18))
    for t in terminals:
        tz = t.tzinfo
        for back in range(1, 31):
            day = today - dt.timedelta(days=back)
            if not _working(day, id_holidays):
                continue
            if rng.random() < 0.03:  # power cut / network down all day
                assert t.unit is not None
                down.append(TerminalDownDay(terminal=t, opd=t.unit.opd or t.unit, date=day,
                                            office_start=dt.time(7, 30), office_end=dt.time(16),
                                            last_seen=dt.datetime.combine(day - dt.timedelta(days=1), dt.time(17),
                                                                          tzinfo=tz)))
                continue
            activity.append(TerminalActivity(
                terminal=t, date=day, hours_mask=office,
                first_seen=dt.datetime.combine(day, dt.time(6, 0), tzinfo=tz),
                last_seen=dt.datetime.combine(day, dt.time(17, 59), tzinfo=tz),
            ))
        last_seen = now - (dt.timedelta(hours=rng.randint(3, 30)) if t.pk in offline
                           else dt.timedelta(seconds=rng.randint(5, 50)))
        Terminal.objects.filter(pk=t.pk).update(last_seen=last_seen, last_attlog_at=last_seen)
        t.last_seen = None
        services.touch(t, t.last_ip, last_seen)
    TerminalActivity.objects.bulk_create(activity, ignore_conflicts=True)
    TerminalDownDay.objects.bulk_create(down, ignore_conflicts=True)

    # The latest working day's punches at the online terminals (today's so far, or the previous day's).
    lines_total = 0
    for t in terminals:
        if t.pk in offline or lines_total >= MAX_LINES_TODAY:
            continue
        local_now = now.astimezone(t.tzinfo).replace(tzinfo=None)
        day = local_now.date()
        if not _working(day, id_holidays) or local_now.time() < dt.time(7, 0):
            day -= dt.timedelta(days=1)
            while not _working(day, id_holidays):
                day -= dt.timedelta(days=1)
        staff = list(Employee.objects.filter(locations=t.location_id, is_active=True, device_pin__isnull=False)
                     .order_by("pk").values_list("device_pin", flat=True)[:40])
        lines = []
        for pin in staff:
            if rng.random() < 0.12:
                continue  # absent, on leave, or used the app
            masuk = dt.datetime.combine(day, dt.time(7, 0)) + dt.timedelta(minutes=rng.randint(-25, 45),
                                                                           seconds=rng.randint(0, 59))
            pulang = dt.datetime.combine(day, dt.time(16, 0)) + dt.timedelta(minutes=rng.randint(-20, 70),
                                                                             seconds=rng.randint(0, 59))
            for status, punch in ((0, masuk), (1, pulang)):
                if punch < local_now:
                    parsed = protocol.parse_attlog_line(
                        f"{pin}\t{punch:%Y-%m-%d %H:%M:%S}\t{status}\t{rng.choice([1, 1, 15])}\t0")
                    if parsed is not None:
                        lines.append(parsed)
        lines = lines[: MAX_LINES_TODAY - lines_total]
        lines_total += services.store_attlog(t, lines, stamp=t.attlog_stamp)
    services.convert_queued()  # normally already done by the (eager) task after each push
    converted = AttLog.objects.filter(terminal__in=terminals, state=AttLogState.CONVERTED).count()

    # A terminal just unpacked at an OPD: registered by its first handshake, logs held until assigned.
    pending = Terminal.objects.create(serial_number="ZXP5230100123", created_at=now - dt.timedelta(hours=2),
                                      last_ip="10.99.0.17")
    services.touch(pending, pending.last_ip, now - dt.timedelta(minutes=1))
    test_time = dt.datetime.combine(today, dt.time(7, 45))
    held = services.store_attlog(pending, [p for p in (
        protocol.parse_attlog_line(f"{pin}\t{test_time + dt.timedelta(minutes=k):%Y-%m-%d %H:%M:%S}\t0\t1")
        for k, pin in enumerate(["1", "2", "3"])) if p is not None])

    if terminals:
        t = terminals[0]
        TerminalCommand.objects.create(terminal=t, command="INFO", status=CommandStatus.DONE, return_code=0,
                                       sent_at=now - dt.timedelta(days=2), done_at=now - dt.timedelta(days=2),
                                       result="CMD=INFO\nDeviceName=SpeedFace-V5L\nUserCount=212")
    return [
        f"mesin absensi: {len(terminals)} aktif ({len(offline)} luring sekarang), 1 menunggu penetapan "
        f"(SN {pending.serial_number}, {held} log ditahan)",
        f"log mesin hari kerja terakhir: {lines_total} baris, {converted} menjadi presensi; hari mesin mati 30 hari "
        f"terakhir: {len(down)}",
        "halaman kesehatan mesin: /iclock/pantau/",
    ]
