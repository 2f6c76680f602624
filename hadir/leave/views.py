"""Web pages for employees: my leave requests, the cuti tahunan quota, filing and cancelling."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from .models import LeaveRequest
from .services import LeaveInput, can_cancel, cancel_request, local_today, quota_for, request_leave, visible_to


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    emp = employee_of(request.user)
    if emp is None:
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
