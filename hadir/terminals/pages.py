"""Server-rendered health pages: the OPDs a user administers, and per OPD its terminals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from hadir.org.models import Unit
from hadir.org.scoping import can_administer_unit, is_bkpsdm, visible_units

from .models import Terminal, TerminalDownDay, TerminalStatus
from .services import logs_on


@dataclass
class TerminalRow:
    terminal: Terminal
    online: bool
    last_seen_local: dt.datetime | None
    logs_today: int
    down_days: list[dt.date]


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def terminal_rows(terminals: list[Terminal], now: dt.datetime) -> list[TerminalRow]:
    rows: list[TerminalRow] = []
    month_down: dict[int, list[dt.date]] = {}
    for dd in TerminalDownDay.objects.filter(terminal__in=terminals,
                                             date__gte=_month_start(timezone.localdate(now))):
        month_down.setdefault(dd.terminal_id, []).append(dd.date)
    for t in terminals:
        logs_today = logs_on(t, now.astimezone(t.tzinfo).date())
        rows.append(TerminalRow(
            terminal=t, online=t.is_online(now),
            last_seen_local=t.last_seen.astimezone(t.tzinfo) if t.last_seen else None,
            logs_today=logs_today, down_days=sorted(month_down.get(t.pk, [])),
        ))
    return rows


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    opd_ids = set(units.exclude(opd__isnull=True).values_list("opd_id", flat=True))
    opds = Unit.objects.filter(pk__in=opd_ids).order_by("name")
    counts: dict[int, dict[str, int]] = {}
    now = timezone.now()
    for t in Terminal.objects.filter(unit__opd_id__in=opd_ids).select_related("unit"):
        assert t.unit is not None
        c = counts.setdefault(t.unit.opd_id or t.unit.pk, {"total": 0, "online": 0})
        c["total"] += 1
        c["online"] += int(t.is_online(now))
    month = _month_start(timezone.localdate(now))
    down = dict(TerminalDownDay.objects.filter(opd_id__in=opd_ids, date__gte=month).values("opd_id")
                .annotate(n=Count("id")).values_list("opd_id", "n"))
    items = [{"opd": o, "total": counts.get(o.pk, {}).get("total", 0),
              "online": counts.get(o.pk, {}).get("online", 0), "down": down.get(o.pk, 0)} for o in opds]
    pending = list(Terminal.objects.filter(status=TerminalStatus.PENDING)) if is_bkpsdm(request.user) else []
    return render(request, "terminals/overview.html", {"items": items, "pending": pending, "now": now})


@login_required
def opd_terminals(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    if not can_administer_unit(request.user, unit):
        raise Http404
    now = timezone.now()
    terminals = list(Terminal.objects.filter(Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + "."))
                     .select_related("unit", "location").order_by("name", "serial_number"))
    rows = terminal_rows(terminals, now)
    down_days = list(TerminalDownDay.objects.filter(terminal__in=terminals).select_related("terminal")
                     .order_by("-date")[:60])
    return render(request, "terminals/opd.html", {
        "unit": unit, "rows": rows, "down_days": down_days, "now": now,
        "online_count": sum(r.online for r in rows),
    })
