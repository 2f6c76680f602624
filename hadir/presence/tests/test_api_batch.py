"""POST /api/presence/checkins/batch: offline check-ins, plausibility, exactly-once storage."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.presence.models import CheckIn, Validity
from hadir.testing import Clock

from .conftest import WIB, image_bytes

pytestmark = pytest.mark.django_db

NEAR_DINKES = (-3.7956312, 102.2592718)


def item(captured_at: dt.datetime, kind: str = "masuk", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": kind, "client_uuid": str(uuid.uuid4()), "captured_at": captured_at.isoformat(),
        "latitude": NEAR_DINKES[0], "longitude": NEAR_DINKES[1], "accuracy_m": 9.0, "device_id": "android-7f3a",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staf_api(api_for: Any, org: Any) -> Any:
    return api_for(org.staf.user)


def test_offline_items_take_capture_time_and_wait_for_approval(staf_api: Any, org: Any, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 23, 17, 0, tzinfo=WIB))  # back in signal range in the evening
    masuk = item(dt.datetime(2026, 11, 23, 7, 20, tzinfo=WIB))
    pulang = item(dt.datetime(2026, 11, 23, 16, 2, tzinfo=WIB), "pulang")
    r = staf_api.post("/checkins/batch", {"items": [masuk, pulang]})
    assert r.status_code == 200, r.content
    results = r.json()["results"]
    assert [(x["client_uuid"], x["verdict"], x["created"]) for x in results] == [
        (masuk["client_uuid"], "accepted", True), (pulang["client_uuid"], "accepted", True)]
    rows = list(CheckIn.objects.order_by("occurred_at"))
    assert [r.source for r in rows] == ["offline", "offline"]
    assert rows[0].occurred_at == dt.datetime(2026, 11, 23, 7, 20, tzinfo=WIB)
    assert rows[0].client_time == rows[0].occurred_at
    assert all(r.validity == Validity.PENDING for r in rows)  # shown to the approver as offline
    assert rows[0].received_at > rows[0].occurred_at


def test_resent_batch_is_stored_exactly_once(staf_api: Any, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 23, 17, 0, tzinfo=WIB))
    items = [item(dt.datetime(2026, 11, 23, 7, 20, tzinfo=WIB)),
             item(dt.datetime(2026, 11, 23, 16, 5, tzinfo=WIB), "pulang")]
    first = staf_api.post("/checkins/batch", {"items": items}).json()["results"]
    for _ in range(3):
        again = staf_api.post("/checkins/batch", {"items": items}).json()["results"]
        assert [x["created"] for x in again] == [False, False]
        assert [x["id"] for x in again] == [x["id"] for x in first]
    # a batch mixing a known and a new item stores only the new one
    extra = item(dt.datetime(2026, 11, 23, 16, 30, tzinfo=WIB), "pulang")
    mixed = staf_api.post("/checkins/batch", {"items": [items[0], extra]}).json()["results"]
    assert [x["created"] for x in mixed] == [False, True]
    assert CheckIn.objects.count() == 3


def test_window_and_geofence_judged_at_capture(staf_api: Any, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=WIB))
    too_early = item(dt.datetime(2026, 11, 23, 5, 0, tzinfo=WIB))
    far = item(dt.datetime(2026, 11, 23, 7, 0, tzinfo=WIB), latitude=-3.7936104, longitude=102.2647231)
    results = staf_api.post("/checkins/batch", {"items": [too_early, far]}).json()["results"]
    assert [(x["verdict"], x["reason_code"]) for x in results] == [
        ("rejected", "outside_window"), ("rejected", "outside_radius")]
    assert results[0]["reason"] == "Di luar jam presensi masuk (05.30–16.00 WIB)."
    assert {r.local_date for r in CheckIn.objects.all()} == {dt.date(2026, 11, 23)}


def test_implausible_capture_times(staf_api: Any, clock: Clock, settings: Any) -> None:
    settings.HADIR_OFFLINE_MAX_AGE_DAYS = 7
    now = clock.now
    items = [
        item(now + dt.timedelta(hours=2)),  # in the future
        item(now + dt.timedelta(minutes=4)),  # within the clock-skew allowance: fine
        item(now - dt.timedelta(days=8)),  # older than 7 days
    ]
    results = staf_api.post("/checkins/batch", {"items": items}).json()["results"]
    assert [(x["verdict"], x["reason_code"]) for x in results] == [
        ("rejected", "capture_in_future"), ("accepted", ""), ("rejected", "capture_too_old")]
    assert "lebih dari 7 hari" in results[2]["reason"]
    assert CheckIn.objects.count() == 3  # rejected attempts are evidence too


def test_device_clock_offset_corrected_with_sent_at(staf_api: Any, clock: Clock) -> None:
    # The phone's clock runs 2 hours fast: it says it captured at 09:20 and sends at 10:00,
    # while the server's clock says 08:00.
    clock.set(dt.datetime(2026, 11, 23, 8, 0, tzinfo=WIB))
    captured = dt.datetime(2026, 11, 23, 9, 20, tzinfo=WIB)
    body = {"items": [item(captured)], "sent_at": dt.datetime(2026, 11, 23, 10, 0, tzinfo=WIB).isoformat()}
    result = staf_api.post("/checkins/batch", body).json()["results"][0]
    assert result["verdict"] == "accepted"
    row = CheckIn.objects.get()
    assert row.occurred_at == dt.datetime(2026, 11, 23, 7, 20, tzinfo=WIB)
    assert row.client_time == captured


BAD_BATCHES = [
    ("no items", {"items": []}, 422, "items: terlalu sedikit item"),
    ("items missing", {}, 422, "items: wajib diisi"),
    ("captured_at missing", {"items": [{"kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": 1,
                                        "longitude": 1}]}, 422, "captured_at: wajib diisi"),
    ("lat 999 in second item", None, 422, "items.1.latitude"),
    ("bad date", {"items": [{"kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": 1, "longitude": 1,
                             "captured_at": "2026-13-45T99:00:00+07:00"}]}, 422, "captured_at: bukan tanggal"),
    ("naive capture time", {"items": [{"kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": 1,
                                       "longitude": 1, "captured_at": "2026-11-23T07:00:00"}]}, 422,
     "harus menyertakan zona waktu"),
]


@pytest.mark.parametrize(("case", "payload", "status", "message"), BAD_BATCHES, ids=[c[0] for c in BAD_BATCHES])
def test_malformed_batch_stores_nothing(staf_api: Any, clock: Clock, case: str, payload: dict[str, Any] | None,
                                        status: int, message: str) -> None:
    if payload is None:
        payload = {"items": [item(clock.now), item(clock.now, latitude=999)]}
    r = staf_api.post("/checkins/batch", payload)
    assert r.status_code == status, r.content
    assert message in r.json()["message"]
    assert CheckIn.objects.count() == 0


def test_batch_too_big(staf_api: Any, clock: Clock) -> None:
    r = staf_api.post("/checkins/batch", {"items": [item(clock.now) for _ in range(501)]})
    assert r.status_code == 422 and "maksimal 500" in r.json()["message"]
    assert CheckIn.objects.count() == 0


def test_duplicate_uuid_inside_batch(staf_api: Any, clock: Clock) -> None:
    one = item(clock.now)
    r = staf_api.post("/checkins/batch", {"items": [one, {**one, "kind": "pulang"}]})
    assert r.status_code == 422 and "ganda" in r.json()["message"]
    assert CheckIn.objects.count() == 0


def test_batch_for_someone_else_is_forbidden(staf_api: Any, org: Any, clock: Clock) -> None:
    r = staf_api.post("/checkins/batch", {"items": [item(clock.now), item(clock.now, employee_id=org.kabid.pk)]})
    assert r.status_code == 403 and CheckIn.objects.count() == 0
    r = staf_api.post("/checkins/batch", {"items": [item(clock.now, employee_id=org.kabid.pk)]})
    assert r.status_code == 403 and CheckIn.objects.count() == 0


def test_batch_reusing_someone_elses_uuid_stores_nothing(api_for: Any, org: Any, clock: Clock) -> None:
    theirs = item(clock.now)
    assert api_for(org.kabid.user).post("/checkins/batch", {"items": [theirs]}).status_code == 200
    r = api_for(org.staf.user).post("/checkins/batch", {"items": [item(clock.now), theirs]})
    assert r.status_code == 409
    assert CheckIn.objects.count() == 1


def test_a_selfie_taken_offline_follows_its_checkin(api_for: Any, org: Any, clock: Any) -> None:
    staf = api_for(org.staf.user)
    item = {"kind": "masuk", "client_uuid": str(uuid.uuid4()), "captured_at": clock.now.isoformat(),
            "latitude": NEAR_DINKES[0], "longitude": NEAR_DINKES[1], "accuracy_m": 10, "device_id": "android-7f3a"}
    clock.set(clock.now + dt.timedelta(hours=2))
    assert staf.post("/checkins/batch", {"items": [item]}).status_code == 200
    photo = SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")
    r = staf.post_multipart(f"/checkins/{item['client_uuid']}/photo", {"photo": photo})
    assert r.status_code == 200, r.content
    row = CheckIn.objects.get(client_uuid=item["client_uuid"])
    assert str(row.photo.name).endswith(".jpg")
    # once only; only one's own; only offline check-ins
    again = staf.post_multipart(f"/checkins/{item['client_uuid']}/photo",
                                {"photo": SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")})
    assert again.status_code == 409 and again.json()["code"] == "photo_exists"
    other = api_for(org.kabid.user).post_multipart(
        f"/checkins/{item['client_uuid']}/photo",
        {"photo": SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")})
    assert other.status_code == 404
    online = staf.post("/checkins", {"kind": "pulang", "client_uuid": str(uuid.uuid4()),
                                     "latitude": NEAR_DINKES[0], "longitude": NEAR_DINKES[1], "accuracy_m": 10,
                                     "device_id": "android-7f3a"}).json()
    assert staf.post_multipart(f"/checkins/{online['client_uuid']}/photo", {
        "photo": SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")}).status_code == 409
    broken = staf.post("/checkins/batch", {"items": [{**item, "client_uuid": str(uuid.uuid4())}]}).json()
    bad = staf.post_multipart(f"/checkins/{broken['results'][0]['client_uuid']}/photo",
                              {"photo": SimpleUploadedFile("s.jpg", b"not an image", content_type="image/jpeg")})
    assert bad.status_code == 422 and not CheckIn.objects.get(client_uuid=broken["results"][0]["client_uuid"]).photo
