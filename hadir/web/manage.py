"""Daily operations in the dashboard ("Kelola"): the routine tasks of OPD operators and BKPSDM admins.

Each task has a page here (or on the app that owns it), scoped to the units the user administers (BKPSDM: the
regency), and each change goes through the owning app's service, which checks the scope again and writes the
audit entry. `tasks_for` is the one list behind the "Kelola" page and the menu: a link is shown only to a user
whose role may use it, so nothing in a menu answers 403. The permission table is docs/operations.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hadir.approvals import corrections as approval_corrections
from hadir.approvals.models import ApprovalItem, ApprovalMode, DelegationKind, ItemStatus
from hadir.approvals.services import (
    appoint_acting_head,
    delegations_for,
    has_own_policy,
    policy_for_unit,
    revoke_acting_head,
    set_policy,
)
from hadir.audit.services import record
from hadir.errors import DomainError, InvalidRequest
from hadir.leave.services import may_see_overview
from hadir.mobile.services import describe_user_agent, reset_binding
from hadir.org.models import DeviceBinding, Employee, Eselon, Position, Unit, UnitKind, WorkLocation
from hadir.org.scoping import admin_paths, is_bkpsdm, path_q, scope_queryset, visible_units
from hadir.tpp.services import may_manage as may_manage_tpp

DEVICE_PAGE = 100
OVERDUE_PAGE = 200


@dataclass(frozen=True)
class Task:
    key: str
    section: str
    label: str
    url: str
    help: str


def is_admin_role(user: Any) -> bool:
    """Operators, BKPSDM admins (a unit to administer) and super-admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    paths = admin_paths(user)
    return paths is None or bool(paths)


def _require(request: HttpRequest) -> None:
    if not is_admin_role(request.user):
        raise PermissionDenied(_("Halaman ini untuk operator OPD dan admin BKPSDM."))


def _admin_link(user: Any, perm: str, url: str) -> str:
    """`url` when the user's role may open that admin page, else ""."""
    return url if user.has_perm(perm) else ""


def tasks_for(user: Any) -> list[Task]:
    """The routine tasks this user's role may do, in the order of the "Kelola" page."""
    if not is_admin_role(user):
        return []
    bkpsdm = is_bkpsdm(user)
    ops, data, rules = _("Harian"), _("Data pegawai dan tempat"), _("Aturan")
    candidates: list[tuple[str, str, Any, str, Any]] = [
        ("devices", ops, gettext_lazy("Perangkat pegawai (reset HP)"), reverse("web:manage_devices"),
         gettext_lazy("Reset ikatan HP yang hilang atau diganti; lihat HP yang dipakai bersama.")),
        ("terminals", ops, gettext_lazy("Mesin absensi"), reverse("terminals:overview"),
         gettext_lazy("Tetapkan mesin baru ke lokasi, nonaktifkan atau pensiunkan mesin.")),
        ("overdue", ops, gettext_lazy("Persetujuan tertunda"), reverse("web:manage_overdue"),
         gettext_lazy("Item yang menunggu keputusan atasan, yang terlama dulu.")),
        ("leave", ops, gettext_lazy("Izin, cuti dan dinas luar"), reverse("leave:overview"),
         gettext_lazy("Pengajuan izin/cuti/DL di unit Anda.")),
        ("correction", ops, gettext_lazy("Koreksi presensi atas nama pegawai"), reverse("web:manage_correction"),
         gettext_lazy("Untuk pegawai yang lupa memindai atau tanpa HP.")),
        ("readiness", ops, gettext_lazy("Kesiapan"), reverse("web:readiness"),
         gettext_lazy("Pegawai tanpa lokasi, jadwal, akun atau PIN mesin.")),
        ("employees", data, gettext_lazy("Pegawai"), _admin_link(user, "org.view_employee", "/admin/org/employee/"),
         gettext_lazy("Data pegawai, akun login, lokasi kerja pegawai.")),
        ("import", data, gettext_lazy("Impor dari Excel"),
         _admin_link(user, "org.add_employee", "/admin/org/employee/impor/"),
         gettext_lazy("Unit, jabatan, lokasi dan pegawai sekaligus; semua atau tidak sama sekali.")),
        ("positions", data, gettext_lazy("Jabatan"), _admin_link(user, "org.view_position", "/admin/org/position/"),
         gettext_lazy("Struktur jabatan dan atasan langsung.")),
        ("locations", data, gettext_lazy("Lokasi kerja"), reverse("web:manage_locations"),
         gettext_lazy("Titik koordinat dan radius kantor, zona waktu.")),
        ("shifts", rules, gettext_lazy("Shift dan jadwal dinas"),
         _admin_link(user, "schedules.change_shiftassignment", "/admin/schedules/shiftassignment/"),
         gettext_lazy("Jadwal shift pegawai (RSUD, puskesmas).")),
        ("patterns", rules, gettext_lazy("Pola jam kerja"),
         _admin_link(user, "schedules.change_workpattern", "/admin/schedules/workpattern/"),
         gettext_lazy("Jam masuk dan pulang per hari, Ramadan.")),
        ("holidays", rules, gettext_lazy("Hari libur dan cuti bersama"),
         _admin_link(user, "schedules.change_holiday", "/admin/schedules/holiday/"),
         gettext_lazy("Libur nasional dan daerah.")),
        ("policy", rules, gettext_lazy("Kebijakan persetujuan"), reverse("web:manage_policies"),
         gettext_lazy("Presensi mana yang perlu persetujuan dan kapan dieskalasi.")),
        ("acting", rules, gettext_lazy("Plt/Plh"), reverse("web:manage_acting"),
         gettext_lazy("Pelaksana tugas/harian yang menyetujui atas nama pejabat.")),
        ("roles", rules, gettext_lazy("Operator dan admin"),
         _admin_link(user, "org.change_roleassignment", "/admin/org/roleassignment/"),
         gettext_lazy("Siapa mengelola unit mana.")),
        ("tpp", rules, gettext_lazy("TPP bulanan"), reverse("tpp:overview"),
         gettext_lazy("Hitung, periksa dan tutup TPP per bulan; daftar nominatif Excel.")),
        ("tpp_rules", rules, gettext_lazy("Aturan TPP (Perbup)"),
         _admin_link(user, "tpp.change_ruleset", "/admin/tpp/ruleset/"),
         gettext_lazy("Persen potongan, batas, cuti, mesin mati; berlaku per masa.")),
        ("tpp_bases", rules, gettext_lazy("Impor TPP dasar"), reverse("tpp:import_bases") if may_manage_tpp(user) else "",
         gettext_lazy("TPP dasar per pegawai dari Excel, dengan riwayat.")),
        ("audit", rules, gettext_lazy("Jejak audit"), reverse("web:audit") if bkpsdm else "",
         gettext_lazy("Setiap perubahan data, dengan filter.")),
    ]
    if not may_see_overview(user):
        candidates = [c for c in candidates if c[0] != "leave"]
    return [Task(key, section, str(label), url, str(help_)) for key, section, label, url, help_ in candidates if url]


