"""Scheduled recaps: the previous week to each OPD head on a Monday, the previous month to heads and BKPSDM on the
1st — inbox and e-mail with the workbook attached; idempotent, switchable, and an OPD without a head is skipped."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from openpyxl import load_workbook

from hadir.approvals.models import Delegation, DelegationKind
from hadir.notify.models import Notification
from hadir.presence.models import DailyStatus
from hadir.reports import tasks
from hadir.reports.schedule import previous_month, previous_week
from hadir.testing import Org, make_employee

pytestmark = pytest.mark.django_db

Run = Callable[..., int]


def put(emp: Any, day: dt.date, status: str, **kw: Any) -> None:
    DailyStatus.objects.create(employee=emp, date=day, status=status, closed=True,
                               is_working_day=status != "libur", **kw)


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Run:
    """Run a task as the beat would, delivering its e-mails (after commit, the task queue is eager in tests)."""
    def go(task: Any, day: str | None = None) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return int(task(day))
    return go


@pytest.fixture
def regency(org: Org) -> Iterator[Org]:
    for who, address in ((org.kadis, "kadis@dinkes.example.go.id"), (org.kadisdik, "kadis@disdik.example.go.id")):
        assert who.user is not None
        who.user.email = address
        who.user.save()
    org.admin_bkpsdm.email = "rekap@bkpsdm.example.go.id"
    org.admin_bkpsdm.save()
    # the week of 5–11 October 2026 for Dewi (Dinkes): one late day (TL2), one TK, one cuti
    week = [dt.date(2026, 10, d) for d in range(5, 12)]
    extras: list[dict[str, Any]] = [{}, {"late_minutes": 45, "late_category": "TL2"}, {}, {"excuse_ref": "CUTI-1"},
                                    {}, {}, {}]
    for day, status, extra in zip(week, ["hadir", "terlambat", "tk", "cuti", "hadir", "libur", "libur"], extras,
                                  strict=True):
        put(org.staf, day, status, **extra)
    put(org.staf, dt.date(2026, 10, 12), "tk")  # the Monday of the run: not in the previous week
    put(org.staf, dt.date(2026, 10, 1), "tk")   # earlier in the month: only in the monthly recap
    put(org.guru, dt.date(2026, 10, 6), "tk")
    yield org


def sheet_of(message: Any) -> tuple[str, Any]:
    (name, content, mimetype), = message.attachments
    assert mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return name, load_workbook(io.BytesIO(content))


def cells_of(ws: Any, nip: str | None) -> dict[str, Any]:
    header = [c.value for c in ws[6]]
    row = next(r for r in ws.iter_rows(min_row=7, values_only=True) if r[1] == nip)
    return dict(zip(header, row, strict=False))


@pytest.mark.parametrize(("today", "week", "month"), [
    (dt.date(2026, 10, 12), (dt.date(2026, 10, 5), dt.date(2026, 10, 11)), (dt.date(2026, 9, 1), dt.date(2026, 9, 30))),
    (dt.date(2026, 10, 14), (dt.date(2026, 10, 5), dt.date(2026, 10, 11)), (dt.date(2026, 9, 1), dt.date(2026, 9, 30))),
    (dt.date(2026, 11, 1), (dt.date(2026, 10, 19), dt.date(2026, 10, 25)), (dt.date(2026, 10, 1), dt.date(2026, 10, 31))),
    (dt.date(2027, 1, 1), (dt.date(2026, 12, 21), dt.date(2026, 12, 27)), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
    (dt.date(2028, 3, 1), (dt.date(2028, 2, 21), dt.date(2028, 2, 27)), (dt.date(2028, 2, 1), dt.date(2028, 2, 29))),
])
def test_periods(today: dt.date, week: tuple[dt.date, dt.date], month: tuple[dt.date, dt.date]) -> None:
    assert previous_week(today) == week and previous_month(today) == month


def test_a_monday_sends_each_head_the_previous_week_of_their_opd(regency: Org, run: Run) -> None:
    assert run(tasks.send_weekly_recap, "2026-10-12") == 2
    inbox = {n.user.username: n for n in Notification.objects.select_related("user")}
    assert set(inbox) == {"kadis", "kadisdik"}  # heads only: no operator, no BKPSDM on the weekly
    kadis = inbox["kadis"]
    assert kadis.subject == "Rekap kehadiran mingguan Dinas Kesehatan — 5 Oktober 2026 s.d. 11 Oktober 2026"
    assert "Hari tanpa keterangan (TK): 1" in kadis.body and "terlambat: 1" in kadis.body
    assert kadis.url == f"/api/reports/recap.xlsx?start=2026-10-05&end=2026-10-11&opd_id={regency.dinkes.pk}"

    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"kadis@dinkes.example.go.id", "kadis@disdik.example.go.id"}
    name, wb = sheet_of(by_to["kadis@dinkes.example.go.id"])
    assert name == "rekap-dinkes-20261005-20261011.xlsx"
    assert wb.sheetnames == ["Dinas Kesehatan", "Keterangan"]  # their OPD only
    ws = wb["Dinas Kesehatan"]
    assert ws["A3"].value == "OPD: Dinas Kesehatan"
    assert ws["D4"].value == "5 Oktober 2026 – 11 Oktober 2026"
    dewi = cells_of(ws, regency.staf.nip)
    # Mon–Fri working: hadir, terlambat (TL2, 45 min), TK, cuti, hadir; the TK on the 1st and the 12th are outside
    assert (dewi["Hari kerja"], dewi["Hadir"], dewi["Terlambat"], dewi["TL2"], dewi["TK"], dewi["Cuti"],
            dewi["Menit terlambat"]) == (5, 2, 1, 1, 1, 1, 45)
    assert dewi["Tingkat kehadiran (%)"] == 75.0  # 3 attended of 4 (cuti is excused)
    _name, disdik = sheet_of(by_to["kadis@disdik.example.go.id"])
    assert disdik.sheetnames == ["Dinas Pendidikan", "Keterangan"]
    assert cells_of(disdik["Dinas Pendidikan"], regency.guru.nip)["TK"] == 1


def test_the_first_sends_the_previous_month_to_heads_and_bkpsdm(regency: Org, run: Run) -> None:
    assert run(tasks.send_monthly_recap, "2026-11-01") == 3
    inbox = {n.user.username: n for n in Notification.objects.select_related("user")}
    assert set(inbox) == {"kadis", "kadisdik", "bkpsdm"}
    assert inbox["bkpsdm"].subject == "Rekap kehadiran bulanan Pemerintah Kabupaten Contoh — Oktober 2026"
    assert "Hari tanpa keterangan (TK): 4" in inbox["bkpsdm"].body  # Dewi 3 (1st, 7th, 12th), Rina 1
    by_to = {m.to[0]: m for m in mail.outbox}
    name, wb = sheet_of(by_to["rekap@bkpsdm.example.go.id"])
    assert name == "rekap-kabupaten-20261001-20261031.xlsx"
    assert wb.sheetnames == ["Rekap OPD", "Dinas Kesehatan", "Dinas Pendidikan", "Keterangan"]  # the regency
    ws = wb["Dinas Kesehatan"]
    assert ws["A3"].value == "OPD: Dinas Kesehatan"
    assert ws["D4"].value == "1 Oktober 2026 – 31 Oktober 2026"
    dewi = cells_of(ws, regency.staf.nip)
    assert dewi["TK"] == 3 and [dewi[str(d)] for d in (1, 5, 6, 7, 12)] == ["TK", "H", "T2", "TK", "TK"]
    _name, head = sheet_of(by_to["kadis@dinkes.example.go.id"])
    assert head.sheetnames == ["Dinas Kesehatan", "Keterangan"]
    assert cells_of(head["Dinas Kesehatan"], regency.staf.nip)["TK"] == 3


def test_a_rerun_sends_nothing_new(regency: Org, run: Run) -> None:
    assert run(tasks.send_weekly_recap, "2026-10-12") == 2
    assert run(tasks.send_monthly_recap, "2026-10-01") == 3  # September's
    sent = len(mail.outbox)
    assert run(tasks.send_weekly_recap, "2026-10-12") == 0
    assert run(tasks.send_weekly_recap, "2026-10-15") == 0  # any day of the same week: the same period
    assert run(tasks.send_monthly_recap, "2026-10-01") == 0
    assert len(mail.outbox) == sent and Notification.objects.count() == 5
    assert run(tasks.send_weekly_recap, "2026-10-19") == 2  # the next week is new


@pytest.mark.parametrize(("setting", "task", "day"), [
    ("HADIR_RECAP_WEEKLY", tasks.send_weekly_recap, "2026-10-12"),
    ("HADIR_RECAP_MONTHLY", tasks.send_monthly_recap, "2026-11-01"),
])
def test_a_switched_off_recap_sends_nothing(regency: Org, run: Run, settings: Any, setting: str, task: Any,
                                           day: str) -> None:
    setattr(settings, setting, False)
    assert run(task, day) == 0
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_recipients_are_configurable(regency: Org, run: Run, settings: Any) -> None:
    settings.HADIR_RECAP_WEEKLY_TO = ["heads", "bkpsdm"]
    settings.HADIR_RECAP_MONTHLY_TO = ["bkpsdm"]
    assert run(tasks.send_weekly_recap, "2026-10-12") == 3
    assert run(tasks.send_monthly_recap, "2026-11-01") == 1
    assert sorted(Notification.objects.filter(key__contains="2026-10-31").values_list("user__username",
                                                                                      flat=True)) == ["bkpsdm"]


def test_an_opd_without_head_is_skipped_and_a_plt_stands_in(regency: Org, run: Run,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    p_kadisdik = regency.kadisdik.position
    assert p_kadisdik is not None
    regency.kadisdik.position = None
    regency.kadisdik.save()
    with caplog.at_level(logging.WARNING, logger="hadir.reports.schedule"):
        assert run(tasks.send_weekly_recap, "2026-10-12") == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["kadis"]
    assert "Dinas Pendidikan has no head" in caplog.text
    # a Plt appointed for the vacant head position receives the next recap
    plt = make_employee(regency.disdik, "Sri Wahyuni, M.Pd", username="plt_disdik")
    Delegation.objects.create(position=p_kadisdik, delegate=plt, kind=DelegationKind.PLT,
                              start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 12, 31))
    assert run(tasks.send_weekly_recap, "2026-10-19") == 2
    assert Notification.objects.filter(user__username="plt_disdik", key__contains=":2026-10-12:").exists()


@pytest.mark.parametrize(("instant", "weekly", "monthly"), [
    (dt.datetime(2026, 10, 11, 23, 0, tzinfo=dt.UTC), 2, 0),   # Monday 12 Oct, 06:00 WIB
    (dt.datetime(2026, 10, 12, 23, 0, tzinfo=dt.UTC), 0, 0),   # Tuesday 13 Oct in WIB
    (dt.datetime(2026, 10, 31, 23, 0, tzinfo=dt.UTC), 0, 3),   # Sunday 1 Nov, 06:00 WIB
    (dt.datetime(2026, 10, 30, 23, 0, tzinfo=dt.UTC), 0, 0),   # 31 Oct in WIB: the beat fires, the task waits
])
def test_the_beat_runs_act_on_the_local_date(regency: Org, run: Run, instant: dt.datetime, weekly: int,
                                            monthly: int) -> None:
    from hadir.testing import Clock

    with Clock(instant):
        assert (run(tasks.send_weekly_recap), run(tasks.send_monthly_recap)) == (weekly, monthly)
