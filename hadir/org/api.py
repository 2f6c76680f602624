"""/api/auth (tokens for native clients) and /api/org: the signed-in account, units, employees, imports."""

# No `from __future__ import annotations` in a module with @paginate views: ninja reads their annotations through
# its wrapper, in the namespace of ninja.pagination, where strings would not resolve.

from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, FilterLookup, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from hadir.pagination import LimitOffset, OptionalText

from . import services
from .models import Employee, Unit

auth_router = Router(tags=["auth"])
router = Router(tags=["organisasi"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=128)
    label: str = Field("", max_length=100, description="Nama perangkat, mis. 'HP Samsung A14'")


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"


@auth_router.post("/token", auth=None, response={201: TokenOut}, summary="Masuk dan terima token API")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    return Status(201, {"token": services.sign_in(request, payload.username, payload.password, payload.label)})


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


class ImportFailedOut(ImportOut):
    message: str


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