# --- the hub -------------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require(request)
    sections: dict[str, list[Task]] = {}
    for task in tasks_for(request.user):
        sections.setdefault(task.section, []).append(task)
    return render(request, "web/manage/index.html", {"sections": sections, "nav": "manage"})


# --- phones ----------------------------------------------------------------------------------------------------


def bindings_in_scope(user: Any) -> Any:
    return scope_queryset(user, DeviceBinding.objects.select_related("employee__unit", "revoked_by"),
                          "employee__unit")


@login_required
@require_http_methods(["GET", "POST"])
def devices(request: HttpRequest) -> HttpResponse:
    """The phones bound to the employees in scope; reset one so its owner can bind a new phone."""
    _require(request)
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        try:
            binding_id = int(request.POST.get("binding", ""))
        except ValueError:
            binding_id = 0
        binding = bindings_in_scope(request.user).filter(pk=binding_id).first()
        if binding is None:
            messages.error(request, _("Ikatan perangkat tidak ditemukan di unit yang Anda kelola; tidak ada yang "
                                      "diubah."))
        elif not reason:
            messages.error(request, _("Tuliskan alasan reset (misalnya: HP hilang, ganti HP)."))
        elif not reset_binding(binding, request.user, reason=reason[:300]):
            messages.warning(request, _("Ikatan perangkat ini sudah direset sebelumnya."))
        else:
            messages.success(request, _("HP %(name)s direset. Pegawai dapat masuk dari HP barunya.")
                             % {"name": binding.employee.name})
        return redirect(request.get_full_path())

    q = request.GET.get("q", "").strip()[:100]
    show = request.GET.get("tampil", "aktif")
    qs = bindings_in_scope(request.user)
    shared = set(DeviceBinding.objects.shared_key_hashes())
    if show == "bersama":
        qs = qs.filter(key_hash__in=shared)
    elif show == "riwayat":
        qs = qs.filter(revoked_at__isnull=False)
    else:
        show = "aktif"
        qs = qs.filter(revoked_at__isnull=True)
    if q:
        qs = qs.filter(Q(employee__name__icontains=q) | Q(employee__nip__startswith=q) | Q(label__icontains=q))
    total = qs.count()
    rows = []
    for b in qs.order_by("employee__name", "-bound_at")[:DEVICE_PAGE]:
        rows.append({"b": b, "device": b.label or describe_user_agent(b.user_agent), "shared": b.key_hash in shared})
    return render(request, "web/manage/devices.html", {
        "rows": rows, "total": total, "q": q, "show": show, "nav": "manage", "limit": DEVICE_PAGE,
    })


