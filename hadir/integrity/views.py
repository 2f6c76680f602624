"""The "Integritas" pages for BKPSDM and OPD operators: the riskiest check-ins of a day and the riskiest employees
of its month first, and per check-in its evidence — the positions on a map, the selfie (beside the enrolled face
once there is one), the device's history, which flags and why. Scoped like the review API (review.review_paths):
BKPSDM the regency, an operator their OPD; outside it, 404."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.approvals.models import ApprovalItem, ItemKind
from hadir.approvals.services import can_decide
from hadir.errors import DomainError, InvalidRequest, NotAllowed
from hadir.files import private_file
from hadir.org.models import Employee, Unit
from hadir.org.scoping import path_q
from hadir.presence.fraud import FLAG_LABELS
from hadir.presence.models import CheckIn

from . import rollcall, services
from .models import EnrolmentSource, EnrolmentStatus, FaceCheck, FaceEnrolment
from .review import review_paths
from .risk import monthly, score, weight

LIST_LIMIT = 200


def _paths(request: HttpRequest) -> list[str] | None:
    try:
        return review_paths(request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None


def _in_scope(paths: list[str] | None, path: str) -> bool:
    return paths is None or any(path == p or path.startswith(p + ".") for p in paths)


def flag_rows(flags: list[str]) -> list[dict[str, Any]]:
    return [{"code": f, "label": str(FLAG_LABELS.get(f, f)), "weight": weight(f)}
            for f in sorted(set(flags), key=lambda f: -weight(f))]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    paths = _paths(request)
    today = timezone.localdate()
    error = ""
    try:
        day = dt.date.fromisoformat(request.GET.get("tanggal") or today.isoformat())
    except ValueError:
        day, error = today, _("Tanggal tidak valid: gunakan format YYYY-MM-DD.")
    opds = Unit.objects.filter(is_active=True, pk=F("opd_id")).order_by("name")
    opds = opds.filter(path_q(paths, "")) if paths is not None else opds
    opd_id = request.GET.get("opd", "")
    base = CheckIn.objects.all()
    if paths is not None:
        base = base.filter(path_q(paths, "employee__unit__"))
    if opd_id.isdigit():
        base = base.filter(employee__unit__opd_id=int(opd_id))
    rows: list[dict[str, Any]] = []
    for r in base.filter(local_date=day).values("id", "employee_id", "employee__name", "employee__nip",
                                                "employee__unit__opd__name", "kind", "source", "occurred_at",
                                                "verdict", "reason_code", "fraud_flags"):
        risk = score(r["fraud_flags"] or [], r["reason_code"] if r["verdict"] == "rejected" else "")
        if risk > 0:
            rows.append({**r, "risk": risk, "flags": flag_rows(r["fraud_flags"] or [])})
    rows.sort(key=lambda r: (-int(r["risk"]), r["occurred_at"]))
    first = day.replace(day=1)
    scores: dict[int, list[int]] = defaultdict(list)
    names: dict[int, tuple[str, str, str]] = {}
    for m in base.filter(local_date__gte=first, local_date__lte=day).exclude(kind="ping").values(
            "employee_id", "employee__name", "employee__nip", "employee__unit__opd__name", "verdict",
            "reason_code", "fraud_flags"):
        scores[m["employee_id"]].append(score(m["fraud_flags"] or [],
                                              m["reason_code"] if m["verdict"] == "rejected" else ""))
        names[m["employee_id"]] = (m["employee__name"], m["employee__nip"] or "", m["employee__unit__opd__name"])
    people: list[dict[str, Any]] = sorted(({"employee_id": e, "name": names[e][0], "nip": names[e][1], "opd": names[e][2],
                      "risk": monthly(s), "flagged": sum(1 for x in s if x), "checkins": len(s)}
                     for e, s in scores.items()), key=lambda p: (-int(p["risk"]), str(p["name"])))
    people = [p for p in people if p["risk"] > 0]
    return render(request, "integrity/overview.html", {
        "nav": "integrity", "day": day, "rows": rows[:LIST_LIMIT], "more": max(0, len(rows) - LIST_LIMIT),
        "people": people[:50], "month": first, "error": error, "opds": list(opds.values_list("pk", "name")),
        "opd_id": int(opd_id) if opd_id.isdigit() else None,
    }, status=400 if error else 200)


def _checkin(request: HttpRequest, checkin_id: int) -> CheckIn:
    paths = _paths(request)
    row = CheckIn.objects.select_related("employee__unit__opd", "location").filter(pk=checkin_id).first()
    if row is None or not _in_scope(paths, row.employee.unit.path):
        raise Http404
    return row


@login_required
def detail(request: HttpRequest, checkin_id: int) -> HttpResponse:
    row = _checkin(request, checkin_id)
    emp: Employee = row.employee
    around = list(CheckIn.objects.filter(employee=emp, local_date__gte=row.local_date - dt.timedelta(days=1),
                                         local_date__lte=row.local_date).exclude(latitude=None)
                  .order_by("occurred_at").values("id", "kind", "source", "occurred_at", "latitude", "longitude",
                                                  "accuracy_m", "device_id", "verdict", "fraud_flags"))
    device = []
    if row.device_id:
        device = list(CheckIn.objects.filter(device_id=row.device_id, local_date__gte=row.local_date
                                             - dt.timedelta(days=30)).order_by("-occurred_at")
                      .values("id", "employee__name", "employee__nip", "kind", "source", "occurred_at",
                              "local_date")[:50])
    devices_of_account = list(CheckIn.objects.filter(employee=emp, local_date__gte=row.local_date
                                                     - dt.timedelta(days=30)).exclude(device_id="")
                              .values_list("device_id", flat=True).distinct()[:10])
    locations = [{"name": loc.name, "lat": loc.latitude, "lon": loc.longitude, "radius": loc.radius_m}
                 for loc in emp.locations.filter(is_active=True)]
    points = [{"lat": a["latitude"], "lon": a["longitude"], "label": f"{a['kind']} {timezone.localtime(a['occurred_at']):%d/%m %H:%M}",
               "current": a["id"] == row.pk, "flagged": bool(a["fraud_flags"])} for a in around]
    return render(request, "integrity/detail.html", {
        "nav": "integrity", "c": row, "emp": emp, "flags": flag_rows(list(row.fraud_flags or [])),
        "risk": score(row.fraud_flags or [], row.reason_code if row.verdict == "rejected" else ""),
        "around": around, "device": device, "devices_of_account": devices_of_account,
        "map_data": {"points": points, "locations": locations},
        "enrolled": FaceEnrolment.objects.filter(employee=emp, status=EnrolmentStatus.APPROVED).exists(),
        "face_check": FaceCheck.objects.filter(checkin=row).first(),
        "tile_url": settings.HADIR_MAP_TILE_URL, "tile_attribution": settings.HADIR_MAP_TILE_ATTRIBUTION,
    })


@login_required
def photo(request: HttpRequest, checkin_id: int) -> HttpResponseBase:
    row = _checkin(request, checkin_id)
    if not row.photo:
        raise Http404
    name = str(row.photo.name).lower()
    content_type = "image/png" if name.endswith(".png") else "image/webp" if name.endswith(".webp") else "image/jpeg"
    try:
        return private_file(row.photo, content_type=content_type, cache_control="private, max-age=300")
    except FileNotFoundError:
        raise Http404 from None


def _enrolled_face(employee_id: int) -> HttpResponseBase:
    enrolment = FaceEnrolment.objects.filter(employee_id=employee_id, status=EnrolmentStatus.APPROVED).first()
    if enrolment is None or not enrolment.photo:
        raise Http404
    try:
        return private_file(enrolment.photo, content_type="image/jpeg", cache_control="private, max-age=300")
    except FileNotFoundError:
        raise Http404 from None


@login_required
def enrolled_face(request: HttpRequest, checkin_id: int) -> HttpResponseBase:
    """The enrolled face of a check-in's employee, for the evidence page (the reviewer's scope)."""
    return _enrolled_face(_checkin(request, checkin_id).employee_id)


@login_required
def enrolled_face_for_approval(request: HttpRequest, item_id: int) -> HttpResponseBase:
    """The enrolled face beside the selfie in the atasan's queue: for whoever may decide (or decided) the item."""
    item = ApprovalItem.objects.filter(pk=item_id, kind=ItemKind.CHECKIN).select_related("employee__unit").first()
    if item is None or not (can_decide(request.user, item) or item.decided_by_id == request.user.pk):
        raise Http404
    return _enrolled_face(item.employee_id)


