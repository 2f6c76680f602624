"""/api/mobile: device registration for the check-in app (and native clients after /api/auth/token)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hadir.errors import Conflict, NotAllowed, Unprocessable
from hadir.org.models import Employee, employee_of

from .services import bind_device, describe_user_agent, is_valid_device_key, notify_refused_device

router = Router(tags=["mobile"])


class DeviceIn(Schema):
    device_key: str = Field(
        min_length=16, max_length=128,
        description="Kunci acak yang dibuat aplikasi saat pertama dipasang dan disimpan di perangkat.",
    )
    label: str = Field("", max_length=100, description="Nama perangkat, mis. 'HP Samsung A14'")


class DeviceOut(Schema):
    status: str = Field(description="bound = baru diikat; known = perangkat ini yang terdaftar")
    message: str
    bound_at: str
    bound_at_display: str
    device: str
    shared: bool = Field(description="Kunci ini juga dipakai pegawai lain (ditandai untuk diperiksa).")


def _employee(request: HttpRequest) -> Employee:
    emp = employee_of(request.user)
    if emp is None:
        raise NotAllowed(_("Akun ini tidak terhubung ke data pegawai."), code="no_employee")
    return emp


@router.post(
    "/device", response={200: DeviceOut, 201: DeviceOut}, summary="Daftarkan atau periksa perangkat ini",
    description="Pertama kali: mengikat perangkat ke pegawai (201). Berikutnya: 200 bila perangkat sama, "
    "409 `device_mismatch` bila akun sudah terikat ke perangkat lain (perlu reset oleh admin).",
)
def register_device(request: HttpRequest, payload: DeviceIn) -> Status:
    emp = _employee(request)
    if not is_valid_device_key(payload.device_key):
        raise Unprocessable(_("Kunci perangkat tidak valid."), field="device_key", code="invalid")
    result = bind_device(
        emp, payload.device_key, user_agent=request.headers.get("User-Agent", ""), label=payload.label
    )
    if result.status == "refused" or result.binding is None:
        notify_refused_device(emp, request.headers.get("User-Agent", ""))
        raise Conflict(result.message, code="device_mismatch")
    binding = result.binding
    return Status(201 if result.status == "bound" else 200, {
        "status": result.status,
        "message": result.message,
        "bound_at": binding.bound_at.isoformat(),
        "bound_at_display": date_format(localtime(binding.bound_at), "j F Y"),
        "device": binding.label or describe_user_agent(binding.user_agent),
        "shared": result.shared,
    })
