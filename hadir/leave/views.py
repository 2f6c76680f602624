"""Web pages for employees: my leave requests, the cuti tahunan quota, filing and cancelling."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hadir.errors import DomainError
from hadir.files import private_file
from hadir.org.models import employee_of

from . import rules
from .forms import LeaveForm
from .models import LeaveKind, LeaveRequest, LeaveStatus
from .services import (
    LeaveInput,
    can_cancel,
    cancel_request,
    local_today,
    may_see_overview,
    quota_for,
    request_leave,
    visible_to,
)
from .services import overview as overview_of

OVERVIEW_PAGE = 200


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Izin, cuti and dinas luar of the OPD (operator) or the regency (BKPSDM), with filters — e.g. a week's DL."""
    if not may_see_overview(request.user):
        raise PermissionDenied(_("Halaman ini untuk operator OPD dan admin BKPSDM."))
    form = OverviewFilter(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    rows = overview_of(request.user, kind=f.get("kind") or "", status=f.get("status") or "",
                       start=f.get("start"), end=f.get("end"), q=(f.get("q") or "").strip())
    total = rows.count()
    return render(request, "leave/overview.html", {
        "form": form, "rows": rows[:OVERVIEW_PAGE], "total": total, "page_size": OVERVIEW_PAGE, "nav": "leave",
    })


class OverviewFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *LeaveKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua status")), *LeaveStatus.choices])
    start = forms.DateField(label=_("Dari"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Nama/NIP"), required=False, max_length=100)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    emp = employee_of(request.user)
    if emp is None:
        if may_see_overview(request.user):  # an admin without an employee record: the overview of their scope
            return redirect("leave:overview")
        return render(request, "leave/no_employee.html", {"nav": "leave"}, status=403)
    form = LeaveForm(request.POST or None, request.FILES or None, employee_kind=emp.kind, sex=emp.sex)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = request_leave(emp, request.user, LeaveInput(
                kind=data["kind"], start_date=data["start_date"], end_date=data["end_date"], reason=data["reason"],
                letter_number=data["letter_number"], destination=data["destination"], document=data["document"],
            ))
        except DomainError as exc:
            if exc.field and exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(kind)s diajukan dan menunggu persetujuan atasan.") % {
                "kind": req.get_kind_display()})
            return redirect("leave:mine")
    today = local_today(emp)
    requests = list(LeaveRequest.objects.filter(employee=emp).select_related("employee__unit")[:100])
    for req in requests:
        req.cancellable = can_cancel(request.user, req, today)  # type: ignore[attr-defined]
    return render(request, "leave/mine.html", {
        "form": form, "quota": quota_for(emp, today.year), "requests": requests, "employee": emp, "nav": "leave",
        "letter_kinds": json.dumps(sorted(rules.LETTER_REQUIRED)),
    })


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    req = LeaveRequest.objects.filter(visible_to(request.user)).filter(pk=pk).first()
    if req is None:
        raise Http404
    try:
        cancel_request(req, request.user, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pengajuan dibatalkan."))
    return redirect("leave:mine")


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponseBase:
    req = LeaveRequest.objects.filter(visible_to(request.user)).filter(pk=pk).first()
    if req is None or not req.document:
        raise Http404
    ext = str(req.document.name).rsplit(".", 1)[-1]
    return private_file(req.document, content_type=req.document_type or "application/octet-stream",
                        filename=f"dokumen-{req.pk}.{ext}")
