"""The integrity review API — a contract, keep it stable (docs/integrity.md):

`GET /api/integrity/checkins?date=YYYY-MM-DD[&opd=&employee=&min_risk=]` — every check-in of that local date,
rejected ones included, riskiest first, for a BKPSDM admin (the regency) or an OPD operator (their OPD). Outside
one's scope: 403. Flags computed after the check-in (face match, history signals) appear once the follow-up task
has run (within seconds; the target is 60 s)."""

# No `from __future__ import annotations` here: django-ninja reads the annotations at import.

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from hadir.errors import InvalidRequest, NotAllowed
from hadir.org.models import Employee, Unit
from hadir.org.scoping import admin_paths, path_q
from hadir.presence.models import CheckIn

from .risk import score

router = Router(tags=["integrity"])

OPD = Query(None, ge=1, le=2**31 - 1, description="Satu OPD dalam cakupan Anda")
EMPLOYEE = Query(None, ge=1, le=2**31 - 1, description="Satu pegawai dalam cakupan Anda")
MIN_RISK = Query(None, ge=0, le=100, description="Hanya presensi dengan risiko sekurang-kurangnya ini")


class ReviewCheckInOut(Schema):
    id: int
    client_uuid: uuid.UUID
    employee_id: int
    nip: str | None
    kind: str
    source: str
    occurred_at: dt.datetime
    verdict: str
    reason_code: str
    fraud_flags: list[str] = Field(description="Kode tanda kecurangan yang stabil (docs/integrity.md)")
    risk: int = Field(description="Skor risiko 0–100 dari tanda-tandanya (docs/integrity.md)")
    face: str | None = Field(None, description="Hasil pencocokan wajah swafoto: '' cocok, no_face, multiple_faces, "
                                               "face_mismatch, not_enrolled (bukan tanda), unreadable; null: belum/"
                                               "tanpa swafoto")
    face_distance: float | None = None


def review_paths(user: Any) -> list[str] | None:
    """Unit paths the user may review: None for the whole regency (BKPSDM at the root, super-admin)."""
    paths = admin_paths(user)
    if paths == []:
        raise NotAllowed(_("Tinjauan integritas hanya untuk admin BKPSDM dan operator OPD."), code="forbidden")
    return paths


def _covers(paths: list[str] | None, path: str) -> bool:
    return paths is None or any(path == p or path.startswith(p + ".") for p in paths)


def scoped_checkins(user: Any, day: dt.date, opd: int | None = None, employee: int | None = None) -> Any:
    paths = review_paths(user)
    qs = CheckIn.objects.filter(local_date=day)
    if paths is not None:
        qs = qs.filter(path_q(paths, "employee__unit__"))
    if opd is not None:
        unit = Unit.objects.filter(pk=opd, opd_id=opd).first()
        if unit is None or not _covers(paths, unit.path):
            raise NotAllowed(_("OPD ini di luar cakupan Anda."), field="opd", code="out_of_scope")
        qs = qs.filter(employee__unit__opd_id=opd)
    if employee is not None:
        emp = Employee.objects.filter(pk=employee).select_related("unit").first()
        if emp is None or not _covers(paths, emp.unit.path):
            raise NotAllowed(_("Pegawai ini di luar cakupan Anda."), field="employee", code="out_of_scope")
        qs = qs.filter(employee_id=employee)
    return qs


@router.get("/checkins", response=list[ReviewCheckInOut],
            summary="Tinjauan integritas: semua presensi pada satu tanggal, yang paling berisiko lebih dahulu")
def review_checkins(request: HttpRequest, date: str, opd: int | None = OPD, employee: int | None = EMPLOYEE,
                    min_risk: int | None = MIN_RISK) -> list[dict[str, Any]]:
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise InvalidRequest(_("Tanggal tidak valid: gunakan format YYYY-MM-DD."), field="date",
                             code="bad_date") from None
    rows = scoped_checkins(request.user, day, opd, employee).values(
        "id", "client_uuid", "employee_id", "employee__nip", "kind", "source", "occurred_at", "verdict",
        "reason_code", "fraud_flags", "face_check__flag", "face_check__distance")
    out = []
    for r in rows:
        flags = list(r["fraud_flags"] or [])
        risk = score(flags, r["reason_code"] if r["verdict"] == "rejected" else "")
        if min_risk is not None and risk < min_risk:
            continue
        out.append({**r, "nip": r.pop("employee__nip"), "fraud_flags": flags, "risk": risk,
                    "face": r.pop("face_check__flag"), "face_distance": r.pop("face_check__distance")})
    out.sort(key=lambda r: (-r["risk"], r["occurred_at"], r["id"]))
    return out
