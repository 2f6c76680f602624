"""Web Push through pywebpush to a real HTTP endpoint standing in for the push service: the message is encrypted
for the subscription, signed with the VAPID key; a subscription the service reports gone is forgotten; endpoints
outside the known push services are refused."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from py_vapid import Vapid01, b64urlencode

from hadir.notify.models import Delivery, PushSubscription
from hadir.notify.services import notify
from hadir.testing import Org

pytestmark = pytest.mark.django_db


class PushService(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answer = 201

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        PushService.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                     "body": body})
        self.send_response(PushService.answer)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def service(settings: Any) -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), PushService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PushService.received, PushService.answer = [], 201
    vapid = Vapid01()
    vapid.generate_keys()
    settings.HADIR_VAPID_PRIVATE_KEY = b64urlencode(vapid.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    settings.HADIR_VAPID_PUBLIC_KEY = b64urlencode(vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))
    settings.HADIR_NOTIFY_CHANNELS = ["webpush"]
    settings.HADIR_WEBPUSH_HOSTS = ["127.0.0.1"]
    settings.HADIR_WEBPUSH_ALLOW_HTTP = True
    yield f"http://127.0.0.1:{server.server_port}/push/abc"
    server.shutdown()


def browser_keys() -> dict[str, str]:
    """What a browser's PushSubscription.toJSON() carries: its P-256 public key and a 16-byte secret."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"p256dh": b64urlencode(public), "auth": b64urlencode(b"0123456789abcdef")}


def test_a_notification_reaches_the_phone(org: Org, service: str, django_capture_on_commit_callbacks: Any) -> None:
    phone = Client()
    assert org.staf.user is not None
    phone.force_login(org.staf.user)
    assert phone.get("/api/notifications/push-key").json()["public_key"]
    r = phone.post("/api/notifications/push-subscriptions", {"endpoint": service, "keys": browser_keys()},
                   content_type="application/json")
    assert r.status_code == 201 and PushSubscription.objects.filter(user=org.staf.user).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        notify(org.staf.user, "Panggilan kehadiran", "Jawab sebelum 10:15.", url="/integritas/panggilan/")
    [push] = PushService.received
    assert push["path"] == "/push/abc"
    assert push["headers"]["content-encoding"] == "aes128gcm" and push["body"]  # encrypted for that browser
    assert push["headers"]["authorization"].startswith("vapid t=")  # signed with the server's VAPID key
    assert b"Panggilan" not in push["body"]
    assert Delivery.objects.get(channel="webpush").status == "sent"


def test_a_subscription_the_service_calls_gone_is_forgotten(org: Org, service: str,
                                                            django_capture_on_commit_callbacks: Any) -> None:
    assert org.staf.user is not None
    PushSubscription.objects.create(user=org.staf.user, endpoint=service, **browser_keys())
    PushService.answer = 410
    with django_capture_on_commit_callbacks(execute=True):
        notify(org.staf.user, "Panggilan kehadiran", "…")
    assert not PushSubscription.objects.exists()
    assert Delivery.objects.get(channel="webpush").status == "failed"


@pytest.mark.parametrize("endpoint", ["http://10.0.0.5/internal", "https://evil.example.com/push",
                                      "https://fcm.googleapis.com.evil.example/x", "javascript:alert(1)"])
def test_endpoints_outside_the_push_services_are_refused(org: Org, settings: Any, endpoint: str) -> None:
    settings.HADIR_VAPID_PUBLIC_KEY = settings.HADIR_VAPID_PRIVATE_KEY = "x"
    phone = Client()
    assert org.staf.user is not None
    phone.force_login(org.staf.user)
    r = phone.post("/api/notifications/push-subscriptions", {"endpoint": endpoint, "keys": browser_keys()},
                   content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "bad_endpoint" and not PushSubscription.objects.exists()


def test_a_real_push_service_address_is_accepted(org: Org) -> None:
    phone = Client()
    assert org.staf.user is not None
    phone.force_login(org.staf.user)
    r = phone.post("/api/notifications/push-subscriptions", {
        "endpoint": "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b", "keys": browser_keys()},
        content_type="application/json")
    assert r.status_code == 201
    assert phone.delete("/api/notifications/push-subscriptions?endpoint=https://fcm.googleapis.com/fcm/send/"
                        "dGVzdA:APA91b").status_code == 204
    assert not PushSubscription.objects.exists()
