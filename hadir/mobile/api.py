"""/api/mobile: device registration for the check-in app (and native clients after /api/auth/token)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.timezone import localtime
from ninja import Field, Router, Schema, Status

from . import services

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


@router.post(
    "/device", response={200: DeviceOut, 201: DeviceOut}, summary="Daftarkan atau periksa perangkat ini",
    description="Pertama kali: mengikat perangkat ke pegawai (201). Berikutnya: 200 bila perangkat sama, "
    "409 `device_mismatch` bila akun sudah terikat ke perangkat lain (perlu reset oleh admin).",
)
def register_device(request: HttpRequest, payload: DeviceIn) -> Status[dict[str, object]]:
    result = services.register_device(request.user, payload.device_key,
                                      user_agent=request.headers.get("User-Agent", ""), label=payload.label)
    binding = result.binding
    assert binding is not None  # register_device refuses otherwise
    return Status(201 if result.status == "bound" else 200, {
        "status": result.status,
        "message": result.message,
        "bound_at": binding.bound_at.isoformat(),
        "bound_at_display": date_format(localtime(binding.bound_at), "j F Y"),
        "device": binding.label or services.describe_user_agent(binding.user_agent),
        "shared": result.shared,
    })
