"""Integrity API: enrolment of reference faces (`POST /api/integrity/enrolments`)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from . import services

router = Router(tags=["integrity"])


class EnrolmentIn(Schema):
    employee_id: int = Field(..., ge=1, description="ID pegawai yang direkam wajahnya")
    source: Literal["upload", "camera"] = Field(
        "upload",
        description="`camera`: difoto di aplikasi di hadapan operator; `upload`: foto diunggah operator")


class EnrolmentOut(Schema):
    id: int
    employee_id: int
    status: str
    source: str


@router.post(
    "/enrolments",
    response={201: EnrolmentOut},
    summary="Rekam wajah pegawai (multipart)",
    description="Operator OPD (untuk pegawai OPD-nya) atau admin BKPSDM mengirim `employee_id` dan `photo` "
    "(JPEG/PNG/WebP, maks. 5 MB, tepat satu wajah tampak depan). Rekam wajah langsung disetujui oleh pembuatnya; "
    "rekam wajah pegawai yang sudah ada menjadi `replaced` (tercatat di jejak audit). 422 bila foto bukan gambar, "
    "tidak memuat wajah (`no_face`) atau memuat lebih dari satu wajah (`multiple_faces`); 413 bila terlalu besar; "
    "403 tanpa peran administrasi; 404 bila pegawai tidak ada atau di luar lingkup.",
)
def post_enrolment(request: HttpRequest, payload: Form[EnrolmentIn],
                   photo: UploadedFile = File(..., description="Foto wajah JPEG/PNG/WebP, maks. 5 MB"),  # noqa: B008
                   ) -> Status[dict[str, Any]]:
    employee = services.employee_in_scope(request.user, payload.employee_id)
    enrolment = services.enrol(employee, photo, request.user, source=payload.source, approve=True)
    return Status(201, {"id": enrolment.pk, "employee_id": employee.pk, "status": enrolment.status,
                        "source": enrolment.source})
