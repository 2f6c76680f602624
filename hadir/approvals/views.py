"""Server-rendered approval inbox for atasan (and BKPSDM for items no atasan can decide)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hadir.errors import DomainError
from hadir.files import private_file
from hadir.presence.fraud import FLAG_LABELS

from .models import ApprovalItem, ItemKind, ItemStatus
from .services import can_decide, decide_many, inbox

PAGE = 200


@login_required
@require_http_methods(["GET", "POST"])
def inbox_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            ids = [int(i) for i in request.POST.getlist("ids")]
        except ValueError:
            ids = []
        decision = request.POST.get("decision", "")
        if decision not in ("approve", "reject"):
            messages.error(request, _("Pilih keputusan: setujui/valid atau tolak/tidak valid."))
        elif not ids:
            messages.error(request, _("Pilih paling sedikit satu item."))
        else:
            try:
                decided = decide_many(ids, request.user, decision == "approve", request.POST.get("reason", ""))
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                word = _("disetujui/valid") if decision == "approve" else _("ditolak/tidak valid")
                messages.success(request, _("%(n)d item %(word)s.") % {"n": len(decided), "word": word})
        return redirect(request.get_full_path())

    kind = request.GET.get("jenis", "")
    qs = inbox(request.user)
    if kind in ItemKind.values:
        qs = qs.filter(kind=kind)
    items = list(qs[:PAGE])
    for item in items:
        if item.checkin is not None:
            item.flag_labels = [str(FLAG_LABELS.get(f, f)) for f in item.checkin.fraud_flags or []]  # type: ignore[attr-defined]
    recent = (
        ApprovalItem.objects.filter(decided_by_id=request.user.pk)
        .exclude(status=ItemStatus.CANCELLED)
        .select_related("employee", "checkin", "leave_request")
        .order_by("-decided_at")[:20]
    )
    return render(request, "approvals/inbox.html", {
        "items": items, "total": qs.count(), "kind": kind, "recent": recent, "nav": "approvals",
    })


@login_required
def checkin_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The selfie of a check-in waiting for (or decided by) this user: the atasan needs it to judge,
    nobody else gets it from here."""
    item = (ApprovalItem.objects.filter(pk=pk, kind=ItemKind.CHECKIN)
            .select_related("checkin", "employee__unit").first())
    if item is None or item.checkin is None or not item.checkin.photo:
        raise Http404
    if not (can_decide(request.user, item) or item.decided_by_id == request.user.pk):
        raise Http404
    name = str(item.checkin.photo.name)
    content_type = "image/png" if name.lower().endswith(".png") else "image/jpeg"
    return private_file(item.checkin.photo, content_type=content_type, cache_control="private, max-age=300")
