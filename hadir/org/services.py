"""What the organisation API asks of the app: signing in for a token, the signed-in account, the employees in
one's scope, and importing the organisation from a spreadsheet. Refusals are domain errors (hadir.errors)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth import authenticate
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import NotAllowed, NotAuthenticated, NotFound, TooLarge, TooManyRequests

from .importing.columns import KINDS
from .importing.reading import read_upload
from .importing.report import ImportReport
from .importing.run import run_import
from .importing.template import template_workbook
from .models import ApiToken, Employee, Unit, WorkLocation, employee_of
from .scoping import (
    accounts_in_scope,
    admin_paths,
    can_link_accounts,
    is_super_admin,
    require_admin,
    scope_queryset,
    visible_units,
)
from .throttle import lockout_message
from .tokens import issue, live_tokens, revoke

MAX_UNITS_LISTED = 5000
SHOWN_IMPORT_ERRORS = 3


def sign_in(request: HttpRequest, username: str, password: str, label: str = "") -> tuple[str, ApiToken]:
    """A new API token (key, row) for valid credentials of an active account.

    `authenticate` gets the request, as django-axes documents for logins outside a login form: axes counts a
    failure per account and per address, and once either is locked out refuses before the password is hashed
    (hadir/org/throttle.py)."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise TooManyRequests(lockout_message(request), code="locked_out")
    if user is None or not user.is_active:
        raise NotAuthenticated(_("Nama pengguna atau kata sandi salah."), code="bad_credentials")
    return issue(user, label)


# --- API tokens: the owner's list, and BKPSDM's ------------------------------------------------------------------

def my_tokens(user: Any) -> list[ApiToken]:
    """The signed-in user's tokens that still open the API (never their keys)."""
    return live_tokens(user)


def revoke_my_token(user: Any, token_id: int) -> None:
    if not revoke(ApiToken.objects.filter(pk=token_id, user_id=user.pk)):
        raise NotFound(_("Token tidak ditemukan."), code="not_found")


def _require_token_admin(user: Any) -> None:
    if not can_link_accounts(user):
        raise NotAllowed(_("Token API hanya dapat dikelola pemiliknya dan admin BKPSDM."), code="forbidden")


def administered_tokens(user: Any) -> QuerySet[ApiToken]:
    """Unrevoked, unexpired tokens of the accounts in a BKPSDM admin's scope, newest first."""
    _require_token_admin(user)
    return (ApiToken.objects.filter(user__in=accounts_in_scope(user).values("pk"), revoked=False)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
            .select_related("user", "user__employee").order_by("-created_at", "-pk"))


def revoke_administered_token(user: Any, token_id: int) -> None:
    _require_token_admin(user)
    if not revoke(ApiToken.objects.filter(pk=token_id, user__in=accounts_in_scope(user).values("pk"))):
        raise NotFound(_("Token tidak ditemukan."), code="not_found")


@dataclass
class Account:
    username: str
    roles: list[str]
    is_super_admin: bool
    employee: Employee | None
    locations: list[WorkLocation]  # the employee's active work locations


def account(user: Any) -> Account:
    emp = employee_of(user)
    return Account(
        username=user.get_username(),
        roles=sorted(set(user.hadir_roles.values_list("role", flat=True))),
        is_super_admin=is_super_admin(user),
        employee=emp,
        locations=list(emp.locations.filter(is_active=True)) if emp else [],
    )


def units_for(user: Any) -> QuerySet[Unit]:
    return visible_units(user)[:MAX_UNITS_LISTED]


def employees_for(user: Any, unit_id: int | None = None) -> QuerySet[Employee]:
    """The employees an administrator may see (in one unit's subtree, if given), by name."""
    require_admin(user)
    qs = scope_queryset(user, Employee.objects.select_related("unit", "position"))
    if unit_id is not None:
        unit = visible_units(user).filter(pk=unit_id).first()
        if unit is None:
            raise NotFound(_("Unit tidak ditemukan."), field="unit_id", code="not_found")
        qs = qs.filter(unit__in=unit.subtree())
    return qs.order_by("name")


def employee_for(user: Any, employee_id: int) -> Employee:
    found = scope_queryset(user, Employee.objects.select_related("unit", "position")).filter(pk=employee_id).first()
    if found is None:
        raise NotFound(_("Pegawai tidak ditemukan."), code="not_found")
    return found


def _known_kind(kind: str) -> str:
    if kind not in KINDS:
        raise NotFound(_("Jenis impor tidak dikenal: %(kind)s") % {"kind": kind}, field="kind", code="not_found")
    return kind


def import_upload(user: Any, kind: str, upload: IO[bytes], filename: str, *, update: bool = False) -> ImportReport:
    """Import one .xlsx/.csv of units, positions, locations or employees, all or nothing."""
    _known_kind(kind)
    try:
        data = read_upload(upload)
    except ValueError as exc:
        raise TooLarge(str(exc), field="file", code="too_large") from exc
    return run_import(kind, data, filename or "berkas", user=user, update=update)


def import_refused(user: Any, report: ImportReport) -> bool:
    """A failed import that is a matter of rights (the user may not write there at all), not of the data."""
    return admin_paths(user) == [] or any(e.row == 0 and "tidak berhak" in e.message for e in report.errors)


def import_failure_message(report: ImportReport) -> str:
    """One sentence for a failed import: the first few errors, and how many more."""
    summary = "; ".join(str(e) for e in report.errors[:SHOWN_IMPORT_ERRORS])
    message = _("Tidak ada data yang disimpan: %(summary)s") % {"summary": summary}
    more = len(report.errors) - SHOWN_IMPORT_ERRORS
    if more > 0:
        message += " " + _("(dan %(n)d kesalahan lain)") % {"n": more}
    return message


def import_template(user: Any, kind: str) -> bytes:
    """A blank .xlsx for one kind of import."""
    _known_kind(kind)
    require_admin(user)
    return template_workbook(kind)
