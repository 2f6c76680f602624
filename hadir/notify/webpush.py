"""Web Push to the PWA (pywebpush, VAPID keys from settings): the channel "webpush" and the subscriptions.

settings.HADIR_VAPID_PUBLIC_KEY / HADIR_VAPID_PRIVATE_KEY: the application server's key pair (base64url, as
`vapid --gen` or py_vapid make them; docs/deploy.md); HADIR_VAPID_SUBJECT: a mailto: or https: contact.
settings.HADIR_WEBPUSH_HOSTS: the push services a subscription's endpoint may point to (host suffixes) — the server
POSTs to that address, so it is never a user's free choice (no requests into the intranet).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from hadir.errors import InvalidRequest

from .channels import Channel, ChannelNotConfigured, absolute_url, register_channel
from .models import Notification, PushSubscription

DEFAULT_HOSTS = ("fcm.googleapis.com", "updates.push.services.mozilla.com", "push.services.mozilla.com",
                 "notify.windows.com", "push.apple.com")


def public_key() -> str:
    return str(getattr(settings, "HADIR_VAPID_PUBLIC_KEY", "") or "")


def configured() -> bool:
    return bool(public_key() and getattr(settings, "HADIR_VAPID_PRIVATE_KEY", ""))


def allowed_endpoint(url: str) -> bool:
    parts = urlsplit(url)
    hosts = tuple(getattr(settings, "HADIR_WEBPUSH_HOSTS", DEFAULT_HOSTS))
    host = (parts.hostname or "").lower()
    scheme_ok = parts.scheme == "https" or (parts.scheme == "http" and bool(getattr(
        settings, "HADIR_WEBPUSH_ALLOW_HTTP", False)))
    return scheme_ok and any(host == h or host.endswith("." + h) for h in hosts)


def subscribe(user: Any, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    if not allowed_endpoint(endpoint):
        raise InvalidRequest(_("Alamat langganan bukan layanan push yang dikenal."), field="endpoint",
                             code="bad_endpoint")
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:200]})
    return sub


def unsubscribe(user: Any, endpoint: str) -> int:
    n, _detail = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return n


@register_channel
class WebPushChannel(Channel):
    name = "webpush"
    label = "Web Push"

    def address_for(self, user: Any) -> str:
        return "webpush" if PushSubscription.objects.filter(user=user).exists() else ""

    def send(self, notification: Notification, address: str) -> None:
        if not configured():
            raise ChannelNotConfigured("HADIR_VAPID_PUBLIC_KEY/HADIR_VAPID_PRIVATE_KEY belum diisi.")
        payload = json.dumps({"title": notification.subject, "body": notification.body[:300],
                              "url": absolute_url(notification.url) or "/m/", "kind": notification.kind})
        sent, errors = 0, []
        for sub in PushSubscription.objects.filter(user=notification.user):
            try:
                webpush(subscription_info={"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh,
                                                                             "auth": sub.auth}},
                        data=payload, vapid_private_key=settings.HADIR_VAPID_PRIVATE_KEY,
                        vapid_claims={"sub": getattr(settings, "HADIR_VAPID_SUBJECT", "mailto:admin@localhost")},
                        ttl=3600, timeout=10)
                sent += 1
            except WebPushException as exc:
                status = getattr(exc.response, "status_code", None)
                if status in (404, 410):  # the browser dropped the subscription: forget it
                    sub.delete()
                errors.append(f"{status}: {exc}"[:100])
        if not sent and errors:
            raise RuntimeError("; ".join(errors)[:300])