# --- overdue approvals -------------------------------------------------------------------------------------------


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Pending approval items of the staff in scope, oldest first, with how long each has waited and whether it
    is past its OPD's escalation wait (a nudge for the operator: chase that atasan, or appoint a Plt/Plh)."""
    _require(request)
    now = timezone.now()
    qs = scope_queryset(request.user, ApprovalItem.objects.filter(status=ItemStatus.PENDING), "employee__unit")
    kind = request.GET.get("jenis", "")
    only_overdue = request.GET.get("lewat", "") == "1"
    if kind:
        qs = qs.filter(kind=kind)
    qs = qs.select_related("employee__unit", "approver_position__unit").order_by("created_at", "pk")
    total = qs.count()
    waits: dict[int, int] = {}
    rows = []
    for item in qs[: OVERDUE_PAGE * 5]:
        unit = item.employee.unit
        if unit.pk not in waits:
            waits[unit.pk] = policy_for_unit(unit)[1]
        since = item.escalated_at or item.created_at
        days = (now - since).days
        late = waits[unit.pk] > 0 and days >= waits[unit.pk]
        if only_overdue and not late:
            continue
        rows.append({"item": item, "days": days, "age": (now - item.created_at).days, "late": late,
                     "wait": waits[unit.pk]})
        if len(rows) >= OVERDUE_PAGE:
            break
    by_opd = (qs.values("employee__unit__opd__name").annotate(n=Count("id")).order_by("-n")[:20])
    return render(request, "web/manage/overdue.html", {
        "rows": rows, "total": total, "kind": kind, "only_overdue": only_overdue, "by_opd": by_opd,
        "kinds": ApprovalItem._meta.get_field("kind").choices, "nav": "manage",
    })


# --- approval policy ---------------------------------------------------------------------------------------------


def policy_units(user: Any) -> list[Unit]:
    """The regency (BKPSDM, super-admin) and the OPDs the user administers."""
    units = visible_units(user).filter(Q(kind=UnitKind.PEMDA) | Q(pk=F("opd_id")))
    return list(units.order_by("path"))


@login_required
@require_http_methods(["GET", "POST"])
def policies(request: HttpRequest) -> HttpResponse:
    _require(request)
    if request.method == "POST":
        try:
            unit_id = int(request.POST.get("unit", ""))
            days = int(request.POST.get("escalate_after_days", ""))
        except ValueError:
            messages.error(request, _("Isian tidak valid: pilih unit dan isi jumlah hari dengan angka."))
            return redirect(request.get_full_path())
        mode = request.POST.get("mode", "")
        if mode not in ApprovalMode.values:
            messages.error(request, _("Pilih presensi yang perlu persetujuan."))
        elif not 1 <= days <= 60:
            messages.error(request, _("Eskalasi harus antara 1 dan 60 hari."))
        else:
            try:
                unit = set_policy(request.user, unit_id, mode, days)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Kebijakan persetujuan %(unit)s disimpan.") % {"unit": unit.name})
        return redirect(request.get_full_path())
    rows = []
    for unit in policy_units(request.user):
        mode, days = policy_for_unit(unit)
        rows.append({"unit": unit, "mode": mode, "days": days, "own": has_own_policy(unit)})
    return render(request, "web/manage/policies.html", {
        "rows": rows, "modes": ApprovalMode.choices, "nav": "manage",
    })


