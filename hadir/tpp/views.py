"""TPP pages: BKPSDM sees the regency (totals per OPD, compute, close, Excel); an OPD head or operator their OPD's
list; anyone the line-by-line "why was my TPP cut" of the employees they may see."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hadir.errors import DomainError, InvalidRequest
from hadir.files import bulan, month_bounds
from hadir.org.models import Unit, employee_of
from hadir.org.scoping import board_scope

from . import export, services
from .api import MAX_UPLOAD
from .models import Period, Result
from .rules import ADJUSTMENT, NO_TPP, SANCTION, TERMINAL_DOWN

EVENT_LABELS = {
    "TL1": gettext_lazy("Terlambat TL1"), "TL2": gettext_lazy("Terlambat TL2"), "TL3": gettext_lazy("Terlambat TL3"), "TL4": gettext_lazy("Terlambat TL4"),
    "PSW1": gettext_lazy("Pulang cepat PSW1"), "PSW2": gettext_lazy("Pulang cepat PSW2"), "PSW3": gettext_lazy("Pulang cepat PSW3"),
    "PSW4": gettext_lazy("Pulang cepat PSW4"), "TK": gettext_lazy("Tanpa keterangan"), "APEL_PAGI": gettext_lazy("Tidak ikut apel pagi"),
    "APEL_SORE": gettext_lazy("Tidak ikut apel sore"), "INVALID": gettext_lazy("Presensi tidak valid (atasan)"),
    "NO_IN": gettext_lazy("Tanpa presensi masuk"), "NO_OUT": gettext_lazy("Tanpa presensi pulang"), "LEAVE": gettext_lazy("Izin/cuti"),
    NO_TPP: gettext_lazy("Hari tanpa TPP"), TERMINAL_DOWN: gettext_lazy("Mesin absensi mati"), SANCTION: gettext_lazy("Sanksi PP 94/2021"),
    ADJUSTMENT: gettext_lazy("Penyesuaian bulan yang sudah ditutup"),
}


def _month(request: HttpRequest) -> dt.date:
    raw = request.GET.get("bulan") or request.POST.get("bulan")
    if not raw:
        today = timezone.localdate()
        return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month: the one being paid
    try:
        return services.parse_month(raw)
    except DomainError:
        return timezone.localdate().replace(day=1)


def _label(event: str) -> str:
    return str(EVENT_LABELS.get(event, event))


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    scope = board_scope(request.user)
    if scope is None:
        if employee_of(request.user) is not None:
            return redirect("tpp:mine")
        raise PermissionDenied(_("Halaman ini untuk BKPSDM, operator OPD dan kepala unit."))
    month = _month(request)
    results = services.results_for(request.user, month)
    opd_id = request.GET.get("opd", "")
    opd = None
    if opd_id.isdigit():
        opd = Unit.objects.filter(pk=int(opd_id)).first()
        if opd is None or not scope.contains(opd):
            raise Http404
        results = results.filter(opd=opd)
    totals = services.totals_by_opd(results)
    rows = list(results.order_by("employee__unit__path", "employee__name")[:2000]) if opd or not scope.is_all \
        else []
    closed = set(Period.objects.filter(month=month).values_list("opd_id", flat=True))
    return render(request, "tpp/overview.html", {
        "month": month, "month_value": f"{month:%Y-%m}", "month_label": bulan(month),
        "totals": totals, "rows": rows, "opd": opd, "closed": closed, "may_manage": services.may_manage(request.user),
        "sum_net": sum(t.net for t in totals), "sum_gross": sum(t.gross for t in totals), "nav": "tpp",
        "month_over": month_bounds(month)[1] < timezone.localdate(),
    })


@login_required
@require_POST
def act(request: HttpRequest) -> HttpResponse:
    """BKPSDM: compute or close the month (for one OPD or all)."""
    month = _month(request)
    raw_opd = request.POST.get("opd", "")
    opd_id = int(raw_opd) if raw_opd.isdigit() else None
    action = request.POST.get("action", "")
    try:
        if action == "compute":
            report = services.compute(request.user, month, opd_id)
            messages.success(request, _("%(n)d pegawai dihitung; %(skip)d OPD dilewati karena sudah ditutup; "
                                        "%(adj)d penyesuaian.") % {"n": report.computed, "skip": report.skipped_closed,
                                                                   "adj": report.adjustments})
            if report.no_rule_set:
                messages.warning(request, _("%(n)d pegawai tanpa aturan TPP yang berlaku.") % {"n": report.no_rule_set})
        elif action == "close":
            periods = services.close(request.user, month, opd_id)
            messages.success(request, _("TPP %(month)s ditutup untuk %(n)d OPD.") % {
                "month": bulan(month), "n": len(periods)})
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except DomainError as exc:
        messages.error(request, exc.message)
    url = f"/tpp/?bulan={month:%Y-%m}" + (f"&opd={opd_id}" if opd_id else "")
    return redirect(url)


@login_required
def detail(request: HttpRequest, employee_id: int) -> HttpResponse:
    month = _month(request)
    try:
        result = services.result_for(request.user, month, employee_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    lines = [(ln, _label(ln.event)) for ln in result.lines.all()]
    return render(request, "tpp/detail.html", {
        "r": result, "lines": lines, "month": month, "month_label": bulan(month),
        "month_value": f"{month:%Y-%m}", "nav": "tpp",
    })


@login_required
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    """The employee's own month in the phone app (PWA): why their TPP was cut, line by line."""
    me = employee_of(request.user)
    if me is None:
        return redirect("home")
    month = _month(request)
    result = services.results_for(request.user, month).filter(employee=me).first()
    lines = [(ln, _label(ln.event)) for ln in result.lines.all()] if result else []
    months = list(Result.objects.filter(employee=me).order_by("-month").values_list("month", flat=True)[:12])
    return render(request, "tpp/mine.html", {
        "r": result, "lines": lines, "month": month, "month_label": bulan(month), "months": months,
        "month_labels": [(f"{m:%Y-%m}", bulan(m)) for m in months],
    })


