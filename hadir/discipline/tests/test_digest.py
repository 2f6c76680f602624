"""The daily absence digest to OPD heads and operators."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.core import mail

from hadir.discipline import tasks
from hadir.discipline.demo import seed
from hadir.discipline.digest import build_digests, is_probable_working_day, send_daily_digest
from hadir.notify.models import Notification
from hadir.presence import outbox
from hadir.presence.models import DailyStatus, DayStatus, DirtyDay
from hadir.testing import Org

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def _status(emp: Any, status: str, day: dt.date = MONDAY, working: bool = True) -> None:
    DailyStatus.objects.create(employee=emp, date=day, status=status, is_working_day=working)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 23), True),   # Monday
        (dt.date(2026, 11, 21), False),  # Saturday
        (dt.date(2026, 11, 22), False),  # Sunday
        (dt.date(2026, 8, 17), False),   # Hari Kemerdekaan (Monday)
        (dt.date(2026, 12, 25), False),  # Natal (Friday)
    ],
)
def test_probable_working_day(day: dt.date, expected: bool) -> None:
    assert is_probable_working_day(day) is expected


def test_digest_lists_absent_staff_per_opd(org: Org) -> None:
    _status(org.staf, DayStatus.TK)
    _status(org.staf_bidang, DayStatus.BELUM)
    _status(org.kadis, DayStatus.HADIR)
    _status(org.kabid, DayStatus.CUTI)
    _status(org.guru, DayStatus.TERLAMBAT)
    # sekretaris and kadisdik have no row on a weekday → counted as belum presensi
    digests = {d.opd.code: d for d in build_digests(MONDAY)}
    dinkes = digests["DINKES"]
    assert {(a.name, a.status) for a in dinkes.absent} == {
        ("Dewi Lestari", "tk"), ("Agus Salim", "belum"), ("Siti Aminah, S.KM", "belum"),
    }
    assert {u.username for u in dinkes.recipients} == {"kadis", "op_dinkes"}
    assert [a.name for a in digests["DISDIK"].absent] == ["Drs. Hendra Wijaya"]
    assert {u.username for u in digests["DISDIK"].recipients} == {"kadisdik", "op_disdik"}
    body = dinkes.body()
    assert "Senin, 23 November 2026" in body
    assert "Tanpa keterangan (TK) (1 orang):" in body and "Belum presensi (2 orang):" in body
    assert "Rina Marlina" not in body
    assert dinkes.url() == f"/dasbor/?opd={org.dinkes.pk}&status=absen&tanggal=2026-11-23"


def test_no_digest_on_non_working_day(org: Org) -> None:
    saturday = dt.date(2026, 11, 21)
    for emp in (org.staf, org.guru):
        _status(emp, DayStatus.LIBUR, saturday, working=False)
    assert build_digests(saturday) == []


def test_send_daily_digest_is_idempotent_and_mails(org: Org, settings: Any,
                                                    django_capture_on_commit_callbacks: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert org.operator_dinkes is not None
    org.operator_dinkes.email = "operator@dinkes.example.go.id"
    org.operator_dinkes.save()
    for emp in (org.kadis, org.sekretaris, org.kabid, org.staf, org.staf_bidang, org.kadisdik):
        _status(emp, DayStatus.HADIR)
    _status(org.guru, DayStatus.TK)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digest(MONDAY, refresh=False) == 2  # kadisdik + op_disdik
    assert send_daily_digest(MONDAY, refresh=False) == 0
    assert Notification.objects.filter(kind="digest").count() == 2
    assert mail.outbox == []  # Disdik recipients have no e-mail address; in-app only
    _status(org.staf, DayStatus.TK, MONDAY + dt.timedelta(days=1))
    for emp in (org.kadis, org.sekretaris, org.kabid, org.staf_bidang, org.kadisdik, org.guru):
        _status(emp, DayStatus.HADIR, MONDAY + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digest(MONDAY + dt.timedelta(days=1), refresh=False) == 2
    assert [m.to for m in mail.outbox] == [["operator@dinkes.example.go.id"]]
    assert "Dewi Lestari" in mail.outbox[0].body


def test_beat_schedule_has_the_digest(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["discipline-daily-digest"]
    assert entry["task"] == "hadir.discipline.send_daily_digest"
    assert entry["task"] == tasks.send_daily_digest.name


def test_digest_task_sends_for_the_given_day(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    refreshed: list[dt.date] = []

    def drain() -> int:  # (the real one would recompute the statuses this test sets by hand)
        refreshed.extend(DirtyDay.objects.filter(employee=None).values_list("date", flat=True))
        return 0

    monkeypatch.setattr(outbox, "drain", drain)
    _status(org.guru, DayStatus.TK)
    for emp in (org.kadis, org.sekretaris, org.kabid, org.staf, org.staf_bidang, org.kadisdik):
        _status(emp, DayStatus.HADIR)
    assert tasks.send_daily_digest.delay("2026-11-23").get() == 2  # kadisdik + op_disdik
    assert refreshed == [MONDAY]


def test_digest_warns_about_streaks(org: Org) -> None:
    d = MONDAY - dt.timedelta(days=14)  # two weeks of TK before today
    while d < MONDAY:
        _status(org.staf, DayStatus.TK if d.weekday() < 5 else DayStatus.LIBUR, d, working=d.weekday() < 5)
        d += dt.timedelta(days=1)
    _status(org.staf, DayStatus.BELUM)
    [dinkes] = [x for x in build_digests(MONDAY) if x.opd.code == "DINKES"]
    body = dinkes.body()
    assert "Perhatian (PP 94/2021):" in body
    assert "- Dewi Lestari: 10 hari kerja berturut-turut tanpa keterangan; 10 hari TK tahun ini — RISIKO PEMBERHENTIAN" in body


def test_demo_hook_fills_inboxes_once(org: Org) -> None:
    _status(org.staf, DayStatus.TK)
    lines = seed(random.Random(1), MONDAY)
    assert "ringkasan" in lines[0]
    assert Notification.objects.filter(kind="digest", user__username="kadis").count() == 1
    assert "dilewati" in seed(random.Random(1), MONDAY)[0]
