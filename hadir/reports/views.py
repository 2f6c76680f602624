"""Recap pages: the filterable recap (htmx swaps the result under the form), its Excel and PDF (at once when small,
else a background export with a progress bar), and the employee's own month in the app with its PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hadir.errors import DomainError, InvalidRequest, NotFound
from hadir.files import bulan, private_file, tanggal
from hadir.org.models import Employee, Unit, employee_of

from . import exports
from . import recap as rc
from . import scope as sc
from .models import ExportFormat, ExportStatus
from .texts import LEGEND, RATE_DEFINITION

MAX_EMPLOYEE_ROWS = 3000  # per-employee rows on the page; the files carry everyone


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidRequest(_("Pilihan tidak valid."))
    return int(raw)


def _date(raw: str | None, field: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(_("Tanggal tidak valid: %(v)s (format YYYY-MM-DD).") % {"v": raw[:20]},
                                field=field) from None


def _quick_periods(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    monday = today - dt.timedelta(days=today.weekday())
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    return [(_("Minggu ini"), monday, today),
            (_("Minggu lalu"), monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)),
            (_("Bulan ini"), today.replace(day=1), today),
            (_("Bulan lalu"), last_month_end.replace(day=1), last_month_end)]


def _selection(request: HttpRequest, data: Any) -> sc.Selection:
    today = timezone.localdate()
    start = _date(data.get("start"), "start") or today.replace(day=1)
    end = _date(data.get("end"), "end") or today
    return sc.select(request.user, start, end, opd_id=_int(data.get("opd")), unit_id=_int(data.get("unit")),
                     employee_id=_int(data.get("employee")))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = sc.scope_of(request.user)
    if scope is None:
        return redirect("reports:mine")
    today = timezone.localdate()
    context: dict[str, Any] = {"nav": "reports", "quick": _quick_periods(today), "today": today,
                               "opds": list(scope.opds().values_list("pk", "name")), "legend": LEGEND,
                               "rate_definition": RATE_DEFINITION}
    status = 200
    try:
        sel = _selection(request, request.GET)
    except DomainError as exc:
        context.update(error=exc.message, start=request.GET.get("start", ""), end=request.GET.get("end", ""))
        sel = None
        status = exc.status
    if sel is not None:
        context.update(_result(sel))
        context["units"] = list(Unit.objects.filter(opd_id=sel.opd_id, is_active=True).order_by("path")
                                .values_list("pk", "name")) if sel.opd_id else []
        context["recent"] = list(exports.visible(request.user).filter(requester=request.user)[:5])
    template = "reports/_result.html" if request.headers.get("HX-Request") else "reports/index.html"
    return render(request, template, context, status=status)


def _result(sel: sc.Selection) -> dict[str, Any]:
    rows = rc.recap(sel.employees, sel.start, sel.end)
    opd_totals = rc.totals(rows, "opd")
    show_employees = len(opd_totals) <= 1 or sel.unit_id is not None or len(rows) <= MAX_EMPLOYEE_ROWS
    dates, grid = rc.month_grid(sel.employees, sel.start) if sel.one_month and len(opd_totals) <= 1 else ([], {})
    return {
        "sel": sel, "start": sel.start.isoformat(), "end": sel.end.isoformat(), "rows": rows if show_employees else [],
        "opd_totals": opd_totals if len(opd_totals) > 1 else [],
        "unit_totals": rc.totals(rows, "unit") if len(opd_totals) == 1 and len({r.unit for r in rows}) > 1 else [],
        "total": rc.grand_total(rows, _("Jumlah")), "hidden_rows": 0 if show_employees else len(rows),
        "dates": dates, "grid": [(r, grid.get(r.employee_id, [""] * len(dates))) for r in rows] if dates else [],
        "large": len(rows) > _sync_max(), "period_label": sel.period_label,
    }


def _sync_max() -> int:
    return int(settings.HADIR_REPORT_SYNC_MAX_EMPLOYEES)


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponseBase:
    """Excel or PDF of the chosen recap: at once when small, else queued with a progress page."""
    fmt = request.POST.get("format", "")
    if fmt not in ExportFormat.values:
        return render(request, "reports/error.html", {"error": _("Format tidak dikenal."), "nav": "reports"},
                      status=400)
    try:
        sel = _selection(request, request.POST)
    except DomainError as exc:
        return render(request, "reports/error.html", {"error": exc.message, "nav": "reports"},
                      status=exc.status)
    if exports.is_large(sel):
        job = exports.request_export(request.user, sel, fmt)
        return redirect("reports:export", job.pk)
    response = HttpResponse(exports.render(sel, fmt), content_type=exports.CONTENT_TYPES[ExportFormat(fmt)])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename_for(sel, fmt)}"'
    return response


@login_required
def export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    try:
        job = exports.get_visible(request.user, export_id)
    except NotFound:
        raise Http404 from None
    template = "reports/_progress.html" if request.headers.get("HX-Request") else "reports/export.html"
    return render(request, template, {"job": job, "nav": "reports", "keep_days": settings.HADIR_REPORT_EXPORT_DAYS,
                                      "running": job.status in (
        ExportStatus.QUEUED, ExportStatus.RUNNING)})


@login_required
def export_download(request: HttpRequest, export_id: int) -> HttpResponseBase:
    try:
        job = exports.get_visible(request.user, export_id)
    except NotFound:
        raise Http404 from None
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    try:
        return private_file(job.file, content_type=exports.CONTENT_TYPES[ExportFormat(job.format)],
                            filename=job.filename, as_attachment=True)
    except FileNotFoundError:
        raise Http404 from None


def _my_month(request: HttpRequest) -> tuple[Employee, sc.Selection, dt.date]:
    me = employee_of(request.user)
    if me is None:
        raise Http404
    raw = request.GET.get("bulan", "")
    first = sc.parse_month(raw, "bulan") if raw else timezone.localdate().replace(day=1)
    start, end = sc.month_period(first)
    return me, sc.select(request.user, start, end, employee_id=me.pk), first


def _bad(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "reports/error.html", {"error": exc.message, "nav": "reports", "mobile": True},
                  status=400)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The employee's own month in the app: the day grid and the totals."""
    try:
        me, sel, first = _my_month(request)
    except DomainError as exc:
        return _bad(request, exc)
    rows = rc.recap(sel.employees, sel.start, sel.end)
    dates, grid = rc.month_grid(sel.employees, first)
    codes = grid.get(me.pk, [""] * len(dates))
    today = timezone.localdate()
    months = []
    m = today.replace(day=1)
    for _i in range(6):
        months.append((f"{m:%Y-%m}", bulan(m)))
        m = (m - dt.timedelta(days=1)).replace(day=1)
    return render(request, "reports/mine.html", {
        "me": me, "r": rows[0] if rows else None, "days": list(zip(dates, codes, strict=True)),
        "month_value": f"{first:%Y-%m}", "month_label": bulan(first), "months": months, "legend": LEGEND,
        "period_label": f"{tanggal(sel.start)} – {tanggal(sel.end)}",
        "weekdays": [_("Sen"), _("Sel"), _("Rab"), _("Kam"), _("Jum"), _("Sab"), _("Min")], "lead": range(dates[0].weekday()) if dates else [],
    })


@login_required
def mine_pdf(request: HttpRequest) -> HttpResponse:
    try:
        me, sel, first = _my_month(request)
    except DomainError as exc:
        return _bad(request, exc)
    response = HttpResponse(exports.render(sel, ExportFormat.PDF), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rekap-{me.nip or me.pk}-{first:%Y-%m}.pdf"'
    return response
