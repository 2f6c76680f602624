"""Pegawai sheet: NIP/NIK (valid, unique, in scope), kind, unit, jabatan, locations, terminal PIN, contact.

Written in bulk with their location links; with `create_accounts`, a login (username = NIP, else NIK) for
each employee without one.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from hadir.org.identity import IdentityError, parse_nik, parse_nip
from hadir.org.models import Employee, EmployeeKind, Position, Sex, WorkLocation
from hadir.org.scoping import approvers, can_link_accounts, self_service_refusal

from .cells import (
    EMPLOYEE_KIND_ALIASES,
    SEX_ALIASES,
    CellError,
    identity_text,
    parse_choice,
    parse_date,
    parse_rupiah,
)
from .checks import Context, Row, check_duplicate, max_length, model_errors, required, yes_no
from .writing import Progress, Writer


def check_employees(ctx: Context, rows: list[Row]) -> Writer:
    """Check every row; return the writer that saves them (run only when no row has an error)."""
    units = ctx.in_scope_units()
    unit_ids = {u.pk for u in units.values()}
    positions = {p.code: p for p in Position.objects.filter(unit_id__in=unit_ids).select_related("unit")}
    scoped_locations = list(WorkLocation.objects.filter(unit_id__in=unit_ids, is_active=True))
    locations = {loc.code: loc for loc in scoped_locations if loc.code}
    locations_by_name: dict[str, list[WorkLocation]] = {}
    for loc in scoped_locations:
        locations_by_name.setdefault(loc.name.lower(), []).append(loc)
    nips = [identity for r in rows if (identity := re.sub(r"\D", "", r.texts.get("nip", "")))]
    niks = [identity for r in rows if (identity := re.sub(r"\D", "", r.texts.get("nik", "")))]
    pins = [r.texts["device_pin"] for r in rows if r.texts.get("device_pin")]
    in_db_nip = {e.nip: e for e in Employee.objects.filter(nip__in=nips).select_related("unit")}
    in_db_nik = {e.nik: e for e in Employee.objects.filter(nik__in=niks).select_related("unit")}
    in_db_pin = dict(Employee.objects.filter(device_pin__in=pins).values_list("device_pin", "pk"))
    seen_nip: dict[str, int] = {}
    seen_nik: dict[str, int] = {}
    seen_pin: dict[str, int] = {}
    plans: list[tuple[Row, Employee, list[WorkLocation], bool]] = []
    field_to_key = {"nip": "nip", "nik": "nik", "sex": "sex", "active_until": "active_until",
                    "position": "position", "kind": "kind", "name": "name", "email": "email", "phone": "phone"}
    for row in rows:
        if not required(ctx, row, "name", "kind", "unit"):
            continue
        max_length(ctx, row, "name", 200)
        errors_before = len(ctx.report.errors)
        nip = nik = ""
        try:
            nip = identity_text(row.values.get("nip"), "NIP")
            if nip:
                parse_nip(nip)
        except (CellError, IdentityError) as exc:
            ctx.error(row.number, "nip", str(exc), row.texts.get("nip", ""))
        nik_info = None
        try:
            nik = identity_text(row.values.get("nik"), "NIK")
            if nik:
                nik_info = parse_nik(nik)
        except (CellError, IdentityError) as exc:
            ctx.error(row.number, "nik", str(exc), row.texts.get("nik", ""))
        if nip:
            check_duplicate(ctx, seen_nip, row, "nip", nip, "NIP")
        if nik:
            check_duplicate(ctx, seen_nik, row, "nik", nik, "NIK")
        existing = in_db_nip.get(nip) if nip else None
        if existing is None and nik:
            existing = in_db_nik.get(nik)
        if existing is not None:
            if existing.unit_id not in unit_ids:
                ctx.error(row.number, "nip" if nip else "nik",
                          _("sudah terdaftar untuk pegawai di luar cakupan Anda"), nip or nik)
                continue
            if not ctx.update:
                ctx.error(row.number, "nip" if nip and existing.nip == nip else "nik",
                          _("sudah terdaftar (%(name)s); gunakan mode perbarui untuk mengubah data pegawai yang ada")
                          % {"name": existing.name}, nip or nik)
                continue
            refused = self_service_refusal(ctx.user, employee=existing) if ctx.user is not None else None
            if refused:
                ctx.error(row.number, "nip" if nip else "nik", refused, nip or nik)
                continue
            other = in_db_nik.get(nik) if nik else None
            if other is not None and other.pk != existing.pk:
                ctx.error(row.number, "nik", _("NIK ini milik pegawai lain (%(name)s)") % {"name": other.name}, nik)
                continue
        elif nik and nik in in_db_nik:
            ctx.error(row.number, "nik", _("NIK sudah terdaftar untuk pegawai lain"), nik)
            continue
        emp = existing or Employee()
        emp.name, emp.nip, emp.nik = row.texts["name"], nip or None, nik or None
        try:
            emp.kind = parse_choice(row.texts["kind"], EmployeeKind.choices, EMPLOYEE_KIND_ALIASES)
        except CellError as exc:
            ctx.error(row.number, "kind", str(exc), row.texts["kind"])
        if row.texts.get("sex"):
            try:
                emp.sex = parse_choice(row.texts["sex"], Sex.choices, SEX_ALIASES)
            except CellError as exc:
                ctx.error(row.number, "sex", str(exc), row.texts["sex"])
        elif nik_info is not None and not nip:
            emp.sex = nik_info.sex
        for key in ("birth_date", "active_from", "active_until"):
            try:
                setattr(emp, key, parse_date(row.values.get(key)))
            except CellError as exc:
                ctx.error(row.number, key, str(exc), row.texts.get(key, ""))
        if emp.birth_date is None and nik_info is not None and not nip:
            emp.birth_date = nik_info.birth_date
        unit = units.get(row.texts["unit"])
        if unit is None:
            ctx.error(row.number, "unit", _("kode unit %(code)s tidak dikenal") % {"code": row.texts["unit"]},
                      row.texts["unit"])
            continue
        emp.unit = unit
        emp.position = None
        if row.texts.get("position"):
            position = positions.get(row.texts["position"])
            if position is None:
                ctx.error(row.number, "position", _("kode jabatan %(code)s tidak dikenal") % {"code": row.texts["position"]},
                          row.texts["position"])
            else:
                emp.position = position
        try:
            emp.tpp_base = parse_rupiah(row.texts.get("tpp_base", ""))
        except CellError as exc:
            ctx.error(row.number, "tpp_base", str(exc), row.texts.get("tpp_base", ""))
        pin = row.texts.get("device_pin", "")
        if pin:
            if not pin.isdigit() or len(pin) > 24:
                ctx.error(row.number, "device_pin", _("PIN mesin harus berupa angka (maksimal 24 digit)"), pin)
            elif check_duplicate(ctx, seen_pin, row, "device_pin", pin, "PIN") and pin in in_db_pin \
                    and in_db_pin[pin] != emp.pk:
                ctx.error(row.number, "device_pin", _("PIN mesin %(pin)s sudah dipakai pegawai lain") % {"pin": pin}, pin)
        emp.device_pin = pin or (emp.device_pin if existing else None)
        emp.phone = row.texts.get("phone", "")
        max_length(ctx, row, "phone", 20)
        emp.email = row.texts.get("email", "")
        if emp.email:
            try:
                validate_email(emp.email)
            except ValidationError:
                ctx.error(row.number, "email", _("alamat email tidak valid"), emp.email)
        emp.is_active = yes_no(ctx, row, "is_active", True)
        chosen: list[WorkLocation] = []
        for token in [t.strip() for t in re.split(r"[;,\n]", row.texts.get("locations", "")) if t.strip()]:
            found = locations.get(token)
            if found is None:
                candidates = locations_by_name.get(token.lower(), [])
                found = candidates[0] if len(candidates) == 1 else None
            if found is None:
                ctx.error(row.number, "locations", _("lokasi %(code)s tidak dikenal") % {"code": token}, token)
            else:
                chosen.append(found)
        if len(ctx.report.errors) == errors_before:
            try:
                emp.full_clean(exclude=["unit", "position", "user", "locations", "device_pin"],
                               validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                model_errors(ctx, row, exc, field_to_key)
        if not chosen and not existing:
            # Without a location nobody can check in; default to the offices of the unit and its OPD.
            own = [loc for loc in scoped_locations if loc.unit_id == unit.pk] or \
                [loc for loc in scoped_locations if loc.unit_id == unit.opd_id]
            chosen = own[:1]
        plans.append((row, emp, chosen, existing is not None))

    def write(progress: Progress, create_accounts: bool, password: str) -> None:
        new = [e for _r, e, _l, upd in plans if not upd]
        old = [e for _r, e, _l, upd in plans if upd]
        if create_accounts:
            user_model = get_user_model()
            hashed = make_password(password) if password else make_password(None)
            wanted = [e.nip or e.nik for e in new + old if e.user_id is None]
            taken = set(user_model.objects.filter(username__in=wanted).values_list("username", flat=True))
            # Whoever knows the password acts as the account: accounts for heads, atasan and acting heads are
            # made by BKPSDM (or the super-admin) only.
            held_back: set[int] = set()
            if ctx.user is not None and not can_link_accounts(ctx.user):
                leading = set(Position.objects.filter(is_head=True).values_list("pk", flat=True)) | set(
                    Position.objects.filter(subordinates__isnull=False).values_list("pk", flat=True))
                deciding = set(approvers().filter(pk__in=[e.pk for e in old]).values_list("pk", flat=True))
                held_back = {id(e) for e in new + old
                             if e.user_id is None and (e.position_id in leading or e.pk in deciding)}
                if held_back:
                    ctx.report.warnings.append(_(
                        "%(n)d pegawai adalah kepala unit atau atasan: akunnya tidak dibuat (hanya admin BKPSDM).")
                        % {"n": len(held_back)})
            for e in new + old:
                username = e.nip or e.nik
                if e.user_id is None and username and username not in taken and id(e) not in held_back:
                    user = user_model(username=username, password=hashed, first_name=e.name[:150])
                    e.user = user
            users: list[Any] = [e.user for e in new + old if e.user is not None and e.user.pk is None]
            user_model.objects.bulk_create(users, batch_size=500)
            for e in new + old:
                if e.user is not None:
                    e.user_id = e.user.pk
        batches = [new[i:i + 500] for i in range(0, len(new), 500)]
        for batch in progress(batches, _("Menyimpan"), len(batches)):
            Employee.objects.bulk_create(batch)
        if old:
            Employee.objects.bulk_update(old, ["name", "nip", "nik", "kind", "sex", "birth_date", "unit", "position",
                                               "tpp_base", "active_from", "active_until", "is_active", "device_pin",
                                               "phone", "email", "user"], batch_size=500)
        through = Employee.locations.through
        updated_with_locations = [e.pk for _r, e, locs, upd in plans if upd and locs]
        through.objects.filter(employee_id__in=updated_with_locations).delete()
        links = [through(employee_id=e.pk, worklocation_id=loc.pk) for _r, e, locs, _u in plans for loc in locs]
        through.objects.bulk_create(links, batch_size=1000)
        ctx.report.created, ctx.report.updated = len(new), len(old)
    return write
