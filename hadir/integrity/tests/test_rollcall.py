"""Roll calls: random times inside working hours, only for staff at work, answered in time and in place; the day's
presence score; refusals that write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hadir.integrity import rollcall
from hadir.integrity.models import FieldWorkPosition, RollCall, RollCallPolicy, RollCallStatus
from hadir.notify.models import Notification
from hadir.org.tokens import issue_token
from hadir.presence.models import DailyStatus
from hadir.testing import Clock, Org

from .conftest import photo

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
DAY = dt.date(2026, 11, 23)  # the test clock's Monday
START = dt.datetime(2026, 11, 23, 7, 30, tzinfo=WIB)
AT_OFFICE = (-3.7956312, 102.2592718)  # ≈ 9 m from the Dinas Kesehatan office (radius 100 m)
AT_HOME = (-3.8120000, 102.2700000)    # ≈ 2 km away


def at_work(emp: Any, status: str = "hadir", **kw: Any) -> DailyStatus:
    return DailyStatus.objects.create(employee=emp, date=DAY, status=status, starts_at=START,
                                      first_in=START if status in ("hadir", "terlambat") else None, **kw)


@pytest.fixture
def policy(org: Org) -> RollCallPolicy:
    return RollCallPolicy.objects.create(unit=org.dinkes, calls_per_day=3, answer_minutes=15, selfie_required=False)


def first_call_time(emp: Any) -> dt.datetime:
    return rollcall.planned_times(emp.pk, DAY, START, 3)[0]


def test_planned_times_stay_in_working_hours_and_are_stable(org: Org, settings: Any) -> None:
    settings.HADIR_ROLLCALL_WINDOW_HOURS = 7
    times = rollcall.planned_times(org.staf.pk, DAY, START, 4)
    assert times == rollcall.planned_times(org.staf.pk, DAY, START, 4)  # every scheduler run agrees
    assert len(set(times)) == 4 and times == sorted(times)
    assert all(START + dt.timedelta(minutes=30) <= t <= START + dt.timedelta(hours=7) for t in times)
    assert times != rollcall.planned_times(org.staf.pk, DAY + dt.timedelta(days=1), START, 4)  # not a pattern
    assert times != rollcall.planned_times(org.kabid.pk, DAY, START, 4)


def test_only_staff_at_work_are_asked_and_only_once(org: Org, policy: RollCallPolicy, clock: Clock) -> None:
    at_work(org.staf)
    at_work(org.kabid, "dl")                          # dinas luar excuses the roll calls
    at_work(org.sekretaris, last_out=START + dt.timedelta(hours=1))  # gone home (checked out)
    at_work(org.staf_bidang)
    assert org.staf_bidang.position is not None
    FieldWorkPosition.objects.create(position=org.staf_bidang.position)  # a field-work jabatan
    at_work(org.guru)                                 # Dinas Pendidikan has no policy
    clock.set(first_call_time(org.staf) + dt.timedelta(minutes=1))
    assert rollcall.schedule() == 1
    call = RollCall.objects.get()
    assert (call.employee, call.seq, call.status) == (org.staf, 1, RollCallStatus.ASKED)
    assert Notification.objects.filter(user=org.staf.user, subject="Panggilan kehadiran").count() == 1
    assert rollcall.schedule() == 0  # the next run of the beat creates nothing new
    assert DailyStatus.objects.get(employee=org.staf).roll_calls_asked == 1


def test_answered_in_place_in_time(org: Org, policy: RollCallPolicy, clock: Clock) -> None:
    at_work(org.staf)
    clock.set(first_call_time(org.staf))
    rollcall.schedule()
    call = RollCall.objects.get()
    clock.shift(dt.timedelta(minutes=5))
    api = Client()
    headers = {"Authorization": f"Bearer {issue_token(org.staf.user, 'hp')}"}
    pending = api.get("/api/integrity/rollcalls", headers=headers).json()  # what a native client polls
    assert [p["id"] for p in pending] == [call.pk]
    out = api.post(f"/api/integrity/rollcalls/{call.pk}/answer",
                   {"latitude": AT_OFFICE[0], "longitude": AT_OFFICE[1], "accuracy_m": 12}, headers=headers).json()
    assert (out["status"], out["in_place"]) == ("answered", True) and out["distance_m"] < 20
    status = DailyStatus.objects.get(employee=org.staf)
    assert (status.roll_calls_asked, status.roll_calls_ok) == (1, 1)


def test_answered_from_home_or_not_at_all_counts_against_the_day(org: Org, policy: RollCallPolicy,
                                                                  clock: Clock) -> None:
    at_work(org.staf)
    times = rollcall.planned_times(org.staf.pk, DAY, START, 3)
    clock.set(times[0])
    rollcall.schedule()
    first = RollCall.objects.get(seq=1)
    assert rollcall.answer(org.staf.user, first.pk, *AT_HOME, 10.0).in_place is False
    clock.set(times[1])
    rollcall.schedule()
    clock.set(times[1] + dt.timedelta(minutes=16))  # past the 15 minutes
    assert rollcall.expire() == 1
    assert RollCall.objects.get(seq=2).status == RollCallStatus.MISSED
    status = DailyStatus.objects.get(employee=org.staf)
    assert (status.roll_calls_asked, status.roll_calls_ok) == (2, 0)
    away = rollcall.away_now([org.staf.pk])
    assert [c.seq for c in away] == [2]  # the latest: missed


@pytest.mark.parametrize(("case", "status", "code"), [
    ("too_late", 409, "too_late"),
    ("someone_else", 404, "not_found"),
    ("twice", 409, "closed"),
    ("no_selfie", 422, "photo_required"),
])
def test_refusals_write_nothing(org: Org, policy: RollCallPolicy, clock: Clock, case: str, status: int,
                                code: str) -> None:
    policy.selfie_required = case == "no_selfie"
    policy.save()
    at_work(org.staf)
    clock.set(first_call_time(org.staf))
    rollcall.schedule()
    call = RollCall.objects.get()
    user = org.kabid.user if case == "someone_else" else org.staf.user
    if case == "too_late":
        clock.shift(dt.timedelta(minutes=16))
    if case == "twice":
        rollcall.answer(org.staf.user, call.pk, *AT_OFFICE, 10.0)
    before = RollCall.objects.values().get(pk=call.pk)
    response = Client().post(f"/api/integrity/rollcalls/{call.pk}/answer",
                             {"latitude": AT_OFFICE[0], "longitude": AT_OFFICE[1]},
                             headers={"Authorization": f"Bearer {issue_token(user, 'hp')}"})
    assert response.status_code == status and response.json()["code"] == code and response.json()["message"]
    assert RollCall.objects.values().get(pk=call.pk) == before


def test_a_selfie_answer_is_matched_against_the_enrolled_face(org: Org, policy: RollCallPolicy, clock: Clock,
                                                              django_capture_on_commit_callbacks: Any) -> None:
    from hadir.integrity import services

    services.enrol(org.staf, SimpleUploadedFile("w.jpg", photo("obama.jpg"), content_type="image/jpeg"),
                   org.operator_dinkes)
    policy.selfie_required = True
    policy.save()
    at_work(org.staf)
    clock.set(first_call_time(org.staf))
    rollcall.schedule()
    call = RollCall.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        rollcall.answer(org.staf.user, call.pk, *AT_OFFICE, 10.0,
                        SimpleUploadedFile("s.jpg", photo("biden.jpg"), content_type="image/jpeg"))
    call.refresh_from_db()
    assert (call.face_flag, call.in_place) == ("face_mismatch", False)  # a colleague answered for them
    assert DailyStatus.objects.get(employee=org.staf).roll_calls_ok == 0


def test_roll_calls_follow_the_retention(org: Org, policy: RollCallPolicy, clock: Clock, settings: Any) -> None:
    at_work(org.staf)
    clock.set(first_call_time(org.staf))
    rollcall.schedule()
    settings.HADIR_PING_RETENTION_DAYS = 30
    assert rollcall.purge(now=clock.now + dt.timedelta(days=29)) == 0
    assert rollcall.purge(now=clock.now + dt.timedelta(days=32)) == 1
    assert not RollCall.objects.exists()


def test_the_employee_answers_in_the_app(org: Org, policy: RollCallPolicy, clock: Clock) -> None:
    at_work(org.staf)
    clock.set(first_call_time(org.staf))
    rollcall.schedule()
    call = RollCall.objects.get()
    c = Client()
    assert org.staf.user is not None
    c.force_login(org.staf.user)
    assert f'data-call="{call.pk}"' in c.get("/integritas/panggilan/").content.decode()
    bad = c.post("/integritas/panggilan/", {"call": call.pk, "latitude": "", "longitude": ""})
    assert bad.status_code == 400 and "Lokasi belum didapat" in bad.content.decode()
    done = c.post("/integritas/panggilan/", {"call": call.pk, "latitude": AT_OFFICE[0], "longitude": AT_OFFICE[1],
                                              "accuracy_m": "8"}).content.decode()
    assert 'id="rollcall-done"' in done and 'id="rollcall-none"' in done


def test_the_board_shows_who_is_away_now(org: Org, policy: RollCallPolicy, clock: Clock) -> None:
    at_work(org.staf)
    at_work(org.kabid)
    clock.set(first_call_time(org.kabid))
    rollcall.schedule()
    rollcall.answer(org.kabid.user, RollCall.objects.get(employee=org.kabid).pk, *AT_OFFICE, 10.0)
    clock.set(first_call_time(org.staf))
    rollcall.schedule()
    clock.shift(dt.timedelta(minutes=16))
    rollcall.expire()  # Dewi did not answer
    c = Client()
    c.force_login(org.operator_dinkes)
    html = c.get("/dasbor/").content.decode()
    assert 'id="away-now"' in html and f'data-employee="{org.staf.pk}"' in html
    assert f'data-employee="{org.kabid.pk}"' not in html.split('id="away-now"')[1].split("</div>")[0]
