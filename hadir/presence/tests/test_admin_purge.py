"""Admin (read-only, scoped, selfies only for the employee's administrators) and the retention command."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from hadir.presence.models import CheckIn, DailyStatus
from hadir.presence.pipeline import CheckInAttempt, record_checkin
from hadir.testing import PASSWORD, Clock

from .conftest import image_bytes

pytestmark = pytest.mark.django_db


def with_selfie(emp: Any, lat: float = -3.7956312, lon: float = 102.2592718, **kw: Any) -> CheckIn:
    photo = SimpleUploadedFile("s.jpg", image_bytes(), content_type="image/jpeg")
    row, _ = record_checkin(CheckInAttempt(employee=emp, kind="masuk", client_uuid=uuid.uuid4(), latitude=lat,
                                           longitude=lon, accuracy_m=8.0, photo=photo, **kw))
    return row


def staff_client(user: Any) -> Client:
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="presence",
                                                         codename__startswith="view_"))
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_admin_is_read_only_and_scoped(org: Any, clock: Clock) -> None:
    mine = with_selfie(org.staf)
    theirs = with_selfie(org.guru, -3.8004123, 102.2655456)
    c = staff_client(org.operator_dinkes)
    listing = c.get("/admin/presence/checkin/")
    assert listing.status_code == 200
    assert org.staf.name in listing.content.decode() and org.guru.name not in listing.content.decode()
    page = c.get(f"/admin/presence/checkin/{mine.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/admin/presence/checkin/{mine.pk}/swafoto/" in html
    assert "/media/" not in html  # never a public media link
    assert 'name="_save"' not in html  # view-only
    assert c.get(f"/admin/presence/checkin/{theirs.pk}/change/").status_code in (302, 404)
    assert c.post(f"/admin/presence/checkin/{mine.pk}/delete/").status_code == 403
    assert c.get("/admin/presence/checkin/add/").status_code == 403


def test_selfie_only_for_the_employees_administrators(org: Any, clock: Clock) -> None:
    row = with_selfie(org.staf)
    dinkes = staff_client(org.operator_dinkes)
    r = dinkes.get(f"/admin/presence/checkin/{row.pk}/swafoto/")
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert b"".join(r.streaming_content)[:2] == b"\xff\xd8"  # type: ignore[attr-defined]
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]
    disdik = staff_client(org.operator_disdik)
    assert disdik.get(f"/admin/presence/checkin/{row.pk}/swafoto/").status_code == 404
    anonymous = Client().get(f"/admin/presence/checkin/{row.pk}/swafoto/")
    assert anonymous.status_code == 302  # to the login page


def test_daily_status_admin(org: Any) -> None:
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 23), status="terlambat", late_minutes=5)
    DailyStatus.objects.create(employee=org.guru, date=dt.date(2026, 11, 23), status="hadir")
    c = staff_client(org.operator_disdik)
    html = c.get("/admin/presence/dailystatus/").content.decode()
    assert org.guru.name in html and org.staf.name not in html


def test_purge_personal_data(org: Any, clock: Clock, settings: Any) -> None:
    settings.HADIR_PHOTO_RETENTION_DAYS = 90
    settings.HADIR_PING_RETENTION_DAYS = 30
    old = with_selfie(org.staf)
    recent = with_selfie(org.kabid)
    CheckIn.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - dt.timedelta(days=91))
    ping_old, _ = record_checkin(CheckInAttempt(employee=org.staf, kind="ping", client_uuid=uuid.uuid4(),
                                                latitude=-3.79563, longitude=102.25927, accuracy_m=9))
    ping_new, _ = record_checkin(CheckInAttempt(employee=org.staf, kind="ping", client_uuid=uuid.uuid4(),
                                                latitude=-3.79563, longitude=102.25927, accuracy_m=9))
    CheckIn.objects.filter(pk=ping_old.pk).update(occurred_at=timezone.now() - dt.timedelta(days=31))
    old_file = settings.MEDIA_ROOT / old.photo.name
    assert old_file.exists()

    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "akan dihapus: 1" in out.getvalue() and old_file.exists()

    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Swafoto lebih dari 90 hari dihapus: 1" in out.getvalue()
    assert "Ping lokasi lebih dari 30 hari dihapus: 1" in out.getvalue()
    assert not old_file.exists()
    old.refresh_from_db()
    assert not old.photo and old.verdict == "accepted"  # the attendance record stays
    recent.refresh_from_db()
    assert recent.photo and (settings.MEDIA_ROOT / recent.photo.name).exists()
    assert not CheckIn.objects.filter(pk=ping_old.pk).exists()
    assert CheckIn.objects.filter(pk=ping_new.pk).exists()
    # idempotent
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "dihapus: 0" in out.getvalue()


def test_flagged_filter(org: Any, clock: Clock) -> None:
    plain = with_selfie(org.staf)
    flagged = with_selfie(org.kabid, -3.7956, 102.2592)  # round coordinates
    assert flagged.fraud_flags and not plain.fraud_flags
    c = staff_client(org.operator_dinkes)
    html = c.get("/admin/presence/checkin/?bertanda=ya").content.decode()
    assert org.kabid.name in html and org.staf.name not in html
    html = c.get("/admin/presence/checkin/?bertanda=tidak").content.decode()
    assert org.staf.name in html and org.kabid.name not in html
