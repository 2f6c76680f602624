"""The end-of-day job (Celery task) and the `hadir close_day` command."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from hadir.org.models import Employee
from hadir.presence import tasks
from hadir.presence.models import CheckIn, DailyStatus
from hadir.testing import Clock, Org, make_employee, make_location

WIB = ZoneInfo("Asia/Jakarta")
MON = dt.date(2026, 11, 23)
TUE = dt.date(2026, 11, 24)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _close_settings(settings: Any) -> None:
    settings.HADIR_DAY_CLOSE_GRACE_MINUTES = 60
    settings.HADIR_CLOSE_LOOKBACK_DAYS = 2


def utc(y: int, mo: int, d: int, h: int, m: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, m, tzinfo=dt.UTC)


def statuses(day: dt.date) -> dict[int, tuple[str, bool]]:
    return {e: (s, c) for e, s, c in DailyStatus.objects.filter(date=day).values_list("employee_id", "status",
                                                                                       "closed")}


def test_job_opens_the_day_then_closes_each_zone_after_its_midnight(org: Org, clock: Clock) -> None:
    jayapura = make_location(org.disdik, -2.53, 140.71, tz="Asia/Jayapura", name="Kantor WIT")
    papua = make_employee(org.disdik, "Pegawai WIT", locations=[jayapura])
    CheckIn.objects.create(employee=org.staf, kind="masuk", occurred_at=dt.datetime(2026, 11, 23, 7, 10, tzinfo=WIB),
                           local_date=MON, verdict="accepted")

    def run(now: dt.datetime) -> dict[str, int]:
        clock.set(now)
        return tasks.close_due_days(now)

    # Monday 06:00 WIB: rows for everyone, all "belum"
    done = run(utc(2026, 11, 22, 23))
    assert done.get("2026-11-23 (buka)") == Employee.objects.count()
    st = statuses(MON)
    assert st.pop(org.staf.pk) == ("hadir", False)
    assert set(st.values()) == {("belum", False)}
    assert run(utc(2026, 11, 22, 23, 15)) == {}  # nothing new, nothing due: the run is (almost) free

    # Tuesday 00:30 WIT: midnight passed in the east but not the grace hour — Monday is left alone
    assert "2026-11-23" not in run(utc(2026, 11, 23, 15, 30))
    assert statuses(MON)[papua.pk] == ("belum", False)

    # Tuesday 01:30 WIT = 23:30 WIB Monday: WIT's Monday is closed, WIB's not yet
    run(utc(2026, 11, 23, 16, 30))
    st = statuses(MON)
    assert st[papua.pk] == ("tk", True)
    assert st[org.guru.pk] == ("belum", False)
    assert st[org.staf.pk] == ("hadir", False)

    # Tuesday 01:05 WIB: everybody's Monday is closed
    run(utc(2026, 11, 23, 18, 5))
    st = statuses(MON)
    assert st[org.guru.pk] == ("tk", True)
    staf = DailyStatus.objects.get(employee=org.staf, date=MON)
    assert staf.closed and staf.missing_out and staf.early_category == "PSW4" and staf.status == "psw"
    assert set(statuses(TUE)) == set(Employee.objects.values_list("id", flat=True))  # Tuesday opened
    # next run: Monday is fully closed, so it is not recomputed again
    assert "2026-11-23" not in run(utc(2026, 11, 23, 18, 20))


def test_celery_task_is_registered_and_scheduled(settings: Any) -> None:
    from hadir.celery import app

    assert "hadir.presence.close_days" in app.tasks
    entry = settings.CELERY_BEAT_SCHEDULE["presence-close-days"]
    assert entry["task"] == "hadir.presence.close_days" and float(entry["schedule"]) <= 900


def test_close_day_command(org: Org) -> None:
    out = io.StringIO()
    call_command("close_day", "--date", "2026-11-23", "--unit", "DISDIK", "--recompute-only", stdout=out)
    assert "2 pegawai dihitung ulang" in out.getvalue()
    assert {s for s, _ in statuses(MON).values()} <= {"belum", "tk"}
    call_command("close_day", "--date", "2026-11-23", stdout=out)
    assert len(statuses(MON)) == Employee.objects.count()
    assert set(statuses(MON).values()) == {("tk", True)}
    with pytest.raises(CommandError, match="Tanggal tidak valid"):
        call_command("close_day", "--date", "23-11-2026")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("close_day", "--date", "2026-11-23", "--unit", "TIDAK-ADA")


def test_job_does_not_close_days_that_were_never_opened(org: Org, clock: Clock) -> None:
    now = utc(2026, 11, 25, 3)  # Wednesday 10:00 WIB, first run after go-live
    clock.set(now)
    done = tasks.close_due_days(now)
    assert [k for k in done if not k.startswith("libur nasional")] == ["2026-11-25 (buka)"]
    assert not DailyStatus.objects.filter(date__lt=dt.date(2026, 11, 25)).exists()


def test_job_brings_the_national_calendar_on_a_fresh_install(org: Org, clock: Clock) -> None:
    """Without `hadir import_holidays`, Christmas and Idul Fitri must still be days off."""
    from hadir.schedules.models import Holiday
    from hadir.schedules.services import workdays_for

    Holiday.objects.all().delete()
    now = utc(2026, 12, 1, 23)
    clock.set(now)
    done = tasks.close_due_days(now)
    assert done["libur nasional 2026"] == 1 and done["libur nasional 2027"] == 1
    christmas = workdays_for([org.staf.pk], dt.date(2026, 12, 25))[org.staf.pk]
    assert not christmas.is_working_day and "Natal" in christmas.holiday_name
    assert Holiday.objects.filter(date__year=2027, name__icontains="Idul Fitri").exists()
    # an admin's cancellation stays: the year is there, nothing is imported again
    Holiday.objects.filter(date=dt.date(2026, 12, 25)).update(is_active=False)
    assert "libur nasional 2026" not in tasks.close_due_days(now)
    assert not Holiday.objects.get(date=dt.date(2026, 12, 25), imported=True, name__icontains="Natal").is_active
