"""Server-rendered health pages: the OPDs a user administers, and per OPD its terminals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hadir.errors import DomainError, InvalidRequest
from hadir.org.models import Unit, WorkLocation
from hadir.org.scoping import admin_paths, can_administer_unit, is_bkpsdm, path_q, visible_units

from .models import Terminal, TerminalDownDay, TerminalStatus
from .services import assign_to_unit, claimable, logs_on, terminal_for, update_terminal


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


def _locations(user: object) -> list[WorkLocation]:
    """Active work locations in the user's units, by OPD: where a terminal may be placed."""
    qs = WorkLocation.objects.filter(path_q(admin_paths(user), "unit__"), is_active=True).select_related("unit")
    return list(qs.order_by("unit__path", "name")[:2000])


def _post_int(request: HttpRequest, name: str, what: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise InvalidRequest(_("Pilih %(what)s.") % {"what": what}, field=name) from None


def _assign(request: HttpRequest) -> str:
    """Assign a pending terminal (BKPSDM: by its row; an operator: by the serial number on its label) to a
    work location in the user's units; the terminal's unit is the location's. Returns the success message."""
    if request.POST.get("serial_number", "").strip():
        terminal = claimable(request.POST["serial_number"][:64])
    else:
        terminal = terminal_for(request.user, _post_int(request, "terminal", _("mesin")))
        if terminal.status != TerminalStatus.PENDING:
            raise InvalidRequest(_("Mesin ini sudah ditetapkan."), field="terminal")
    location = WorkLocation.objects.select_related("unit").filter(
        pk=_post_int(request, "location", _("lokasi kerja")), is_active=True).first()
    if location is None or not can_administer_unit(request.user, location.unit):
        raise InvalidRequest(_("Lokasi kerja tidak ditemukan di unit yang Anda kelola."), field="location")
    name = request.POST.get("name", "").strip()[:100] or None
    released = assign_to_unit(request.user, terminal, unit_id=location.unit_id, location_id=location.pk, name=name)
    return _("Mesin %(sn)s ditetapkan ke %(loc)s; %(n)d log yang ditahan diproses.") % {
        "sn": terminal.serial_number, "loc": location.name, "n": released}


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if admin_paths(request.user) == []:  # no unit to administer: nothing to assign to
            raise Http404
        try:
            messages.success(request, _assign(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)
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
    paths = admin_paths(request.user)
    may_assign = paths is None or bool(paths)
    return render(request, "terminals/overview.html", {
        "items": items, "pending": pending, "now": now, "may_assign": may_assign,
        "locations": _locations(request.user) if may_assign else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def opd_terminals(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    if not can_administer_unit(request.user, unit):
        raise Http404
    if request.method == "POST":
        try:
            terminal = terminal_for(request.user, _post_int(request, "terminal", _("mesin")))
            action = request.POST.get("action", "")
            if action == "disable":
                update_terminal(request.user, terminal, status=TerminalStatus.DISABLED)
                messages.success(request, _("Mesin %(sn)s dinonaktifkan; kiriman darinya tidak lagi dihitung.")
                                 % {"sn": terminal.serial_number})
            elif action == "enable":
                update_terminal(request.user, terminal, status=TerminalStatus.ACTIVE)
                messages.success(request, _("Mesin %(sn)s aktif kembali.") % {"sn": terminal.serial_number})
            elif action == "move":
                update_terminal(request.user, terminal, location_id=_post_int(request, "location", _("lokasi kerja")))
                messages.success(request, _("Lokasi mesin %(sn)s diubah.") % {"sn": terminal.serial_number})
            else:
                raise InvalidRequest(_("Tindakan tidak dikenal."), field="action")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)
    now = timezone.now()
    terminals = list(Terminal.objects.filter(Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + "."))
                     .select_related("unit", "location").order_by("name", "serial_number"))
    rows = terminal_rows(terminals, now)
    down_days = list(TerminalDownDay.objects.filter(terminal__in=terminals).select_related("terminal")
                     .order_by("-date")[:60])
    return render(request, "terminals/opd.html", {
        "unit": unit, "rows": rows, "down_days": down_days, "now": now,
        "online_count": sum(r.online for r in rows),
        "locations": [loc for loc in _locations(request.user) if loc.unit.opd_id == unit.opd_id],
    })
