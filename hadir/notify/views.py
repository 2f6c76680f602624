"""The in-app inbox page (routed from hadir/web/urls.py at /notifikasi/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .services import mark_read, unread_count


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user_id=int(request.user.pk or 0))
    only_unread = request.GET.get("belum") == "1"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 25).get_page(request.GET.get("hal"))
    return render(request, "notify/inbox.html", {
        "page": page, "only_unread": only_unread, "unread": unread_count(request.user),
    })


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read, then follow the notification's link (or show it in the inbox)."""
    n = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(request.user, [n.pk])
    if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(n.url)
    return HttpResponseRedirect(reverse("web:inbox") + f"#n{n.pk}")


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(request.user)
    return HttpResponseRedirect(reverse("web:inbox"))