@login_required
def download(request: HttpRequest) -> HttpResponse:
    if board_scope(request.user) is None:
        raise PermissionDenied(_("Halaman ini untuk BKPSDM, operator OPD dan kepala unit."))
    month = _month(request)
    results = services.results_for(request.user, month)
    opd = None
    raw = request.GET.get("opd", "")
    if raw.isdigit():
        opd = Unit.objects.filter(pk=int(raw)).first()
        results = results.filter(opd_id=int(raw))
    response = HttpResponse(export.daftar_nominatif(results, month),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(month, opd)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_bases(request: HttpRequest) -> HttpResponse:
    """BKPSDM uploads the month's TPP bases (.xlsx); all or nothing, every row error listed."""
    if not services.may_manage(request.user):
        raise PermissionDenied(_("Hanya admin BKPSDM yang dapat menghitung, menutup dan mengatur TPP."))
    report = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidRequest(_("Pilih berkas."), field="file")
            if (upload.size or 0) > MAX_UPLOAD:
                raise InvalidRequest(_("Berkas terlalu besar (maks. 10 MB)."), field="file")
            raw_from = request.POST.get("valid_from", "")
            valid_from = dt.date.fromisoformat(raw_from) if raw_from else None
            report = services.import_bases(request.user, upload.read(), upload.name or "", valid_from=valid_from)
        except ValueError:
            error = _("Tanggal tidak valid (YYYY-MM-DD).")
        except DomainError as exc:
            error = exc.message
        else:
            if not report.errors:
                messages.success(request, _("%(n)d baris diimpor: %(c)d baru, %(u)d diperbarui.") % {
                    "n": report.rows, "c": report.created, "u": report.updated})
                return redirect("tpp:import_bases")
    return render(request, "tpp/import.html", {"report": report, "error": error, "nav": "tpp"},
                  status=400 if error or (report and report.errors) else 200)
