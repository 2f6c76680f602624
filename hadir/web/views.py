"""Dashboard pages. Thin: parse the request, check scope, call board/discipline/charts/readiness, render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hadir.audit.models import AuditEntry
from hadir.audit.services import trail
from hadir.discipline.absences import absence_report, employees_with_tk
from hadir.discipline.cases import open_dismissals
from hadir.discipline.rules import (
    DISMISSAL_CONSECUTIVE_DAYS,
    SANCTIONS,
    bracket_counts,
    pp94_applies,
    sanction_for_days,
    summarize,
)
from hadir.errors import DomainError
from hadir.files import bulan, month_bounds, tanggal
from hadir.integrity.models import RollCallPolicy
from hadir.integrity.rollcall import away_now
from hadir.org.models import Employee, EmployeeKind, Unit
from hadir.org.scoping import BoardScope, board_scope
from hadir.presence.models import CheckIn, CheckInKind, DailyStatus, Verdict
from hadir.presence.rates import attendance_rate
from hadir.reports import charts as rc

from . import charts as chart_svg
from .board import (
    CACHE_SECONDS,
    CATEGORIES,
    LIST_FILTERS,
    Filters,
    cache_key,
    cache_token,
    compute_board,
    employee_rows,
)
from .labels import CATEGORY_LABELS, CHECK_LABELS, KIND_LABELS, LEVEL_LABELS, LIST_FILTER_LABELS, STATUS_LABELS
from .readiness import readiness as readiness_rows
from .scope import scope_today, scope_zone

PAGE_SIZE = 50
MAP_LIMIT = 3000


def _scope(request: HttpRequest) -> BoardScope:
    scope = board_scope(request.user)
    if scope is None:
        raise PermissionDenied(_("Dasbor hanya untuk admin BKPSDM, operator OPD dan kepala unit."))
    return scope


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _day(request: HttpRequest, scope: BoardScope) -> tuple[dt.date, str]:
    raw = request.GET.get("tanggal", "")
    today = scope_today(scope)
    if not raw:
        return today, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return today, _("Tanggal tidak valid; menampilkan hari ini.")


def _filters(request: HttpRequest, scope: BoardScope, opd_id: int | None = None) -> Filters:
    opd = opd_id if opd_id is not None else _int(request.GET.get("opd"))
    unit = _int(request.GET.get("unit"))
    if opd is not None and not scope.opds().filter(pk=opd).exists():
        raise PermissionDenied(_("OPD ini di luar cakupan Anda."))
    if unit is not None:
        u = Unit.objects.filter(pk=unit).first()
        if u is None or not scope.contains(u):
            raise PermissionDenied(_("Unit ini di luar cakupan Anda."))
    kind = request.GET.get("jenis", "")
    kind = kind if kind in EmployeeKind.values else ""
    status = request.GET.get("status", "")
    status = status if status in LIST_FILTERS else ""
    return Filters(opd=opd, unit=unit, kind=kind, q=request.GET.get("q", "").strip()[:100], status=status)


def _common(request: HttpRequest, scope: BoardScope, nav: str) -> dict[str, Any]:
    return {"board_scope": scope, "nav": nav}


def _live_html(request: HttpRequest, scope: BoardScope, day: dt.date, f: Filters, page: int, query: str,
               refresh_seconds: int) -> str:
    """The live part (counts, per-OPD table, employee page), rendered once per data generation.

    Cached with the same generation tokens as the counts, so a check-in or status change shows on the
    next refresh; viewers polling an unchanged board cost one cache read.
    """
    key = cache_key("live", scope.key, day.isoformat(), f, page, request.path, query, get_language(),
                    refresh_seconds, cache_token(day))
    html = cache.get(key)
    if html is not None:
        return str(html)
    counts = compute_board(scope, day, f)
    rows, total = employee_rows(scope, day, f, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE,
                                counts=counts.total)
    html = render_to_string("web/_live.html", {
        "day": day, "f": f, "board": counts, "rows": rows, "total": total, "page": page,
        "pages": max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE), "query": query,
        "categories": [(c, CATEGORY_LABELS[c]) for c in CATEGORIES], "status_labels": STATUS_LABELS,
        "kind_labels": KIND_LABELS, "refresh_seconds": refresh_seconds,
        "updated": timezone.localtime(timezone=scope_zone(scope)),
    }, request)
    cache.set(key, html, CACHE_SECONDS)
    return html


@login_required
def board(request: HttpRequest, opd_id: int | None = None) -> HttpResponse:
    scope = _scope(request)
    day, warning = _day(request, scope)
    f = _filters(request, scope, opd_id)
    page = max(1, _int(request.GET.get("hal")) or 1)
    params = request.GET.copy()
    params.pop("hal", None)
    query = params.urlencode()
    refresh_seconds = int(getattr(settings, "HADIR_BOARD_REFRESH_SECONDS", 60))
    live = mark_safe(_live_html(request, scope, day, f, page, query, refresh_seconds))  # rendered by our template
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "live":
        return HttpResponse(live)
    opd = Unit.objects.filter(pk=f.opd).first() if f.opd else None
    units = list(scope.units().filter(opd_id=f.opd).exclude(pk=f.opd).values_list("pk", "name")) if f.opd else []
    return render(request, "web/board.html", {
        **_common(request, scope, "board"),
        "day": day, "today": scope_today(scope), "warning": warning, "f": f, "live": live, "opd": opd,
        "units": units, "opds": list(scope.opds().values_list("pk", "name")), "kinds": KIND_LABELS.items(),
        "list_filters": list(LIST_FILTER_LABELS.items()), "query": query, "refresh_seconds": refresh_seconds,
        "tile_url": getattr(settings, "HADIR_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "tile_attribution": getattr(settings, "HADIR_MAP_TILE_ATTRIBUTION", "© OpenStreetMap"),
        "dismissals": list(open_dismissals(request.user).order_by("opened_at")[:20]),
        "away": _away_now(scope, f.opd) if day == scope_today(scope) else [],
    })


def _away_now(scope: Any, opd_id: int | None) -> list[Any]:
    """Who is away now by the roll calls of the last two hours (missed, or answered away from the workplace)."""
    if not RollCallPolicy.objects.filter(active=True).exists():
        return []
    staff = Employee.objects.filter(scope.q("unit__"))
    if opd_id:
        staff = staff.filter(unit__opd_id=opd_id)
    return away_now(staff.values("pk"))[:30]


@login_required
def board_opd(request: HttpRequest, opd_id: int) -> HttpResponse:
    return board(request, opd_id)


@login_required
def board_map(request: HttpRequest) -> JsonResponse:
    """Today's accepted check-ins (first masuk per employee) and work locations, for the Leaflet map."""
    scope = _scope(request)
    day, _warning = _day(request, scope)
    f = _filters(request, scope)
    qs = CheckIn.objects.filter(local_date=day, verdict=Verdict.ACCEPTED, kind=CheckInKind.MASUK,
                                latitude__isnull=False, longitude__isnull=False).filter(scope.q("employee__unit__"))
    if f.opd:
        qs = qs.filter(employee__unit__opd_id=f.opd)
    if f.kind:
        qs = qs.filter(employee__kind=f.kind)
    zone = scope_zone(scope)
    points = [
        {"lat": round(r["latitude"] or 0.0, 6), "lon": round(r["longitude"] or 0.0, 6), "name": r["employee__name"],
         "time": r["occurred_at"].astimezone(zone).strftime("%H:%M"),
         "distance_m": round(r["distance_m"]) if r["distance_m"] is not None else None,
         "source": r["source"]}
        for r in qs.order_by("occurred_at").values("latitude", "longitude", "employee__name", "occurred_at",
                                                    "distance_m", "source")[:MAP_LIMIT]
    ]
    locs = scope.locations()
    if f.opd:
        locs = locs.filter(unit__opd_id=f.opd)
    locations = [
        {"name": loc.name, "lat": loc.latitude, "lon": loc.longitude, "radius_m": loc.radius_m}
        for loc in locs.only("name", "latitude", "longitude", "radius_m")[:1000]
    ]
    return JsonResponse({"date": day.isoformat(), "points": points, "locations": locations,
                         "truncated": len(points) >= MAP_LIMIT})


