"""The follow-up assessment, end to end through the check-in API: history signals are added after the check-in and
route it to the atasan; honest check-ins stay clean."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from hadir.approvals.models import ApprovalItem, ApprovalPolicy
from hadir.presence import fraud
from hadir.presence.models import CheckIn
from hadir.testing import Clock, Org

pytestmark = pytest.mark.django_db

FIX = (-3.7956312, 102.2592718)  # ≈ 9 m from the Dinas Kesehatan office


def body(**overrides: Any) -> dict[str, Any]:
    data = {"kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": FIX[0], "longitude": FIX[1],
            "accuracy_m": 12.5, "device_id": "android-7f3a"}
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def flagged_policy(org: Org) -> None:
    ApprovalPolicy.objects.update_or_create(unit=org.pemda, defaults={"mode": "flagged"})


@pytest.fixture
def post(django_capture_on_commit_callbacks: Any) -> Any:
    """POST as the phone does, with what follows the commit (the outbox drain, then the assessment) run."""
    def send(api: Any, path: str, data: dict[str, Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return api.post(path, data).json()

    return send


def flags(out: dict[str, Any]) -> list[str]:
    return list(CheckIn.objects.get(client_uuid=out["client_uuid"]).fraud_flags)


def test_a_position_replayed_the_next_day_is_flagged_and_sent_to_the_atasan(api_for: Any, org: Org,
                                                                           clock: Clock, post: Any) -> None:
    staf = api_for(org.staf.user)
    first = post(staf, "/checkins", body())
    assert flags(first) == []
    clock.set(clock.now + dt.timedelta(days=1))
    second = post(staf, "/checkins", body())
    assert second["verdict"] == "accepted"
    assert flags(second) == [fraud.REPEATED_COORDINATES]
    assert ApprovalItem.objects.filter(checkin__client_uuid=second["client_uuid"]).exists()
    # a real fix the day after: a few decimals differ
    clock.set(clock.now + dt.timedelta(days=1))
    third = post(staf, "/checkins", body(latitude=-3.7956398, longitude=102.2592644))
    assert flags(third) == []


def test_two_phones_far_apart_at_once(api_for: Any, org: Org, clock: Clock, post: Any) -> None:
    stafbid = api_for(org.staf_bidang.user)  # works at Dinkes and at the Puskesmas 14 km away
    post(stafbid, "/checkins", body(device_id="phone-A"))
    clock.set(clock.now + dt.timedelta(minutes=10))
    out = post(stafbid, "/checkins", body(kind="ping", latitude=-3.7301345, longitude=102.3672789,
                                         device_id="phone-B"))
    assert fraud.TWO_DEVICES in flags(out)


def test_an_offline_capture_held_back_while_the_phone_was_online(api_for: Any, org: Org, clock: Clock, post: Any) -> None:
    staf = api_for(org.staf.user)
    captured = clock.now  # 07:15 claimed "no signal"
    clock.set(clock.now + dt.timedelta(hours=1))
    post(staf, "/checkins", body(kind="ping", latitude=-3.7956401, longitude=102.2592601))  # online at 08:15
    clock.set(clock.now + dt.timedelta(hours=1))
    item = {**body(latitude=-3.7956333, longitude=102.2592777), "captured_at": captured.isoformat()}
    out = post(staf, "/checkins/batch", {"items": [item]})["results"][0]
    assert fraud.OFFLINE_IMPLAUSIBLE in flags(out)


def test_a_genuine_offline_morning_is_not_flagged(api_for: Any, org: Org, clock: Clock, post: Any) -> None:
    staf = api_for(org.staf.user)
    captured = clock.now
    clock.set(clock.now + dt.timedelta(hours=4))  # signal back at noon: the queue goes first
    item = {**body(latitude=-3.7956333, longitude=102.2592777), "captured_at": captured.isoformat()}
    out = post(staf, "/checkins/batch", {"items": [item]})["results"][0]
    assert fraud.OFFLINE_IMPLAUSIBLE not in flags(out)


def test_rerun_adds_nothing(api_for: Any, org: Org, clock: Clock, post: Any) -> None:
    from hadir.integrity.assess import assess_checkins

    staf = api_for(org.staf.user)
    post(staf, "/checkins", body())
    clock.set(clock.now + dt.timedelta(days=1))
    out = post(staf, "/checkins", body())
    row = CheckIn.objects.get(client_uuid=out["client_uuid"])
    assert assess_checkins([row.pk]) == 0 and flags(out) == [fraud.REPEATED_COORDINATES]