@login_required
def rollcall_app(request: HttpRequest) -> HttpResponse:
    """The employee's open roll calls, answered here with the phone's position (and a selfie when asked)."""
    error, done = "", None
    if request.method == "POST":
        try:
            call_id = int(request.POST.get("call", ""))
            lat, lon = float(request.POST.get("latitude", "")), float(request.POST.get("longitude", ""))
            accuracy = float(request.POST["accuracy_m"]) if request.POST.get("accuracy_m") else None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except ValueError:
            error = _("Lokasi belum didapat. Izinkan akses lokasi lalu coba lagi.")
        else:
            try:
                done = rollcall.answer(request.user, call_id, lat, lon, accuracy, request.FILES.get("photo"))
            except DomainError as exc:
                error = exc.message
    return render(request, "integrity/rollcall.html", {
        "calls": rollcall.pending_for(request.user), "error": error, "done": done,
    }, status=400 if error else 200)


@login_required
def enrolments(request: HttpRequest) -> HttpResponse:
    """Operators and BKPSDM enrol employees' faces: a photo uploaded, or taken with this device's camera while the
    employee stands in front of the operator. Made by them it is approved at once; a new one replaces the old."""
    paths = _paths(request)
    message, error = "", ""
    if request.method == "POST":
        try:
            emp = services.employee_in_scope(request.user, int(request.POST.get("employee", "0") or 0))
            upload = request.FILES.get("photo")
            if upload is None:
                raise InvalidRequest(_("Pilih atau ambil foto wajah."), field="photo")
            source = EnrolmentSource.CAMERA if request.POST.get("source") == "camera" else EnrolmentSource.UPLOAD
            services.enrol(emp, upload, request.user, source=source)
            message = _("Wajah %(name)s terekam.") % {"name": emp.name}
        except ValueError:
            error = _("Pilihan tidak valid.")
        except DomainError as exc:
            error = exc.message
    q = (request.GET.get("q") or "").strip()[:100]
    staff = Employee.objects.filter(is_active=True).select_related("unit")
    if paths is not None:
        staff = staff.filter(path_q(paths, "unit__"))
    if q:
        staff = staff.filter(Q(name__icontains=q) | Q(nip__startswith=q))
    enrolled = dict(FaceEnrolment.objects.filter(status=EnrolmentStatus.APPROVED, employee__in=staff)
                    .values_list("employee_id", "created_at"))
    rows = [(e, enrolled.get(e.pk)) for e in staff.order_by("unit__path", "name")[:200]]
    return render(request, "integrity/enrolments.html", {
        "nav": "integrity", "rows": rows, "q": q, "message": message, "error": error,
        "count": staff.count(), "enrolled_count": len(enrolled),
    }, status=400 if error else 200)
