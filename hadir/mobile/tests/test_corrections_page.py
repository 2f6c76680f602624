"""The phone's correction page (/m/koreksi/): file a correction with evidence, see its status; bad input is
shown and nothing is stored."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from hadir.presence.models import Correction
from hadir.testing import Clock, Org

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 10, 10)).save(buf, format="PNG")
    return SimpleUploadedFile("bukti.png", buf.getvalue(), content_type="image/png")


def test_file_a_correction_from_the_phone(org: Org, clock: Clock) -> None:
    c = Client()
    c.force_login(org.staf.user)  # type: ignore[arg-type]
    page = c.get("/m/koreksi/")
    assert page.status_code == 200 and 'id="correction-form"' in page.content.decode()
    assert 'href="/m/koreksi/"' in c.get("/m/").content.decode()  # reachable from the app's tabs
    done = c.post("/m/koreksi/", {"date": "2026-11-20", "kind": "pulang", "time": "16:10",
                                  "reason": "Mesin absensi mati", "evidence": png()})
    assert done.status_code == 200 and 'id="correction-filed"' in done.content.decode()
    assert "Mesin absensi mati" in done.content.decode()
    assert Correction.objects.get().kind == "pulang"


def test_bad_input_is_shown_and_nothing_stored(org: Org, clock: Clock) -> None:
    c = Client()
    c.force_login(org.staf.user)  # type: ignore[arg-type]
    bad = c.post("/m/koreksi/", {"date": "2026-11-30", "kind": "masuk", "time": "07:00", "reason": "x",
                                 "evidence": png()})  # in the future
    assert bad.status_code == 400 and "masa depan" in bad.content.decode()
    garbled = c.post("/m/koreksi/", {"date": "kemarin", "kind": "masuk", "time": "07:00", "reason": "x"})
    assert garbled.status_code == 400 and "Tanggal tidak valid" in garbled.content.decode()
    assert not Correction.objects.exists()


def test_accounts_without_an_employee_record_go_home(org: Org) -> None:
    c = Client()
    c.force_login(org.admin_bkpsdm)
    assert c.get("/m/koreksi/").status_code == 302