@login_required
def absence(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    today = scope_today(scope)
    year = _int(request.GET.get("tahun")) or today.year
    if not 2000 <= year <= today.year:
        year = today.year
    f = _filters(request, scope)
    # Below 3 TK days nobody reaches a threshold (and the 10-day streak implies 10 days): only those
    # employees' days are read; the rest are only counted.
    rows = absence_report(scope, year, today, opd=f.opd, min_total=SANCTIONS[0].min_days)
    all_count = employees_with_tk(scope, year, today, opd=f.opd)
    brackets = bracket_counts(r.summary for r in rows)
    risk = [r for r in rows if r.summary.dismissal_risk]
    selected = request.GET.get("ambang", "")
    shown = rows
    if selected == "risiko":
        shown = risk
    elif selected:
        sanction = next((s for s in SANCTIONS if s.code == selected), None)
        shown = [r for r in rows
                 if sanction and r.summary.covered and sanction_for_days(r.summary.total_tk) == sanction]
    else:
        shown = [r for r in rows if r.summary.sanction is not None]
    return render(request, "web/absence.html", {
        **_common(request, scope, "absence"), "year": year, "years": range(today.year, today.year - 4, -1),
        "rows": shown, "brackets": brackets, "risk": risk, "selected": selected, "f": f, "all_count": all_count,
        "opds": list(scope.opds().values_list("pk", "name")), "level_labels": LEVEL_LABELS,
        "kind_labels": KIND_LABELS, "dismissal_days": DISMISSAL_CONSECUTIVE_DAYS,
        "sanctions": SANCTIONS,
    })


@login_required
def absence_detail(request: HttpRequest, employee_id: int) -> HttpResponse:
    scope = _scope(request)
    emp = Employee.objects.select_related("unit", "unit__opd", "position").filter(pk=employee_id).first()
    if emp is None or not scope.contains(emp.unit):
        raise Http404(_("Pegawai tidak ditemukan."))
    today = scope_today(scope)
    year = _int(request.GET.get("tahun")) or today.year
    start, end = dt.date(year, 1, 1), min(today, dt.date(year, 12, 31))
    facts = list(DailyStatus.objects.filter(employee=emp, date__gte=start, date__lte=end).values_list(
        "date", "status", "is_working_day", "excuse_ref"))
    summary = summarize(((d, s, w) for d, s, w, _r in facts), covered=pp94_applies(emp.kind))
    by_day = {d: (s, w, r) for d, s, w, r in facts}
    months = []
    for m in range(1, (end.month if year == end.year else 12) + 1):
        first = dt.date(year, m, 1)
        days = []
        d = first
        while d.month == m and d <= end:
            s, w, r = by_day.get(d, ("", True, ""))
            days.append({"date": d, "status": s, "working": w, "ref": r, "label": STATUS_LABELS.get(s, "")})
            d += dt.timedelta(days=1)
        months.append({"first": first, "lead": range(first.weekday()), "days": days,
                       "tk": sum(1 for x in days if x["status"] == "tk")})
    return render(request, "web/absence_detail.html", {
        **_common(request, scope, "absence"), "emp": emp, "year": year, "summary": summary,
        "months": months, "kind_labels": KIND_LABELS, "level_labels": LEVEL_LABELS,
        "dismissal_days": DISMISSAL_CONSECUTIVE_DAYS,
        "streak_days": set(summary.tk_days),
    })


@dataclass(frozen=True)
class ChartPeriod:
    start: dt.date
    end: dt.date
    month: str  # "YYYY-MM" when the period is (the elapsed part of) one month, else ""


def _chart_period(request: HttpRequest, today: dt.date) -> tuple[ChartPeriod, str]:
    """The period of ?bulan=YYYY-MM or ?mulai=&sampai= (ISO dates), else this month up to today; with a message
    (and this month) when the input is unreadable, in the future, or longer than a year."""
    default = ChartPeriod(today.replace(day=1), today, today.strftime("%Y-%m"))
    raw_month = request.GET.get("bulan", "").strip()
    raw_start, raw_end = request.GET.get("mulai", "").strip(), request.GET.get("sampai", "").strip()
    if raw_start or raw_end:
        try:
            start, end = dt.date.fromisoformat(raw_start), dt.date.fromisoformat(raw_end)
        except ValueError:
            return default, _("Tanggal mulai dan sampai harus diisi dengan tanggal yang valid (TTTT-BB-HH).")
        if start > end:
            return default, _("Tanggal mulai harus sebelum tanggal sampai.")
        if start > today:
            return default, _("Periode belum dimulai; grafik hanya untuk hari yang sudah lewat.")
        end = min(end, today)
        if (end - start).days > 366:
            return default, _("Rentang paling panjang satu tahun.")
        return ChartPeriod(start, end, ""), ""
    if not raw_month:
        return default, ""
    try:
        first = dt.datetime.strptime(raw_month, "%Y-%m").date()
    except ValueError:
        return default, _("Bulan tidak valid (gunakan TTTT-BB, mis. 2026-11); menampilkan bulan ini.")
    if first.year < 2000:
        return default, _("Bulan tidak valid (gunakan TTTT-BB, mis. 2026-11); menampilkan bulan ini.")
    if first > today:
        return default, _("Bulan %(bulan)s belum berjalan; menampilkan bulan ini.") % {"bulan": bulan(first)}
    return ChartPeriod(first, min(month_bounds(first)[1], today), raw_month), ""


CHART_TABLES = ("weekly", "daily", "tk", "late", "map")
RANKED_OPDS = 30  # bars in the ranking chart (the table lists every OPD)


def _week_label(monday: dt.date, period: ChartPeriod) -> str:
    a, b = max(monday, period.start), min(monday + dt.timedelta(days=6), period.end)
    return f"{a.day}/{a.month}–{b.day}/{b.month}"


def _rate(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def chart_page_data(scope: BoardScope, period: ChartPeriod, opd: int | None) -> dict[str, Any]:
    """Every chart of the page and the table of its numbers (what the Excel download holds): one query each."""
    tables: dict[str, dict[str, Any]] = {}
    # Rate per OPD per week of the period, worst OPD first.
    weeks, w_series = rc.rates(scope, period.start, period.end, True, opd)
    w_ranked = rc.worst_first(w_series)
    w_total = rc.overall(w_series)
    w_labels = [_week_label(w, period) for w in weeks]
    pooled = attendance_rate(sum(a for s in w_series for a, _n in s.sums.values()),
                                sum(n for s in w_series for _a, n in s.sums.values()))
    tables["weekly"] = {
        "title": _("Tingkat kehadiran per OPD per minggu"), "rates": True,
        "header": [_("OPD"), *[_("Minggu %(w)s (%%)") % {"w": w} for w in w_labels], _("Periode (%)")],
        "rows": [[s.name, *[_rate(s.points.get(w)) for w in weeks], _rate(s.total)] for s in w_ranked]
        + ([[_("Semua OPD"), *[_rate(w_total.get(w)) for w in weeks], _rate(pooled)]] if w_ranked else []),
    }
    rank = chart_svg.rank_chart("chart-rank", _("Tingkat kehadiran per OPD, terendah di atas"),
                                [(s.name, s.total) for s in w_ranked[:RANKED_OPDS]],
                                rc.rate_axis([s.total for s in w_ranked]))
    worst = [s for s in w_ranked if s.total is not None][:5]
    weekly = chart_svg.line_chart(
        "chart-weekly", _("Tingkat kehadiran per minggu: lima OPD terendah dan semua OPD"), w_labels,
        [(s.name, [s.points.get(w) for w in weeks]) for s in worst], rc.rate_axis(
            [v for s in worst for v in s.points.values()] + list(w_total.values())),
        total=[w_total.get(w) for w in weeks], total_name=_("Semua OPD"))
    # Per day: the last 14 days of the period.
    d_start = max(period.start, period.end - dt.timedelta(days=13))
    days, d_series = rc.rates(scope, d_start, period.end, False, opd)
    d_total = rc.overall(d_series)
    d_ranked = rc.worst_first(d_series)
    tables["daily"] = {
        "title": _("Tingkat kehadiran per OPD per hari"), "rates": True,
        "header": [_("OPD"), *[f"{d.day}/{d.month} (%)" for d in days]],
        "rows": [[s.name, *[_rate(s.points.get(d)) for d in days]] for s in d_ranked]
        + ([[_("Semua OPD"), *[_rate(d_total.get(d)) for d in days]]] if d_ranked else []),
    }
    daily = chart_svg.column_chart(
        "chart-daily", _("Tingkat kehadiran per hari, semua OPD"), [f"{d.day}/{d.month}" for d in days],
        [(_("Semua OPD"), "#1565c0", [d_total.get(d) for d in days])], rc.rate_axis(list(d_total.values())), "pct")
    # TK and lateness per week.
    trends = rc.weekly_trends(scope, period.start, period.end, opd)
    t_labels = [_week_label(t.week, period) for t in trends]
    tables["tk"] = {"title": _("Hari tanpa keterangan (TK) per minggu"), "rates": False,
                    "header": [_("Minggu"), _("Hari TK")], "rows": [[lab, t.tk] for lab, t in zip(t_labels, trends, strict=True)]}
    tables["late"] = {"title": _("Keterlambatan per minggu"), "rates": False,
                      "header": [_("Minggu"), _("Hari terlambat"), _("Menit terlambat"), *rc.TL_CATEGORIES],
                      "rows": [[lab, t.late, t.late_minutes, *[t.tl[c] for c in rc.TL_CATEGORIES]]
                               for lab, t in zip(t_labels, trends, strict=True)]}
    tk = chart_svg.column_chart("chart-tk", _("Hari TK per minggu"), t_labels,
                                [(_("Hari TK"), "#e53935", [float(t.tk) for t in trends])],
                                rc.count_axis([float(t.tk) for t in trends]))
    late = chart_svg.column_chart(
        "chart-late", _("Hari terlambat per minggu menurut kategori TL"), t_labels,
        [(c, chart_svg.TL_COLORS[c], [float(t.tl[c]) for t in trends]) for c in rc.TL_CATEGORIES],
        rc.count_axis([float(sum(t.tl.values())) for t in trends]))
    # Check-ins per work location.
    locations = rc.checkins_per_location(scope, period.start, period.end, opd)
    tables["map"] = {"title": _("Presensi per lokasi kerja"), "rates": False,
                     "header": [_("Lokasi kerja"), _("OPD"), _("Lintang"), _("Bujur"), _("Presensi diterima"),
                                _("Pegawai")],
                     "rows": [[c.name, c.opd, round(c.lat, 6), round(c.lon, 6), c.checkins, c.employees]
                              for c in locations]}
    bubbles = chart_svg.bubble_map("chart-map", _("Presensi per lokasi kerja"), locations)
    return {"tables": tables, "charts": {"rank": rank, "weekly": weekly, "daily": daily, "tk": tk, "late": late,
                                         "map": bubbles},
            "map_points": [{"name": c.name, "opd": c.opd, "lat": c.lat, "lon": c.lon, "n": c.checkins}
                           for c in locations]}


@login_required
def charts(request: HttpRequest) -> HttpResponse:
    """Rate per OPD over the weeks of a period (fitted axis, worst first), per day, TK and lateness trends and the
    month's check-ins per work location; each chart as PNG (in the browser) and its numbers as Excel."""
    scope = _scope(request)
    today = scope_today(scope)
    f = _filters(request, scope)
    period, problem = _chart_period(request, today)
    wants_xlsx = request.GET.get("format") == "xlsx"
    chart = request.GET.get("chart", "")
    if wants_xlsx and problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    if wants_xlsx and chart not in CHART_TABLES:
        return HttpResponse(_("Grafik tidak dikenal; pilih salah satu: %(names)s.") % {
            "names": ", ".join(CHART_TABLES)}, status=400, content_type="text/plain; charset=utf-8")
    data = chart_page_data(scope, period, f.opd)
    opd = Unit.objects.filter(pk=f.opd).first() if f.opd else None
    subtitle = _("%(scope)s · Periode: %(start)s – %(end)s") % {
        "scope": opd.name if opd else _("Semua OPD dalam cakupan"), "start": tanggal(period.start),
        "end": tanggal(period.end)}
    if wants_xlsx:
        t = data["tables"][chart]
        body = rc.table_workbook(t["title"], subtitle, t["header"], t["rows"])
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"grafik-{chart}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    params = {"opd": f.opd or ""}
    if period.month:
        params["bulan"] = period.month
    else:
        params.update(mulai=period.start.isoformat(), sampai=period.end.isoformat())
    query = urlencode({k: v for k, v in params.items() if v})
    return render(request, "web/charts.html", {
        **_common(request, scope, "charts"), "f": f, "opds": list(scope.opds().values_list("pk", "name")),
        "period": period, "problem": problem, "subtitle": subtitle, "query": query,
        "max_month": today.strftime("%Y-%m"), "today": today,
        "tile_url": getattr(settings, "HADIR_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "tile_attribution": getattr(settings, "HADIR_MAP_TILE_ATTRIBUTION", "© OpenStreetMap"),
        **data,
    }, status=400 if problem else 200)


@login_required
def readiness(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    rows = readiness_rows(scope)
    return render(request, "web/readiness.html", {
        **_common(request, scope, "readiness"), "rows": rows, "check_labels": CHECK_LABELS,
        "ready_count": sum(1 for r in rows if r.ready),
    })


AUDIT_PAGE_SIZE = 100


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """The audit trail for BKPSDM and super-admins, newest first, with filters (action, who, what, when, text)."""
    try:
        entries = trail(request.user)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    scope = _scope(request)
    q = request.GET
    action, actor, target = q.get("aksi", "").strip(), q.get("pelaku", "").strip(), q.get("objek", "").strip()
    text = q.get("cari", "").strip()
    problems: list[str] = []
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_name__icontains=actor[:150])
    if target:
        entries = entries.filter(target_type=target)
    if text:
        entries = entries.filter(Q(target_repr__icontains=text[:100]) | Q(reason__icontains=text[:100])
                                 | Q(target_id=text[:64]))
    for name, lookup in (("dari", "at__date__gte"), ("sampai", "at__date__lte")):
        raw = q.get(name, "")
        if raw:
            try:
                entries = entries.filter(**{lookup: dt.date.fromisoformat(raw)})
            except ValueError:
                problems.append(_("Tanggal “%(value)s” tidak valid (YYYY-MM-DD); filter itu diabaikan.") % {"value": raw})
    page = max(1, min(_int(q.get("hal")) or 1, 100_000))
    rows = list(entries[(page - 1) * AUDIT_PAGE_SIZE: page * AUDIT_PAGE_SIZE + 1])
    others = q.copy()
    others.pop("hal", None)
    return render(request, "web/audit.html", {
        **_common(request, scope, "audit"), "entries": rows[:AUDIT_PAGE_SIZE], "page": page,
        "more": len(rows) > AUDIT_PAGE_SIZE, "problems": problems, "query": others.urlencode(),
        "actions": AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct(),
        "targets": AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True).distinct(),
        "f": {"aksi": action, "pelaku": actor, "objek": target, "cari": text, "dari": q.get("dari", ""),
              "sampai": q.get("sampai", "")},
    })
