"""POST /api/presence/checkins: verdicts, idempotency and every kind of bad input (4xx, nothing stored)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hadir.presence.models import CheckIn, DirtyDay, Validity
from hadir.presence.signals import checkins_recorded
from hadir.schedules.models import Holiday
from hadir.testing import Clock

from .conftest import WIB, image_bytes

pytestmark = pytest.mark.django_db

NEAR_DINKES = (-3.7956312, 102.2592718)  # ≈ 9 m from the Dinas Kesehatan office centre
MASJID_JAMIK = (-3.7936104, 102.2647231)  # ≈ 650 m away


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "masuk",
        "client_uuid": str(uuid.uuid4()),
        "client_time": "2026-11-23T07:15:02+07:00",
        "latitude": NEAR_DINKES[0],
        "longitude": NEAR_DINKES[1],
        "accuracy_m": 12.5,
        "mock_location": False,
        "device_id": "android-7f3a",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def staf_api(api_for: Any, org: Any) -> Any:
    return api_for(org.staf.user)


def test_accepted_inside_radius_and_window(staf_api: Any, org: Any, clock: Clock) -> None:
    data = body()
    r = staf_api.post("/checkins", data)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["verdict"] == "accepted" and out["reason_code"] == "" and out["source"] == "mobile"
    assert out["location_name"] == org.loc_dinkes.name
    assert 5 < out["distance_m"] < 15
    assert out["local_date"] == "2026-11-23"
    row = CheckIn.objects.get()
    assert str(row.client_uuid) == data["client_uuid"] and row.employee == org.staf
    # server time is the record's time; the phone's clock is kept beside it
    assert row.occurred_at == clock.now
    assert row.client_time == dt.datetime(2026, 11, 23, 7, 15, 2, tzinfo=WIB)
    assert row.validity == Validity.NOT_REQUIRED and row.fraud_flags == []


def test_outside_radius_is_a_stored_rejection(staf_api: Any, clock: Clock) -> None:
    r = staf_api.post("/checkins", body(latitude=MASJID_JAMIK[0], longitude=MASJID_JAMIK[1]))
    assert r.status_code == 201
    out = r.json()
    assert out["verdict"] == "rejected" and out["reason_code"] == "outside_radius"
    assert "Di luar radius lokasi kerja" in out["reason"] and "radius 100 m" in out["reason"]
    assert out["distance_m"] > 600
    assert CheckIn.objects.get().verdict == "rejected"


def test_poor_accuracy_rejected(staf_api: Any, clock: Clock) -> None:
    out = staf_api.post("/checkins", body(accuracy_m=400)).json()
    assert out["verdict"] == "rejected" and out["reason_code"] == "poor_accuracy"
    assert "±400 m" in out["reason"]


def test_outside_window_reason_names_the_window(staf_api: Any, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 23, 4, 50, tzinfo=WIB))
    out = staf_api.post("/checkins", body()).json()
    assert out["verdict"] == "rejected" and out["reason_code"] == "outside_window"
    assert out["reason"] == "Di luar jam presensi masuk (05.30–16.00 WIB)."
    # pulang opens at the start of the day and closes at 23.59
    clock.set(dt.datetime(2026, 11, 23, 16, 5, tzinfo=WIB))
    assert staf_api.post("/checkins", body(kind="pulang")).json()["verdict"] == "accepted"


def test_holiday_check_in_is_kept_as_overtime(staf_api: Any, org: Any, clock: Clock) -> None:
    Holiday.objects.create(date=dt.date(2026, 11, 23), name="Hari Jadi Kabupaten")
    out = staf_api.post("/checkins", body()).json()
    assert out["verdict"] == "accepted" and out["reason_code"] == "non_working_day"
    assert "Hari Jadi Kabupaten" in out["reason"] and "lembur" in out["reason"]
    out = staf_api.post("/checkins", body(kind="apel_pagi")).json()
    assert out["verdict"] == "rejected" and out["reason_code"] == "no_apel"


def test_weekend(staf_api: Any, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 28, 9, 0, tzinfo=WIB))  # Saturday
    out = staf_api.post("/checkins", body()).json()
    assert (out["verdict"], out["reason_code"], out["local_date"]) == ("accepted", "non_working_day", "2026-11-28")


def test_apel_without_a_session_is_rejected(staf_api: Any, clock: Clock) -> None:
    out = staf_api.post("/checkins", body(kind="apel_pagi")).json()
    assert out["verdict"] == "rejected" and out["reason_code"] == "no_apel"
    assert out["reason"] == "Tidak ada jadwal apel pagi hari ini."


def test_ping_only_in_working_hours(staf_api: Any, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 23, 10, 0, tzinfo=WIB))
    assert staf_api.post("/checkins", body(kind="ping")).json()["verdict"] == "accepted"
    clock.set(dt.datetime(2026, 11, 23, 19, 0, tzinfo=WIB))
    out = staf_api.post("/checkins", body(kind="ping")).json()
    assert out["verdict"] == "rejected" and out["reason_code"] == "outside_working_hours"
    assert "07.30–16.00 WIB" in out["reason"]


def test_mock_location_rejected(staf_api: Any, clock: Clock) -> None:
    out = staf_api.post("/checkins", body(mock_location=True)).json()
    assert out["verdict"] == "rejected" and out["reason_code"] == "mock_location"
    assert CheckIn.objects.get().fraud_flags == ["mock_location"]


def test_mock_location_policy_flag(staf_api: Any, clock: Clock, settings: Any) -> None:
    settings.HADIR_MOCK_LOCATION_POLICY = "flag"
    out = staf_api.post("/checkins", body(mock_location=True)).json()
    assert out["verdict"] == "accepted" and out["validity"] == "pending"


def test_fraud_flags_send_check_in_for_approval(staf_api: Any, clock: Clock) -> None:
    out = staf_api.post("/checkins", body(latitude=-3.7956, longitude=102.2592, accuracy_m=0,
                                         client_time="2026-11-23T06:00:00+07:00")).json()
    assert out["verdict"] == "accepted" and out["validity"] == "pending"
    row = CheckIn.objects.get()
    assert row.fraud_flags == ["round_coordinates", "zero_accuracy", "clock_skew"]


def test_impossible_speed_and_shared_device(api_for: Any, org: Any, clock: Clock) -> None:
    stafbid = api_for(org.staf_bidang.user)  # works at Dinkes and at the Puskesmas 14 km away
    assert stafbid.post("/checkins", body(device_id="shared-1")).json()["validity"] == "not_required"
    clock.set(clock.now + dt.timedelta(minutes=3))
    out = stafbid.post("/checkins", body(latitude=-3.7301345, longitude=102.3672789,
                                         device_id="shared-1")).json()
    assert out["verdict"] == "accepted" and out["location_name"] == "Puskesmas Talang Empat"
    assert CheckIn.objects.get(client_uuid=out["client_uuid"]).fraud_flags == ["impossible_speed"]
    # two colleagues check in on the same phone the same day
    api_for(org.staf.user).post("/checkins", body(device_id="shared-1"))
    out = api_for(org.kabid.user).post("/checkins", body(device_id="shared-1")).json()
    assert "shared_device" in CheckIn.objects.get(client_uuid=out["client_uuid"]).fraud_flags


def test_replay_returns_original_and_stores_nothing(staf_api: Any, clock: Clock) -> None:
    data = body()
    first = staf_api.post("/checkins", data)
    assert first.status_code == 201
    clock.set(clock.now + dt.timedelta(minutes=5))
    again = staf_api.post("/checkins", data)
    assert again.status_code == 200
    assert again.json() == first.json()
    # a replay with different content is still the original — never overwritten
    changed = staf_api.post("/checkins", {**data, "kind": "pulang", "latitude": MASJID_JAMIK[0]})
    assert changed.status_code == 200 and changed.json() == first.json()
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().kind == "masuk"


def test_uuid_of_another_employee_is_a_conflict(api_for: Any, org: Any, clock: Clock) -> None:
    data = body()
    assert api_for(org.staf.user).post("/checkins", data).status_code == 201
    r = api_for(org.kabid.user).post("/checkins", data)
    assert r.status_code == 409 and "UUID klien" in r.json()["message"]
    assert CheckIn.objects.count() == 1 and CheckIn.objects.get().employee == org.staf


def test_signal_sent_once_after_commit(staf_api: Any, clock: Clock, django_capture_on_commit_callbacks: Any) -> None:
    seen: list[list[int]] = []

    def receiver(sender: Any, checkins: list[CheckIn], **kw: Any) -> None:
        seen.append([c.pk for c in checkins])

    checkins_recorded.connect(receiver)
    try:
        data = body()
        with django_capture_on_commit_callbacks(execute=True):
            r = staf_api.post("/checkins", data)
            assert seen == []  # not before the check-in's own transaction committed
        with django_capture_on_commit_callbacks(execute=True):
            staf_api.post("/checkins", data)  # replay: no signal
    finally:
        checkins_recorded.disconnect(receiver)
    assert seen == [[r.json()["id"]]]
    assert not DirtyDay.objects.exists()  # its follow-up ran after commit (no task queue: inline)


# ---- bad input: 4xx with a clear message, nothing stored -----------------------------------------------------

BAD_BODIES = [
    ("missing kind", {"kind": None}, 422, "kind: wajib diisi"),
    ("missing latitude", {"latitude": None}, 422, "latitude: wajib diisi"),
    ("missing client_uuid", {"client_uuid": None}, 422, "client_uuid: wajib diisi"),
    ("latitude 999", {"latitude": 999}, 422, "latitude: harus lebih kecil atau sama dengan 90"),
    ("longitude -200", {"longitude": -200}, 422, "longitude: harus lebih besar atau sama dengan -180"),
    ("latitude text", {"latitude": "utara"}, 422, "latitude: harus berupa angka"),
    ("bad kind", {"kind": "lembur"}, 422, "kind: harus salah satu dari"),
    ("bad uuid", {"client_uuid": "123"}, 422, "client_uuid: bukan UUID yang valid"),
    ("bad client_time", {"client_time": "kemarin sore"}, 422, "client_time: bukan tanggal dan waktu yang valid"),
    ("naive client_time", {"client_time": "2026-11-23T07:15:00"}, 422, "client_time: harus menyertakan zona waktu"),
    ("negative accuracy", {"accuracy_m": -1}, 422, "accuracy_m: harus lebih besar atau sama dengan 0"),
    ("device id too long", {"device_id": "x" * 200}, 422, "device_id: terlalu panjang"),
]


@pytest.mark.parametrize(("case", "overrides", "status", "message"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_bad_input_is_4xx_and_stores_nothing(staf_api: Any, clock: Clock, case: str, overrides: dict[str, Any],
                                             status: int, message: str) -> None:
    data = body()
    for key, value in overrides.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    r = staf_api.post("/checkins", data)
    assert r.status_code == status, r.content
    assert message in r.json()["message"]
    assert CheckIn.objects.count() == 0


def test_not_json(staf_api: Any, clock: Clock) -> None:
    r = staf_api.post("/checkins", "{kind: masuk")
    assert r.status_code == 400 and r.json()["message"] == "Isi permintaan bukan JSON yang valid."
    r = staf_api.post("/checkins", [body()])
    assert r.status_code == 422 and "objek JSON" in r.json()["message"]
    assert CheckIn.objects.count() == 0


def test_english_messages(api_for: Any, org: Any, clock: Clock) -> None:
    r = api_for(org.staf.user, lang="en").post("/checkins", body(employee_id=org.kabid.pk))
    assert r.status_code == 403 and r.json()["message"] == "You can only check in for yourself."
    r = api_for(org.staf.user, lang="en").post("/checkins", body(latitude=999))
    assert r.status_code == 422 and "latitude: Input should be less than or equal to 90" in r.json()["message"]


def test_another_employees_id_is_forbidden(staf_api: Any, org: Any, clock: Clock) -> None:
    r = staf_api.post("/checkins", body(employee_id=org.kabid.pk))
    assert r.status_code == 403
    assert r.json()["message"] == "Anda hanya dapat melakukan presensi untuk diri sendiri."
    assert CheckIn.objects.count() == 0
    assert staf_api.post("/checkins", body(employee_id=org.staf.pk)).status_code == 201  # one's own id is fine


def test_not_signed_in_or_not_an_employee(client: Any, api_for: Any, org: Any, clock: Clock) -> None:
    r = client.post("/api/presence/checkins", body(), content_type="application/json")
    assert r.status_code == 401 and r.json()["message"] == "Silakan masuk terlebih dahulu."
    r = api_for(org.operator_dinkes).post("/checkins", body())
    assert r.status_code == 403 and "tidak terhubung dengan data pegawai" in r.json()["message"]
    org.staf.is_active = False
    org.staf.save()
    r = api_for(org.staf.user).post("/checkins", body())
    assert r.status_code == 403
    assert CheckIn.objects.count() == 0


def test_no_work_location(api_for: Any, org: Any, clock: Clock) -> None:
    org.staf.locations.clear()
    out = api_for(org.staf.user).post("/checkins", body()).json()
    assert (out["verdict"], out["reason_code"]) == ("rejected", "no_location")
    assert out["local_date"] == "2026-11-23"


# ---- selfies ------------------------------------------------------------------------------------------------


def multipart(**overrides: Any) -> dict[str, Any]:
    data = body(**overrides)
    return {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in data.items()}


def test_selfie_jpeg_stored(staf_api: Any, clock: Clock, settings: Any) -> None:
    photo = SimpleUploadedFile("IMG_0001.JPG", image_bytes("JPEG"), content_type="image/jpeg")
    r = staf_api.post_multipart("/checkins", {**multipart(), "photo": photo})
    assert r.status_code == 201, r.content
    row = CheckIn.objects.get()
    assert row.photo.name == f"selfie/2026/11/{row.client_uuid}.jpg"
    assert (settings.MEDIA_ROOT / row.photo.name).exists()
    assert row.mock_location is False and row.accuracy_m == 12.5


def test_selfie_is_stored_reencoded_without_exif_or_appended_html(staf_api: Any, clock: Clock, settings: Any) -> None:
    """A JPEG with GPS EXIF and an HTML payload after its end marker: stored as the pixels only."""
    exif = Image.Exif()
    exif[0x010F] = "HP-Mata-Mata"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90°; the stored image is turned upright
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 150, 100)).save(buf, format="JPEG", exif=exif)
    sent = buf.getvalue() + b"<html><script>alert('xss')</script></html>"
    photo = SimpleUploadedFile("selfie.jpg", sent, content_type="image/jpeg")
    r = staf_api.post_multipart("/checkins", {**multipart(), "photo": photo})
    assert r.status_code == 201, r.content
    stored = (settings.MEDIA_ROOT / CheckIn.objects.get().photo.name).read_bytes()
    assert b"<script>" not in stored and b"HP-Mata-Mata" not in stored
    assert stored.endswith(b"\xff\xd9")  # ends at the JPEG end marker
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG" and img.size == (240, 320) and not img.getexif()


def test_selfie_named_jpg_but_really_png_is_stored_as_png(staf_api: Any, clock: Clock) -> None:
    photo = SimpleUploadedFile("selfie.jpg", image_bytes("PNG"), content_type="image/jpeg")
    assert staf_api.post_multipart("/checkins", {**multipart(), "photo": photo}).status_code == 201
    assert str(CheckIn.objects.get().photo.name).endswith(".png")


def test_webp_accepted(staf_api: Any, clock: Clock) -> None:
    photo = SimpleUploadedFile("s.webp", image_bytes("WEBP"), content_type="image/webp")
    assert staf_api.post_multipart("/checkins", {**multipart(), "photo": photo}).status_code == 201


BAD_PHOTOS = [
    ("text named .jpg", b"ini bukan foto" * 100, 422, "Foto harus berupa gambar JPEG, PNG, atau WebP."),
    ("gif", image_bytes("GIF"), 422, "Foto harus berupa gambar JPEG, PNG, atau WebP."),
    ("truncated jpeg", image_bytes("JPEG", (640, 480))[:600], 422, "Foto harus berupa gambar JPEG, PNG, atau WebP."),
    ("empty", b"", 422, "File foto kosong."),
    ("tiny", image_bytes("PNG", (8, 8)), 422, "Foto terlalu kecil"),
    ("20 MB", image_bytes("JPEG") + b"\0" * (20 * 1024 * 1024), 413, "Ukuran foto 20,0 MB melebihi batas 5,0 MB."),
]


@pytest.mark.parametrize(("case", "content", "status", "message"), BAD_PHOTOS, ids=[c[0] for c in BAD_PHOTOS])
def test_bad_photo_is_4xx_and_stores_nothing(staf_api: Any, clock: Clock, settings: Any, case: str, content: bytes,
                                             status: int, message: str) -> None:
    photo = SimpleUploadedFile("selfie.jpg", content, content_type="image/jpeg")
    r = staf_api.post_multipart("/checkins", {**multipart(), "photo": photo})
    assert r.status_code == status, r.content
    assert message in r.json()["message"]
    assert r.json()["errors"][0]["field"] == "photo"
    assert CheckIn.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_multipart_bad_field(staf_api: Any, clock: Clock) -> None:
    r = staf_api.post_multipart("/checkins", multipart(latitude="999"))
    assert r.status_code == 422 and "latitude" in r.json()["message"]
    assert CheckIn.objects.count() == 0


def test_two_photos_refused(staf_api: Any, clock: Clock) -> None:
    photos = [SimpleUploadedFile(f"{i}.jpg", image_bytes(), content_type="image/jpeg") for i in range(2)]
    r = staf_api.post_multipart("/checkins", {**multipart(), "photo": photos})
    assert r.status_code == 422 and CheckIn.objects.count() == 0


def test_oversized_json_body(staf_api: Any, clock: Clock) -> None:
    huge = body(device_id="x" * 100)
    huge["padding"] = "x" * (3 * 1024 * 1024)  # beyond DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
    for path in ("/checkins", "/checkins/batch"):
        r = staf_api.post(path, huge if path == "/checkins" else {"items": [huge]})
        assert r.status_code == 413, (path, r.status_code, r.content[:200])
        assert "terlalu besar" in r.json()["message"]
    assert CheckIn.objects.count() == 0


def test_openapi_documents_the_request_bodies(client: Any) -> None:
    spec = client.get("/api/openapi.json").json()
    post = spec["paths"]["/api/presence/checkins"]["post"]
    content = post["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    assert "latitude" in content["application/json"]["schema"]["properties"]
    batch = spec["paths"]["/api/presence/checkins/batch"]["post"]["requestBody"]["content"]["application/json"]
    batch_schema = spec["components"]["schemas"][batch["schema"]["$ref"].rsplit("/", 1)[1]]  # ninja refers to it
    assert "items" in batch_schema["properties"]
    refs = [v for v in str(spec).split("'") if v.startswith("#/components/schemas/")]
    missing = {r for r in refs if r.rsplit("/", 1)[1] not in spec["components"]["schemas"]}
    assert not missing, missing


@pytest.mark.parametrize(("samples", "flagged"), [
    ("", False),
    ("-3.7956312,102.2592718", False),
    ("-3.7956312,102.2592718;-3.7956312,102.2592718;-3.7956312,102.2592718", True),  # one point, three times
    ("-3.7956312,102.2592718;-3.7956318,102.2592709;-3.7956305,102.2592722", False),  # a real receiver's jitter
])
def test_gps_samples_without_jitter_are_flagged(staf_api: Any, clock: Clock, samples: str, flagged: bool) -> None:
    out = staf_api.post("/checkins", body(gps_samples=samples)).json()
    assert out["verdict"] == "accepted"
    assert ("no_gps_jitter" in CheckIn.objects.get().fraud_flags) is flagged


@pytest.mark.parametrize("samples", ["abc", "-3.79,102.25;91,102", "1,2;" * 31, "-3.79;102.25"])
def test_malformed_gps_samples_are_refused_and_nothing_stored(staf_api: Any, clock: Clock, samples: str) -> None:
    r = staf_api.post("/checkins", body(gps_samples=samples))
    assert r.status_code == 422 and "sampel GPS" in r.content.decode() and not CheckIn.objects.exists()


def test_a_selfie_required_by_policy(staf_api: Any, clock: Clock, settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import image_bytes

    settings.HADIR_SELFIE_REQUIRED_KINDS = "masuk, pulang"
    out = staf_api.post("/checkins", body()).json()
    assert (out["verdict"], out["reason_code"]) == ("rejected", "photo_required")
    assert "Swafoto wajib" in out["reason"]
    with_photo = staf_api.post_multipart("/checkins", {
        **body(), "photo": SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")}).json()
    assert with_photo["verdict"] == "accepted"
    assert staf_api.post("/checkins", body(kind="ping")).json()["reason_code"] != "photo_required"
