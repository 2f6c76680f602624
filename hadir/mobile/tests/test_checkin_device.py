"""The device rule inside the real check-in pipeline (hadir.presence.checks.check_device)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client

from hadir.mobile.services import bind_device
from hadir.org.tokens import issue_token
from hadir.testing import Clock, Org

WIB = dt.timezone(dt.timedelta(hours=7))
NEAR_DINKES = (-3.7956312, 102.2592718)
KEY_A = "A" * 43
KEY_B = "B" * 43


@pytest.fixture(autouse=True)
def _monday_morning(clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 23, 7, 15, tzinfo=WIB))


def post(user: Any, path: str, data: dict[str, Any]) -> Any:
    return Client().post(f"/api/presence{path}", json.dumps(data), content_type="application/json",
                         headers={"Authorization": f"Bearer {issue_token(user)}"})


def item(device_id: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": NEAR_DINKES[0],
            "longitude": NEAR_DINKES[1], "accuracy_m": 10, "device_id": device_id, **extra}


@pytest.mark.parametrize(
    ("bound", "sent", "verdict", "reason_code"),
    [
        (None, KEY_B, "accepted", ""),  # nobody bound yet: the pipeline is not in the way
        (KEY_A, KEY_A, "accepted", ""),
        (KEY_A, KEY_B, "rejected", "device_mismatch"),
        (KEY_A, "", "rejected", "device_missing"),
    ],
)
def test_online_checkin_follows_the_binding(org: Org, bound: str | None, sent: str, verdict: str,
                                            reason_code: str) -> None:
    if bound:
        bind_device(org.staf, bound)
    r = post(org.staf.user, "/checkins", item(sent))
    assert r.status_code == 201, r.content
    assert (r.json()["verdict"], r.json()["reason_code"]) == (verdict, reason_code)
    if verdict == "rejected":
        assert "perangkat" in r.json()["reason"]


def test_offline_batch_from_another_phone_is_refused(org: Org) -> None:
    bind_device(org.staf, KEY_A)
    captured = "2026-11-23T07:05:00+07:00"
    r = post(org.staf.user, "/checkins/batch", {"items": [item(KEY_B, captured_at=captured),
                                                          item(KEY_A, captured_at=captured, kind="apel_pagi")]})
    assert r.status_code == 200, r.content
    results = r.json()["results"]
    assert results[0]["verdict"] == "rejected" and results[0]["reason_code"] == "device_mismatch"
    assert results[1]["reason_code"] != "device_mismatch"


def test_checkin_from_a_shared_phone_is_flagged(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    from hadir.presence.models import CheckIn

    bind_device(org.staf, KEY_A)
    bind_device(org.sekretaris, KEY_A)  # a second employee bound the same phone
    with django_capture_on_commit_callbacks(execute=True):
        r = post(org.sekretaris.user, "/checkins", item(KEY_A))
    assert r.status_code == 201 and r.json()["verdict"] == "accepted"
    assert "shared_device" in CheckIn.objects.get(pk=r.json()["id"]).fraud_flags
