"""record_checkin / record_many called directly (terminal logs, races, hooks)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.presence import outbox, pipeline
from hadir.presence.models import CheckIn, DailyStatus, DirtyDay
from hadir.presence.pipeline import CheckInAttempt, record_checkin, record_many
from hadir.testing import Clock

from .conftest import WIB, image_bytes

pytestmark = pytest.mark.django_db


def attempt(emp: Any, **kw: Any) -> CheckInAttempt:
    data: dict[str, Any] = {"kind": "masuk", "client_uuid": uuid.uuid4(), "latitude": -3.7956312,
                            "longitude": 102.2592718, "accuracy_m": 10.0}
    data.update(kw)
    return CheckInAttempt(employee=emp, **data)


def test_terminal_log_uses_the_terminals_location(org: Any, clock: Clock) -> None:
    at = dt.datetime(2026, 11, 23, 7, 5, tzinfo=WIB)
    row, created = record_checkin(attempt(org.guru, source="terminal", occurred_at=at, latitude=None, longitude=None,
                                          accuracy_m=None, terminal_sn="AEYU2231", location=org.loc_disdik))
    assert created and row.verdict == "accepted" and row.location == org.loc_disdik
    assert row.distance_m is None and row.occurred_at == at and row.terminal_sn == "AEYU2231"
    assert row.fraud_flags == [] and row.validity == "not_required"


def test_terminal_log_in_the_future_is_refused(org: Any, clock: Clock) -> None:
    row, _ = record_checkin(attempt(org.guru, source="terminal", occurred_at=clock.now + dt.timedelta(hours=3),
                                    location=org.loc_disdik))
    assert (row.verdict, row.reason_code) == ("rejected", "capture_in_future")


def test_lost_race_returns_the_winner_and_removes_the_orphan_photo(org: Any, clock: Clock, settings: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    key = uuid.uuid4()
    real_evaluate = pipeline.evaluate

    def evaluate_then_lose_race(a: CheckInAttempt, *args: Any) -> Any:
        out = real_evaluate(a, *args)
        # another request with the same UUID commits between our existence check and our INSERT
        CheckIn.objects.create(client_uuid=key, employee=org.staf, kind="masuk", occurred_at=clock.now,
                               local_date=dt.date(2026, 11, 23), verdict="accepted")
        return out

    monkeypatch.setattr(pipeline, "evaluate", evaluate_then_lose_race)
    photo = SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")
    row, created = record_checkin(attempt(org.staf, client_uuid=key, photo=photo))
    assert created is False and CheckIn.objects.count() == 1 and not row.photo
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_rejected_attempts_do_not_touch_the_day(org: Any, clock: Clock,
                                                django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record_checkin(attempt(org.staf, latitude=-3.70, longitude=102.30))
    assert not DailyStatus.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record_checkin(attempt(org.staf))
    assert DailyStatus.objects.get(employee=org.staf).status == "hadir"


def test_a_failing_status_refresh_never_loses_the_check_in(org: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("hadir.presence.daily.compute_day", broken)
    with django_capture_on_commit_callbacks(execute=True):
        row, created = record_checkin(attempt(org.staf))
    assert created and DirtyDay.objects.filter(checkin=row).exists()  # kept for the next drain


def test_geofence_lifted_by_official_duty(org: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hadir.leave.facts.geofence_lifted", lambda emp_id, day: emp_id == org.staf.pk)
    row, _ = record_checkin(attempt(org.staf, latitude=-3.8637, longitude=102.3390))  # at the airport
    assert (row.verdict, row.reason_code) == ("accepted", "geofence_lifted")
    assert row.distance_m is not None and row.distance_m > 10_000
    row, _ = record_checkin(attempt(org.kabid, latitude=-3.8637, longitude=102.3390))
    assert (row.verdict, row.reason_code) == ("rejected", "outside_radius")


def test_employee_outside_active_period(org: Any, clock: Clock) -> None:
    org.staf.active_until = dt.date(2026, 11, 20)  # retired last week
    row, _ = record_checkin(attempt(org.staf))
    assert (row.verdict, row.reason_code) == ("rejected", "employee_inactive")


def test_record_many_mixes_employees_and_replays(org: Any, clock: Clock) -> None:
    key = uuid.uuid4()
    batch = [attempt(org.staf, client_uuid=key), attempt(org.kabid), attempt(org.staf, client_uuid=key)]
    results = record_many(batch)
    assert [c for _r, c in results] == [True, True, False]
    assert results[0][0].pk == results[2][0].pk
    assert CheckIn.objects.count() == 2


def test_without_client_uuid_a_new_one_is_made(org: Any, clock: Clock) -> None:
    row, created = record_checkin(attempt(org.staf, client_uuid=None))
    assert created and isinstance(row.client_uuid, uuid.UUID)


def test_night_shift_pulang_belongs_to_yesterday(org: Any, clock: Clock) -> None:
    from hadir.schedules.models import PatternAssignment, Shift, ShiftAssignment, WorkPattern

    roster = WorkPattern.objects.get(uses_roster=True)
    PatternAssignment.objects.create(pattern=roster, unit=org.puskesmas)
    malam = Shift.objects.get(code="malam")
    ShiftAssignment.objects.create(employee=org.staf_bidang, date=dt.date(2026, 11, 22), shift=malam)
    clock.set(dt.datetime(2026, 11, 23, 7, 5, tzinfo=WIB))
    row, _ = record_checkin(attempt(org.staf_bidang, kind="pulang", latitude=-3.7301345, longitude=102.3672789))
    assert row.verdict == "accepted", row.reason
    assert row.local_date == dt.date(2026, 11, 22)


def test_a_failed_insert_leaves_no_orphan_selfie(org: Any, clock: Clock, settings: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    def broken(row: CheckIn) -> None:
        CheckIn._meta.get_field("photo").pre_save(row, True)  # the selfie is written first, as the INSERT does
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pipeline, "insert_checkin", broken)
    photo = SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")
    with pytest.raises(OperationalError):
        record_checkin(attempt(org.staf, photo=photo))
    assert not CheckIn.objects.exists()
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


@pytest.mark.django_db(transaction=True)
def test_a_failing_follow_up_keeps_the_committed_check_in_and_selfie(clock: Clock, settings: Any) -> None:
    from hadir.presence.signals import checkins_recorded
    from hadir.testing import make_org

    org = make_org()

    def broken(sender: Any, **kw: Any) -> None:
        raise RuntimeError("receiver bug")

    checkins_recorded.connect(broken, dispatch_uid="test-broken")
    photo = SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")
    key = uuid.uuid4()
    try:
        row, created = record_checkin(attempt(org.staf, client_uuid=key, photo=photo))  # acknowledged
    finally:
        checkins_recorded.disconnect(dispatch_uid="test-broken")
    assert created
    row = CheckIn.objects.get(client_uuid=key)
    assert row.photo and (settings.MEDIA_ROOT / row.photo.name).exists()
    # the follow-up rolled back as a whole: still in the outbox (no status yet), so the next drain retries it
    assert DirtyDay.objects.filter(checkin=row).exists() and not DailyStatus.objects.exists()
    assert outbox.drain() == 1
    assert DailyStatus.objects.get(employee=org.staf).status == "hadir"
    again, created = record_checkin(attempt(org.staf, client_uuid=key))
    assert again.pk == row.pk and not created