# --- acting heads (Plt/Plh) ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def acting(request: HttpRequest) -> HttpResponse:
    _require(request)
    values = {k: request.POST.get(k, "").strip() for k in
              ("position", "delegate", "kind", "start_date", "end_date", "decree_number")}
    error = ""
    if request.method == "POST" and request.POST.get("revoke"):
        try:
            revoke_acting_head(request.user, int(request.POST["revoke"]))
        except (ValueError, DomainError) as exc:
            messages.error(request, exc.message if isinstance(exc, DomainError) else _("Plt/Plh tidak ditemukan."))
        else:
            messages.success(request, _("Plt/Plh dicabut."))
        return redirect(request.path)
    if request.method == "POST":
        try:
            if values["kind"] not in DelegationKind.values:
                raise InvalidRequest(_("Pilih jenis: Plt atau Plh."), field="kind")
            start, end = _date(values["start_date"]), _date(values["end_date"])
            d = appoint_acting_head(request.user, position_id=_int(values["position"], _("Jabatan")),
                                    delegate_id=_int(values["delegate"], _("Pegawai")), kind=values["kind"],
                                    start_date=start, end_date=end, decree_number=values["decree_number"][:100])
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(kind)s %(name)s untuk %(position)s ditetapkan.") % {
                "kind": d.get_kind_display(), "name": d.delegate.name, "position": d.position.name})
            return redirect(request.path)
    paths = admin_paths(request.user)
    positions = Position.objects.filter(path_q(paths, "unit__")).select_related("unit")
    # the posts that lead or approve (a Plt/Plh stands in for a head, not for a pelaksana)
    positions = positions.filter(Q(is_head=True) | ~Q(eselon=Eselon.PELAKSANA)).order_by("unit__path", "name")[:500]
    employees = Employee.objects.filter(path_q(paths, "unit__"), is_active=True).order_by("name")[:2000]
    today = timezone.localdate()
    current = list(delegations_for(request.user))
    return render(request, "web/manage/acting.html", {
        "delegations": current, "positions": positions, "employees": employees, "kinds": DelegationKind.choices,
        "values": values, "error": error, "today": today, "nav": "manage",
    }, status=400 if error else 200)


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(_("Tanggal tidak valid (YYYY-MM-DD)."), field="date") from None


def _int(raw: str, what: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise InvalidRequest(_("Pilih %(what)s.") % {"what": what.lower()}) from None


# --- koreksi on behalf of staff ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest) -> HttpResponse:
    """An operator files a koreksi presensi for an employee without a phone (same rules and approval tiers)."""
    _require(request)
    keys = ("employee", "date", "kind", "time", "reason")
    values = {k: request.POST.get(k, "").strip() for k in keys} if request.method == "POST" else {
        k: "" for k in keys}
    values["kind"] = values["kind"] or "masuk"
    error, filed = "", None
    if request.method == "POST":
        try:
            employee = approval_corrections.employee_to_file_for(request.user, _int(values["employee"], _("Pegawai")))
            data = approval_corrections.CorrectionInput(
                date=_date(values["date"]), kind=values["kind"], time=_time(values["time"]),
                reason=values["reason"][:300], evidence=request.FILES.get("evidence"))
            filed = approval_corrections.file_correction(employee, request.user, data)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Koreksi untuk %(name)s diajukan dan menunggu persetujuan atasan.")
                             % {"name": employee.name})
            return redirect(request.path)
    paths = admin_paths(request.user)
    employees = Employee.objects.filter(path_q(paths, "unit__"), is_active=True).order_by("name")[:2000]
    recent = approval_corrections.corrections_for(request.user).filter(filed_by_id=request.user.pk)[:20]
    return render(request, "web/manage/correction.html", {
        "employees": employees, "values": values, "error": error, "filed": filed, "recent": recent,
        "evidence_required": approval_corrections.evidence_required(), "nav": "manage",
    }, status=400 if error else 200)


def _time(raw: str) -> dt.time:
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(_("Jam tidak valid (JJ:MM)."), field="time") from None



# --- work locations ----------------------------------------------------------------------------------------------

LOCATION_FIELDS = ["name", "latitude", "longitude", "radius_m", "timezone", "address", "is_active"]


class LocationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = WorkLocation
        fields = LOCATION_FIELDS


@login_required
@require_http_methods(["GET", "POST"])
def locations(request: HttpRequest) -> HttpResponse:
    """The work locations of the user's units: coordinates, radius, zone — the geofence every check-in is judged
    by. Each change is validated like the admin form and audited with its before and after."""
    _require(request)
    qs = scope_queryset(request.user, WorkLocation.objects.select_related("unit"), "unit").order_by("unit__path",
                                                                                                     "name")
    editing = None
    form = None
    raw = request.GET.get("ubah") or request.POST.get("location")
    if raw:
        editing = qs.filter(pk=int(raw)).first() if raw.isdigit() else None
        if editing is None:
            messages.error(request, _("Lokasi kerja tidak ditemukan di unit yang Anda kelola; tidak ada yang diubah."))
            return redirect(request.path)
    if request.method == "POST" and editing is not None:
        before = {f: getattr(editing, f) for f in LOCATION_FIELDS}
        form = LocationForm(request.POST, instance=editing)
        if form.is_valid():
            with transaction.atomic():
                saved = form.save()
                after = {f: getattr(saved, f) for f in LOCATION_FIELDS}
                record(request.user, "org.location_update", saved, before, after)
            messages.success(request, _("Lokasi %(name)s disimpan.") % {"name": saved.name})
            return redirect(request.path)
    elif editing is not None:
        form = LocationForm(instance=editing)
    return render(request, "web/manage/locations.html", {
        "rows": list(qs[:500]), "editing": editing, "form": form, "nav": "manage",
    }, status=400 if form is not None and form.errors else 200)
