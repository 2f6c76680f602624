"""Server-rendered approval inbox for atasan (and BKPSDM for items no atasan can decide)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hadir.errors import ApiError
from hadir.presence.fraud import FLAG_LABELS

from .models import ApprovalItem, ItemKind, ItemStatus
from .services import decide_many, inbox

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
            except ApiError as exc:
                messages.error(request, exc.message)
            else:
                word = _("disetujui/valid") if decision == "approve" else _("ditolak/tidak valid")
                messages.success(request, _("%(n)d item %(word)s.") % {"n": len(decided), "word": word})
        return redirect(request.get_full_path())

    kind = request.GET.get("jenis", "")
    qs = inbox(request.user)
    if kind in (ItemKind.CHECKIN, ItemKind.LEAVE):
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
