"""/api/notifications: the signed-in user's inbox."""

# No `from __future__ import annotations` in a module with @paginate views: ninja reads their annotations through
# its wrapper, in the namespace of ninja.pagination, where strings would not resolve.

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from hadir.pagination import LimitOffset

from . import services, webpush

router = Router(tags=["notify"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationInboxOut(Schema):
    unread: int
    items: list[NotificationOut]


class NotificationInboxFilter(FilterSchema):
    unread_only: bool = Field(False, description="Hanya yang belum dibaca")

    def filter_unread_only(self, value: bool) -> Q:
        return Q(read_at__isnull=True) if value else Q()


class ReadIn(Schema):
    ids: list[int] | None = Field(None, description="Kosongkan untuk menandai semua sebagai dibaca.")


class CountOut(Schema):
    unread: int


@router.get("", response=NotificationInboxOut, summary="Kotak masuk notifikasi")
@paginate(LimitOffset, default_limit=50, max_limit=200)
def inbox(request: HttpRequest, filters: Query[NotificationInboxFilter]) -> dict[str, Any]:
    return {"unread": services.unread_count(request.user), "items": filters.filter(services.inbox_of(request.user))}


@router.get("/unread-count", response=CountOut, summary="Jumlah notifikasi belum dibaca")
def count(request: HttpRequest) -> dict[str, int]:
    return {"unread": services.unread_count(request.user)}


@router.post("/read", response=CountOut, summary="Tandai notifikasi sebagai dibaca")
def read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    services.read(request.user, payload.ids)
    return {"unread": services.unread_count(request.user)}


class WebPushKeyOut(Schema):
    public_key: str = Field(description="Kunci publik VAPID (base64url) untuk PushManager.subscribe; kosong: Web "
                                        "Push tidak dipasang")


class PushKeysIn(Schema):
    p256dh: str = Field(min_length=20, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


class PushSubscriptionIn(Schema):
    endpoint: str = Field(min_length=10, max_length=500)
    keys: PushKeysIn


@router.get("/push-key", response=WebPushKeyOut, summary="Kunci publik VAPID untuk berlangganan Web Push")
def push_key(request: HttpRequest) -> dict[str, str]:
    return {"public_key": webpush.public_key()}


@router.post("/push-subscriptions", response={201: None}, summary="Daftarkan langganan Web Push peramban ini")
def push_subscribe(request: HttpRequest, payload: PushSubscriptionIn) -> Status[None]:
    webpush.subscribe(request.user, payload.endpoint, payload.keys.p256dh, payload.keys.auth,
                      request.headers.get("User-Agent", ""))
    return Status(201, None)


@router.delete("/push-subscriptions", response={204: None}, summary="Hapus langganan Web Push peramban ini")
def push_unsubscribe(request: HttpRequest, endpoint: str) -> Status[None]:
    webpush.unsubscribe(request.user, endpoint)
    return Status(204, None)
