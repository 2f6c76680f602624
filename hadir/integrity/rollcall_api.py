"""Roll calls for phones: the signed-in employee's open calls (native clients poll this), and the answer."""

# No `from __future__ import annotations` here: django-ninja reads the annotations at import.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from . import rollcall

router = Router(tags=["integrity"])


class RollCallOut(Schema):
    id: int
    date: dt.date
    asked_at: dt.datetime
    deadline: dt.datetime
    selfie_required: bool
    status: str
    in_place: bool | None = Field(None, description="Dijawab di dalam radius lokasi kerja")
    distance_m: float | None = None


class AnswerIn(Schema):
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False)
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False)
    accuracy_m: float | None = Field(None, ge=0, le=100_000, allow_inf_nan=False)


def _out(call: Any) -> dict[str, Any]:
    return {k: getattr(call, k) for k in ("id", "date", "asked_at", "deadline", "selfie_required", "status",
                                           "in_place", "distance_m")}


@router.get("/rollcalls", response=list[RollCallOut], summary="Panggilan kehadiran yang menunggu jawaban saya")
def my_roll_calls(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(c) for c in rollcall.pending_for(request.user)]


@router.post("/rollcalls/{call_id}/answer", response=RollCallOut,
             summary="Jawab panggilan kehadiran dengan lokasi (dan swafoto bila diminta)",
             description="multipart/form-data: latitude, longitude, accuracy_m, photo (JPEG/PNG/WebP, maks. 5 MB). "
             "404 bila bukan panggilan Anda, 409 bila sudah dijawab atau lewat batas waktu, 422 bila swafoto "
             "diminta tetapi tidak dikirim.")
def answer_roll_call(request: HttpRequest, call_id: int, payload: Form[AnswerIn],
                     photo: File[UploadedFile] | None = None) -> dict[str, Any]:
    return _out(rollcall.answer(request.user, call_id, payload.latitude, payload.longitude, payload.accuracy_m,
                                photo))
