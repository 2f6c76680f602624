"""The Integritas pages: riskiest first, evidence per check-in, scoped."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from hadir.presence.models import CheckIn
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


def checkin(emp: Any, minute: int, flags: list[str], device: str = "phone-1", **kw: Any) -> CheckIn:
    return CheckIn.objects.create(
        employee=emp, kind="masuk", source="mobile", client_uuid=uuid.uuid4(), local_date=DAY,
        occurred_at=dt.datetime(2026, 11, 2, 0, minute, tzinfo=dt.UTC), latitude=-3.7956312,
        longitude=102.2592718, accuracy_m=10, verdict=kw.pop("verdict", "accepted"), fraud_flags=flags,
        device_id=device, **kw)


def client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_riskiest_first_and_scoped(org: Org) -> None:
    weak = checkin(org.staf, 10, ["clock_skew"])
    strong = checkin(org.kabid, 12, ["mock_location", "two_devices"])
    guru = checkin(org.guru, 14, ["face_mismatch"])
    checkin(org.sekretaris, 15, [])
    html = client("bkpsdm").get("/integritas/", {"tanggal": "2026-11-02"}).content.decode()
    order = [int(x) for x in re.findall(r'<tr data-checkin="(\d+)"', html)]
    assert order == [strong.pk, guru.pk, weak.pk]  # 88, 70, 15; the clean check-in is not listed
    people = re.findall(r'<tr data-employee="(\d+)"', html)
    assert people[0] == str(org.kabid.pk)
    op = client("op_dinkes").get("/integritas/", {"tanggal": "2026-11-02"}).content.decode()
    assert str(guru.pk) not in re.findall(r'data-checkin="(\d+)"', op)
    assert client("op_dinkes").get(f"/integritas/presensi/{guru.pk}/").status_code == 404
    assert client("staf").get("/integritas/").status_code == 403


def test_evidence_page(org: Org) -> None:
    row = checkin(org.kabid, 12, ["mock_location", "two_devices"])
    checkin(org.staf, 20, [], device="phone-1")  # the same phone, another employee
    html = client("op_dinkes").get(f"/integritas/presensi/{row.pk}/").content.decode()
    assert "mock_location" in html and "two_devices" in html and "lokasi palsu" in html
    assert 'id="map"' in html and '"radius": 100' in html  # the work location's circle
    assert org.staf.name in html  # the device's history names the colleague who used the same phone
    assert client("op_dinkes").get(f"/integritas/presensi/{row.pk}/foto/").status_code == 404  # no selfie


def test_bad_date_is_a_message(org: Org) -> None:
    response = client("bkpsdm").get("/integritas/", {"tanggal": "2026-13-45"})
    assert response.status_code == 400 and "Tanggal tidak valid" in response.content.decode()


def test_an_operator_enrols_a_face_from_the_page(org: Org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hadir.integrity.models import FaceEnrolment

    from .conftest import blank, photo

    op = client("op_dinkes")
    page = op.get("/integritas/wajah/").content.decode()
    assert f'data-employee="{org.staf.pk}"' in page and f'data-employee="{org.guru.pk}"' not in page
    ok = op.post("/integritas/wajah/", {"employee": org.staf.pk, "source": "camera",
                                        "photo": SimpleUploadedFile("w.jpg", photo("obama.jpg"), "image/jpeg")})
    assert ok.status_code == 200 and 'id="enrol-ok"' in ok.content.decode()
    assert FaceEnrolment.objects.get(employee=org.staf).source == "camera"
    no_face = op.post("/integritas/wajah/", {"employee": org.kabid.pk,
                                             "photo": SimpleUploadedFile("w.jpg", blank(), "image/jpeg")})
    assert no_face.status_code == 400 and "Tidak ada wajah" in no_face.content.decode()
    other_opd = op.post("/integritas/wajah/", {"employee": org.guru.pk,
                                               "photo": SimpleUploadedFile("w.jpg", photo("obama.jpg"), "image/jpeg")})
    assert other_opd.status_code == 400 and not FaceEnrolment.objects.filter(employee=org.guru).exists()
