"""/api/notifications: the signed-in user's inbox."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from hadir.errors import NotFound, Unprocessable

from .models import Notification
from .services import mark_read, unread_count

router = Router(tags=["notify"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class InboxOut(Schema):
    unread: int
    items: list[NotificationOut]


class ReadIn(Schema):
    ids: list[int] | None = Field(None, description="Kosongkan untuk menandai semua sebagai dibaca.")


class CountOut(Schema):
    unread: int


@router.get("", response=InboxOut, summary="Kotak masuk notifikasi")
def inbox(request: HttpRequest, unread_only: bool = False, limit: int = 50, offset: int = 0) -> dict[str, object]:
    if not 1 <= limit <= 200:
        raise Unprocessable(_("limit harus antara 1 dan 200."), field="limit")
    if offset < 0:
        raise Unprocessable(_("offset tidak boleh negatif."), field="offset")
    qs = Notification.objects.filter(user_id=int(request.user.pk or 0))
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return {"unread": unread_count(request.user), "items": list(qs[offset : offset + limit])}


@router.get("/unread-count", response=CountOut, summary="Jumlah notifikasi belum dibaca")
def count(request: HttpRequest) -> dict[str, int]:
    return {"unread": unread_count(request.user)}


@router.post("/read", response=CountOut, summary="Tandai notifikasi sebagai dibaca")
def read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    if payload.ids is not None:
        owned = set(Notification.objects.filter(user_id=int(request.user.pk or 0), pk__in=payload.ids).values_list("pk", flat=True))
        missing = sorted(set(payload.ids) - owned)
        if missing:
            raise NotFound(_("Notifikasi %(ids)s tidak ditemukan.") % {"ids": ", ".join(map(str, missing))},
                           field="ids", code="not_found")
    mark_read(request.user, payload.ids)
    return {"unread": unread_count(request.user)}
