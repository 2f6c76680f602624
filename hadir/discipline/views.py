"""Discipline pages: open PP 94/2021 cases by level and age, one case with its evidence and its next step, and an
employee's own ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hadir.errors import DomainError, InvalidRequest
from hadir.org.models import employee_of
from hadir.org.scoping import board_scope

from . import cases as svc
from .absences import year_summaries
from .documents import add_document, evidence_days
from .letters import LETTERS, letter_pdf
from .models import OPEN_STATES, CaseState, DocumentKind

LEVELS = ("berat", "sedang", "ringan")


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if board_scope(request.user) is None:
        if employee_of(request.user) is not None:
            return redirect("discipline:mine")
        raise PermissionDenied(_("Halaman ini untuk BKPSDM, operator OPD dan kepala unit."))
    show = request.GET.get("status", "open")
    qs = svc.cases_for(request.user)
    qs = qs.filter(state__in=OPEN_STATES) if show == "open" else qs.exclude(state__in=OPEN_STATES)
    now = timezone.now()
    groups: dict[str, list[Any]] = {level: [] for level in LEVELS}
    for case in qs.order_by("opened_at", "pk")[:1000]:
        case.age = (now - case.opened_at).days  # type: ignore[attr-defined]
        groups.setdefault(case.level, []).append(case)
    return render(request, "discipline/cases.html", {"groups": groups, "show": show, "nav": "discipline",
                                                     "names": svc.BY_CODE})


def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(_("Tanggal tidak valid (YYYY-MM-DD)."), field=field) from None


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = svc.case_for(request.user, case_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if request.method == "POST":
        p = request.POST
        step = p.get("step", "")
        try:
            if step == "summon":
                svc.summon(request.user, case, number=p.get("number", ""),
                           hearing_date=_date(p.get("hearing_date", ""), "hearing_date"))
            elif step == "examine":
                svc.examine(request.user, case, notes=p.get("notes", ""))
            elif step == "decide":
                svc.decide(request.user, case, sanction=p.get("sanction", ""), number=p.get("number", ""),
                           decision_date=_date(p.get("decision_date", ""), "decision_date"),
                           start=_date(p.get("start", ""), "start"))
            elif step == "dismiss":
                svc.dismiss(request.user, case, reason=p.get("reason", ""))
            elif step == "annul":
                svc.annul(request.user, case, reason=p.get("reason", ""))
            elif step == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise InvalidRequest(_("Pilih berkas."), field="file")
                add_document(request.user, case, p.get("kind", ""), upload)
            else:
                raise InvalidRequest(_("Tindakan tidak dikenal."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tersimpan."))
        return redirect(request.path)
    return render(request, "discipline/case.html", {
        "case": case, "evidence": evidence_days(case), "options": svc.options(case.level),
        "may_act": svc.may_act(request.user, case), "sanction_name": svc.BY_CODE.get(case.threshold),
        "decided_name": svc.BY_CODE.get(case.decided_sanction), "document_kinds": DocumentKind.choices,
        "states": CaseState, "nav": "discipline",
        "letters": [k for k, (_build, states) in LETTERS.items() if case.state in states],
    })


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    me = employee_of(request.user)
    if me is None:
        raise PermissionDenied(_("Akun ini tidak terhubung dengan data pegawai."))
    today = timezone.localdate()
    summary = year_summaries([me.pk], today, through=True)[me.pk]
    return render(request, "discipline/mine.html", {
        "summary": summary, "year": today.year, "cases": svc.cases_for(request.user).filter(employee=me),
        "nav": "discipline",
    })


@login_required
def letter(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """One of the case's letters as PDF (for those who may see the case)."""
    try:
        case = svc.case_for(request.user, case_id)
        pdf = letter_pdf(case, kind)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{case.pk}.pdf"'
    return response
