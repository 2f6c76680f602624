"""Integrity API: enrolment of reference faces (`POST /api/integrity/enrolments`)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hadir.errors import NotFound
from hadir.files import private_file

from . import services
from .models import FaceEnrolment

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
    return Status(201, enrolment_out(enrolment))


def enrolment_out(enrolment: FaceEnrolment) -> dict[str, Any]:
    return {"id": enrolment.pk, "employee_id": enrolment.employee_id, "status": enrolment.status,
            "source": enrolment.source}


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut, summary="Satu rekam wajah")
def get_enrolment(request: HttpRequest, enrolment_id: int) -> dict[str, Any]:
    return enrolment_out(services.enrolment_in_scope(request.user, enrolment_id))


PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@router.get("/enrolments/{enrolment_id}/photo", summary="Foto rekam wajah", response={200: None})
def get_enrolment_photo(request: HttpRequest, enrolment_id: int) -> HttpResponseBase:
    """The private photo, streamed after the same scope check (never under a public /media/ URL)."""
    enrolment = services.enrolment_in_scope(request.user, enrolment_id)
    ext = str(enrolment.photo.name).rsplit(".", 1)[-1].lower()
    try:
        return private_file(enrolment.photo, content_type=PHOTO_TYPES.get(ext, "application/octet-stream"),
                            filename=f"wajah-{enrolment.pk}.{ext}")
    except FileNotFoundError:
        raise NotFound(_("Foto rekam wajah tidak ditemukan."), code="photo_gone") from None
