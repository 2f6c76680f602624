from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from hadir.errors import NotAllowed, NotAuthenticated, NotFound, TooLarge
from hadir.org.tokens import issue_token

from .importing.columns import KINDS
from .importing.reading import read_upload
from .importing.run import run_import
from .importing.template import template_workbook
from .models import Employee, Unit, employee_of
from .scoping import admin_paths, is_super_admin, scope_queryset, visible_units

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
def create_token(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, str]]:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise NotAuthenticated(_("Nama pengguna atau kata sandi salah."), code="bad_credentials")
    return 201, {"token": issue_token(user, payload.label)}


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    parent_id: int | None
    opd_id: int | None


class LocationOut(Schema):
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
    locations: list[LocationOut]


@router.get("/me", response=MeOut, summary="Akun yang sedang masuk")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    emp = employee_of(user)
    return {
        "username": user.get_username(),
        "roles": sorted(set(user.hadir_roles.values_list("role", flat=True))),  # type: ignore[union-attr]
        "is_super_admin": is_super_admin(user),
        "employee": emp,
        "locations": list(emp.locations.filter(is_active=True)) if emp else [],
    }


@router.get("/units", response=list[UnitOut], summary="Unit kerja dalam cakupan Anda")
def list_units(request: HttpRequest) -> list[Unit]:
    return list(visible_units(request.user)[:5000])


class EmployeeFilter(Schema):
    unit_id: int | None = None
    q: str | None = Field(None, max_length=100)
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


@router.get("/employees", response=list[EmployeeOut], summary="Pegawai dalam cakupan Anda")
def list_employees(request: HttpRequest, filters: Query[EmployeeFilter]) -> list[Employee]:
    if admin_paths(request.user) == []:
        raise NotAllowed(_("Anda tidak memiliki peran administrasi."), code="forbidden")
    qs = scope_queryset(request.user, Employee.objects.select_related("unit", "position"))
    if filters.unit_id is not None:
        unit = visible_units(request.user).filter(pk=filters.unit_id).first()
        if unit is None:
            raise NotFound(_("Unit tidak ditemukan."), field="unit_id", code="not_found")
        qs = qs.filter(unit__in=unit.subtree())
    if filters.q:
        qs = qs.filter(name__icontains=filters.q) | qs.filter(nip__startswith=filters.q)
    return list(qs.order_by("name")[filters.offset : filters.offset + filters.limit])


@router.get("/employees/{employee_id}", response=EmployeeOut, summary="Satu pegawai")
def get_employee(request: HttpRequest, employee_id: int) -> Employee:
    emp = scope_queryset(request.user, Employee.objects.select_related("unit", "position")).filter(pk=employee_id)
    found = emp.first()
    if found is None:
        raise NotFound(_("Pegawai tidak ditemukan."), code="not_found")
    return found


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
                update: Form[bool] = False) -> tuple[int, dict[str, object]]:
    if kind not in KINDS:
        raise NotFound(_("Jenis impor tidak dikenal: %(kind)s") % {"kind": kind}, field="kind", code="not_found")
    try:
        data = read_upload(file)
    except ValueError as exc:
        raise TooLarge(str(exc), field="file", code="too_large") from exc
    report = run_import(kind, data, file.name or "berkas", user=request.user, update=update)
    body = report.as_dict()
    if report.ok:
        return 200, body
    denied = any(e.row == 0 and "tidak berhak" in e.message for e in report.errors) or admin_paths(request.user) == []
    status = 403 if denied else 422
    summary = "; ".join(str(e) for e in report.errors[:3])
    more = len(report.errors) - 3
    message = _("Tidak ada data yang disimpan: %(summary)s") % {"summary": summary}
    if more > 0:
        message += " " + _("(dan %(n)d kesalahan lain)") % {"n": more}
    return status, {**body, "message": message}


@router.get("/import/{kind}/template", summary="Templat .xlsx kosong untuk impor (baris judul + lembar petunjuk)",
            response={200: None})
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise NotFound(_("Jenis impor tidak dikenal: %(kind)s") % {"kind": kind}, field="kind", code="not_found")
    if admin_paths(request.user) == []:
        raise NotAllowed(_("Anda tidak memiliki peran administrasi."), code="forbidden")
    response = HttpResponse(
        template_workbook(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="templat-{kind}.xlsx"'
    return response
