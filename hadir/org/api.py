"""/api/auth (tokens for native clients) and /api/org: the signed-in account, units, employees, imports."""

# No `from __future__ import annotations` in a module with @paginate views: ninja reads their annotations through
# its wrapper, in the namespace of ninja.pagination, where strings would not resolve.

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, FilterLookup, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from hadir.pagination import LimitOffset, OptionalText, Rendered

from . import services
from .models import ApiToken, Employee, Unit, employee_of
from .throttle import PerAddressThrottle

auth_router = Router(tags=["auth"])
router = Router(tags=["organisasi"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=128)
    label: str = Field("", max_length=100, description="Nama perangkat, mis. 'HP Samsung A14'")


class TokenOut(Schema):
    token: str = Field(description="Kunci token: hanya ditampilkan sekali ini, simpan di perangkat.")
    token_type: str = "Bearer"
    id: int
    expires_at: dt.datetime | None = Field(description="Token tidak berlaku lagi sejak saat ini (kosong: sampai "
                                                       "dicabut). Mengganti kata sandi juga mencabutnya.")


@auth_router.post(
    "/token", auth=None, response={201: TokenOut}, summary="Masuk dan terima token API",
    throttle=[PerAddressThrottle()],
    description="Percobaan yang gagal dihitung per akun dan per alamat: setelah terlalu banyak, jawabannya 429 "
    "`locked_out` untuk beberapa menit. Permintaan per alamat juga dibatasi (429 `throttled`, lihat Retry-After).",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    key, token = services.sign_in(request, payload.username, payload.password, payload.label)
    return Status(201, {"token": key, "id": token.pk, "expires_at": token.expires_at})


class TokenInfoOut(Schema):
    id: int
    label: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None = Field(description="Terakhir dipakai (ketelitian beberapa menit)")
    expires_at: dt.datetime | None
    current: bool = Field(description="Token yang dipakai permintaan ini")


def token_info(token: ApiToken, request: HttpRequest) -> dict[str, Any]:
    return {"id": token.pk, "label": token.label, "created_at": token.created_at, "last_used_at": token.last_used_at,
            "expires_at": token.expires_at, "current": token.pk == getattr(request.user, "hadir_token_id", None)}


@auth_router.get("/tokens", response=list[TokenInfoOut], summary="Token API saya yang masih berlaku")
def list_my_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    return [token_info(t, request) for t in services.my_tokens(request.user)]


@auth_router.delete("/tokens/{token_id}", response={204: None}, summary="Cabut salah satu token saya")
def revoke_my_token(request: HttpRequest, token_id: int) -> Status[None]:
    services.revoke_my_token(request.user, token_id)
    return Status(204, None)


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    parent_id: int | None
    opd_id: int | None


class WorkLocationOut(Schema):
    id: int
    name: str
    latitude: float
    longitude: float
    radius_m: int
    timezone: str


class EmployeeOut(Schema):
    id: int
    name: str
    nip: str | None
    kind: str
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    position_name: str | None = Field(None, alias="position.name")


class MeOut(Schema):
    username: str
    roles: list[str]
    is_super_admin: bool
    employee: EmployeeOut | None
    locations: list[WorkLocationOut]


@router.get("/me", response=MeOut, summary="Akun yang sedang masuk")
def me(request: HttpRequest) -> services.Account:
    return services.account(request.user)


@router.get("/units", response=list[UnitOut], summary="Unit kerja dalam cakupan Anda")
def list_units(request: HttpRequest) -> QuerySet[Unit]:
    return services.units_for(request.user)


class EmployeeFilter(FilterSchema):
    q: Annotated[OptionalText, FilterLookup(["name__icontains", "nip__startswith"])] = Field(
        None, max_length=100, description="Bagian nama, atau awal NIP")


@router.get("/employees", response=list[EmployeeOut], summary="Pegawai dalam cakupan Anda")
@paginate(LimitOffset, default_limit=100, max_limit=1000)
def list_employees(request: HttpRequest, filters: Query[EmployeeFilter],
                   unit_id: int | None = None) -> QuerySet[Employee]:
    return filters.filter(services.employees_for(request.user, unit_id))


@router.get("/employees/{employee_id}", response=EmployeeOut, summary="Satu pegawai")
def get_employee(request: HttpRequest, employee_id: int) -> Employee:
    return services.employee_for(request.user, employee_id)


class AdminTokenOut(Schema):
    id: int
    user_id: int
    username: str
    employee_name: str | None
    label: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None


class TokenFilter(FilterSchema):
    user_id: int | None = None
    q: Annotated[OptionalText, FilterLookup(["user__username__startswith", "user__employee__name__icontains"])] = (
        Field(None, max_length=100, description="Awal nama pengguna, atau bagian nama pegawai"))


@router.get("/tokens", response=list[AdminTokenOut], summary="Token API akun dalam cakupan Anda (admin BKPSDM)")
@paginate(LimitOffset, default_limit=100, max_limit=1000)
def list_tokens(request: HttpRequest, filters: Query[TokenFilter]) -> Rendered[ApiToken, dict[str, Any]]:
    return Rendered(filters.filter(services.administered_tokens(request.user)), admin_token_out)


def admin_token_out(t: ApiToken) -> dict[str, Any]:
    employee = employee_of(t.user)
    return {"id": t.pk, "user_id": t.user_id, "username": t.user.get_username(),
            "employee_name": employee.name if employee else None, "label": t.label, "created_at": t.created_at,
            "last_used_at": t.last_used_at, "expires_at": t.expires_at}


@router.delete("/tokens/{token_id}", response={204: None}, summary="Cabut token API akun dalam cakupan Anda")
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    services.revoke_administered_token(request.user, token_id)
    return Status(204, None)


class ImportErrorOut(Schema):
    row: int = Field(description="nomor baris di berkas (baris judul = 1; 0 = seluruh berkas)")
    column: str
    message: str
    value: str


class ImportOut(Schema):
    kind: str
    ok: bool
    rows: int
    created: int
    updated: int
    errors: list[ImportErrorOut]
    warnings: list[str]


class ImportFailedOut(Schema):
    """A refused import (403/422): the report with its row errors — or, when the request itself is malformed (no
    file, an unknown kind), the common error body ({message, errors, code}) with the report fields absent."""

    message: str
    errors: list[dict[str, Any]]
    code: str | None = None
    kind: str | None = None
    ok: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    warnings: list[str] = []


@router.post(
    "/import/{kind}", response={200: ImportOut, 403: ImportFailedOut, 422: ImportFailedOut},
    summary="Impor unit/jabatan/lokasi/pegawai dari .xlsx atau .csv (semua atau tidak sama sekali)",
    description="`kind`: units, positions, locations atau employees. Berkas dikirim sebagai multipart `file`. "
    "Bila ada kesalahan, jawaban 422 memuat daftar `errors` per baris dan kolom, dan tidak ada data yang disimpan. "
    "Operator OPD hanya dapat mengimpor ke unit dalam OPD-nya.",
)
def import_data(request: HttpRequest, kind: str, file: File[UploadedFile],
                update: Form[bool] = False) -> Status[dict[str, Any]]:
    report = services.import_upload(request.user, kind, file, file.name or "", update=update)
    if report.ok:
        return Status(200, report.as_dict())
    status = 403 if services.import_refused(request.user, report) else 422
    return Status(status, {**report.as_dict(), "message": services.import_failure_message(report)})


@router.get("/import/{kind}/template", summary="Templat .xlsx kosong untuk impor (baris judul + lembar petunjuk)",
            response={200: None})
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    response = HttpResponse(
        services.import_template(request.user, kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="templat-{kind}.xlsx"'
    return response
