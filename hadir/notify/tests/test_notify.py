"""notify(), delivery through the channels, and the inbox API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from hadir.notify import channels
from hadir.notify.channels import Channel, ChannelNotConfigured, enabled_channels, register_channel
from hadir.notify.delivery import deliver
from hadir.notify.models import Delivery, Notification
from hadir.notify.services import mark_read, notify, unread_count
from hadir.testing import PASSWORD, Org


def _user(emp: Any) -> Any:
    assert emp.user is not None
    return emp.user

pytestmark = pytest.mark.django_db


def test_notify_stores_in_inbox_and_emails_after_commit(org: Org, settings: Any,
                                                        django_capture_on_commit_callbacks: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = _user(org.kadis)
    user.email = "kadis@dinkes.example.go.id"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(user, "Uji", "Isi pesan", "/dasbor/", kind="warning")
    assert Notification.objects.get(pk=n.pk).kind == "warning"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kadis@dinkes.example.go.id"]
    assert mail.outbox[0].subject == "[Hadir] Uji"
    assert "/dasbor/" in mail.outbox[0].body
    assert Delivery.objects.get(notification=n, channel="email").status == "sent"
    assert unread_count(user) == 1


def test_email_falls_back_to_employee_address_and_skips_when_none(org: Org, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org.staf.email = "dewi@example.go.id"
    org.staf.save()
    n = notify(_user(org.staf), "A", "b")
    deliver(n)
    assert mail.outbox[-1].to == ["dewi@example.go.id"]
    n2 = notify(_user(org.guru), "A", "b")  # no address anywhere
    [d] = deliver(n2)
    assert d.status == "skipped"
    assert len(mail.outbox) == 1


def test_keyed_notify_is_idempotent_and_delivery_not_repeated(org: Org, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _user(org.kadis).email = "k@example.go.id"
    _user(org.kadis).save()
    a = notify(_user(org.kadis), "Ringkasan", "x", key="digest:1:2026-11-23")
    b = notify(_user(org.kadis), "Ringkasan", "x", key="digest:1:2026-11-23")
    assert a.pk == b.pk
    deliver(a)
    deliver(a)
    assert len(mail.outbox) == 1


def test_failed_channel_is_recorded_and_others_still_sent(org: Org, settings: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setattr(channels, "_REGISTRY", dict(channels._REGISTRY))  # the test channel does not outlive it

    @register_channel
    class Broken(Channel):
        name = "broken-test"

        def address_for(self, user: Any) -> str:
            return "somewhere"

        def send(self, notification: Any, address: str) -> None:
            raise OSError("gateway down")

    settings.HADIR_NOTIFY_CHANNELS = ["broken-test", "email"]
    _user(org.kadis).email = "k@example.go.id"
    _user(org.kadis).save()
    n = notify(_user(org.kadis), "S", "B")
    results = {d.channel: d.status for d in deliver(n)}
    assert results == {"broken-test": "failed", "email": "sent"}
    assert "gateway down" in Delivery.objects.get(notification=n, channel="broken-test").detail


def test_unknown_channel_name_is_a_configuration_error(settings: Any) -> None:
    settings.HADIR_NOTIFY_CHANNELS = ["pigeon"]
    with pytest.raises(ChannelNotConfigured):
        enabled_channels()


def test_whatsapp_channel_uses_employee_phone_and_reports_missing_gateway(org: Org, settings: Any) -> None:
    settings.HADIR_NOTIFY_CHANNELS = ["whatsapp"]
    org.kadis.phone = "0812-3456-7890"
    org.kadis.save()
    [channel] = enabled_channels()
    assert channel.address_for(_user(org.kadis)) == "6281234567890"
    [d] = deliver(notify(_user(org.kadis), "S", "B"))
    assert d.status == "failed" and "HADIR_WHATSAPP" in d.detail


def test_mark_read_only_touches_own(org: Org) -> None:
    mine = notify(_user(org.kadis), "1", "")
    theirs = notify(_user(org.guru), "2", "")
    assert mark_read(_user(org.kadis), [mine.pk, theirs.pk]) == 1
    assert unread_count(_user(org.guru)) == 1


def test_inbox_api(org: Org) -> None:
    c = Client()
    c.login(username="kadis", password=PASSWORD)
    n1 = notify(_user(org.kadis), "Satu", "")
    notify(_user(org.kadis), "Dua", "")
    other = notify(_user(org.guru), "Bukan milikmu", "")
    r = c.get("/api/notifications")
    assert r.status_code == 200
    assert r.json()["unread"] == 2
    assert [i["subject"] for i in r.json()["items"]] == ["Dua", "Satu"]
    r = c.post("/api/notifications/read", {"ids": [n1.pk]}, content_type="application/json")
    assert r.json() == {"unread": 1}
    r = c.post("/api/notifications/read", {"ids": [other.pk]}, content_type="application/json")
    assert r.status_code == 404 and "tidak ditemukan" in r.json()["message"]
    r = c.get("/api/notifications?limit=0")
    assert r.status_code == 422
    assert c.post("/api/notifications/read", {}, content_type="application/json").json() == {"unread": 0}
    assert Client().get("/api/notifications").status_code == 401
