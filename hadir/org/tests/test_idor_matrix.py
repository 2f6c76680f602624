"""IDOR matrix: every role × every object reachable by id (API, pages, admin change pages) × the object's OPD.

Two OPDs, each with one object of every kind: OPD A (Dinas Kesehatan: the objects of the staff member Dewi,
whose atasan is the Sekretaris) and OPD B (Dinas Pendidikan: the objects of the teacher Rina). Seven roles ask
for each object by id: the employee (Dewi), her atasan (the Sekretaris, head of her unit), the head of OPD A, the
operator of OPD A, the operator of OPD B, the BKPSDM admin (the whole regency) and the super-admin. The tables
below say who may have each object (a rule of `role, OPD`); a cell passes when the answer is 2xx (or the
endpoint's own success, e.g. a redirect after a POST) exactly where the rule allows, and 403/404 elsewhere. The
Django admin answers a user who may not have the page with a redirect (to its login for non-staff, to its index
for an object outside the user's queryset): there a 302 that does not lead to the object counts as a refusal.

Size of the matrix: 50 endpoints × 7 roles × 2 OPDs = 700 cells (`test_matrix_size` keeps this figure honest).
Each cell runs in a savepoint that is rolled back, so a write allowed in one cell (a decision, a revocation)
does not change what the next cell sees.

Holes this matrix found on the code before the hardening (fixed in hadir.org): an operator could open the
password form of an account that decides for others (here an acting head) and so act as them
(`admin auth.user password`); the admin page of an API token answered 500 (`ApiToken.__str__`); tokens could be
revoked by nobody but a superuser (`api revoke my token`, `api revoke a token (BKPSDM)`, `page revoke my token`).
The escalation paths that are not reads by id (linking accounts, granting roles, self-appointment) have their
own tests in test_access.py.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from PIL import Image

from hadir.approvals.models import ApprovalItem, Delegation
from hadir.approvals.tests.helpers import store_checkin
from hadir.audit.models import AuditEntry
from hadir.audit.services import record
from hadir.leave.models import LeaveRequest
from hadir.leave.services import LeaveInput, request_leave
from hadir.leave.tests.test_services import PDF, clear_week
from hadir.notify.services import notify
from hadir.org.models import DeviceBinding, Employee, RoleAssignment
from hadir.org.tokens import issue
from hadir.presence.models import DailyStatus
from hadir.terminals.models import Terminal
from hadir.testing import Org

ROLES = ["employee", "atasan", "head", "operator_a", "operator_b", "bkpsdm", "super"]
OPDS = ["A", "B"]

Rule = Callable[[str, str], bool]


def admin_of(role: str, opd: str) -> bool:
    return role in ("bkpsdm", "super") or (role, opd) in {("operator_a", "A"), ("operator_b", "B")}


def board_of(role: str, opd: str) -> bool:
    """Admins, and on OPD A the head and the atasan (head of the employee's unit) watching the board."""
    return admin_of(role, opd) or (opd == "A" and role in ("head", "atasan"))


def owner(role: str, opd: str) -> bool:
    return opd == "A" and role == "employee"


def approver(role: str, opd: str) -> bool:
    return opd == "A" and role == "atasan"


def leave_reader(role: str, opd: str) -> bool:
    return owner(role, opd) or approver(role, opd) or admin_of(role, opd)


def leave_canceller(role: str, opd: str) -> bool:
    return owner(role, opd) or admin_of(role, opd)


def bkpsdm(role: str, opd: str) -> bool:
    return role in ("bkpsdm", "super")


def super_only(role: str, opd: str) -> bool:
    return role == "super"


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[dict[str, Any]], str]
    rule: Rule
    body: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    ok: set[int] = field(default_factory=lambda: {200, 201, 204})
    admin_model: str = ""  # "app.model": an admin page; allowed also needs this admin permission (`admin_perm`)
    admin_perm: str = "view"  # "view" (view or change), "change", or "" (the ModelAdmin decides by role alone)
    effect: Callable[[dict[str, Any]], bool] | None = None  # allowed = the effect happened (pages that redirect)

    @property
    def kind(self) -> str:
        return "admin" if self.admin_model else ("api" if self.url({}).startswith("/api/") else "page")


class Objects(dict[str, Any]):
    """Missing keys format as 0 so `url({})` tells the kind of an endpoint."""

    def __missing__(self, key: str) -> Any:
        return _Zero()


class _Zero:
    pk = 0
    target_id = "0"


def o(objects: dict[str, Any], key: str) -> Any:
    return Objects(objects)[key]


def api(name: str, method: str, url: Callable[[dict[str, Any]], str], rule: Rule, **kw: Any) -> Endpoint:
    return Endpoint(name, method, url, rule, **kw)


def admin_page(app_model: str, key: str, rule: Rule, page: str = "change", perm: str = "view") -> Endpoint:
    app, model = app_model.split(".")
    name = f"admin {app_model}" + ("" if page == "change" else f" {page}")
    return Endpoint(name, "GET", lambda w: f"/admin/{app}/{model}/{o(w, key).pk}/{page}/", rule,
                    ok={200}, admin_model=app_model, admin_perm=perm)


def password_setter(role: str, opd: str) -> bool:
    """Setting an account's password is acting as it: admins of the account's OPD for plain staff (Dewi, OPD A);
    for someone who decides for others only BKPSDM and the super-admin (Rina, OPD B, is the acting head there)."""
    return admin_of(role, opd) and not (opd == "B" and role == "operator_b")


ENDPOINTS: list[Endpoint] = [
    # --- API ---------------------------------------------------------------------------------------------
    api("api employee", "GET", lambda w: f"/api/org/employees/{o(w, 'employee').pk}", admin_of),
    api("api employees of a unit", "GET", lambda w: f"/api/org/employees?unit_id={o(w, 'unit').pk}", admin_of),
    api("api approval policy", "GET", lambda w: f"/api/approvals/policies/{o(w, 'opd').pk}", admin_of),
    api("api approval policy set", "PUT", lambda w: f"/api/approvals/policies/{o(w, 'opd').pk}", admin_of,
        body=lambda w: {"mode": "all", "escalate_after_days": 3}),
    api("api decide an item", "POST", lambda w: f"/api/approvals/items/{o(w, 'item').pk}/decision", approver,
        body=lambda w: {"decision": "approve"}),
    api("api decide items in bulk", "POST", lambda w: "/api/approvals/bulk" + "?" * 0 * o(w, "item").pk, approver,
        body=lambda w: {"ids": [w["item"].pk], "decision": "approve"}),
    api("api appoint an acting head", "POST", lambda w: "/api/approvals/delegations" + "?" * 0 * o(w, "head").pk,
        admin_of, body=lambda w: {"position_id": w["head"].position_id, "delegate_id": w["deputy"].pk, "kind": "plh",
                                  "start_date": dt.date.today().isoformat(),
                                  "end_date": (dt.date.today() + dt.timedelta(days=2)).isoformat()}),
    api("api revoke an acting head", "DELETE", lambda w: f"/api/approvals/delegations/{o(w, 'delegation').pk}",
        admin_of),
    api("api leave request", "GET", lambda w: f"/api/leave/requests/{o(w, 'leave').pk}", leave_reader),
    api("api leave document", "GET", lambda w: f"/api/leave/requests/{o(w, 'leave').pk}/document", leave_reader),
    api("api leave cancel", "POST", lambda w: f"/api/leave/requests/{o(w, 'leave').pk}/cancel", leave_canceller,
        body=lambda w: {"reason": "uji"}),
    api("api terminal", "GET", lambda w: f"/api/terminals/{o(w, 'terminal').pk}", admin_of),
    api("api terminal commands", "GET", lambda w: f"/api/terminals/{o(w, 'terminal').pk}/commands", admin_of),
    api("api terminal logs", "GET", lambda w: f"/api/terminals/{o(w, 'terminal').pk}/logs?date=2026-11-23",
        admin_of),
    api("api terminal change", "PATCH", lambda w: f"/api/terminals/{o(w, 'terminal').pk}", admin_of,
        body=lambda w: {"name": "Mesin uji"}),
    api("api revoke my token", "DELETE", lambda w: f"/api/auth/tokens/{o(w, 'token').pk}", owner),
    api("api revoke a token (BKPSDM)", "DELETE", lambda w: f"/api/org/tokens/{o(w, 'token').pk}", bkpsdm),
    api("api mark a notification read", "POST", lambda w: "/api/notifications/read" + "?" * 0 * o(w, "note").pk,
        owner, body=lambda w: {"ids": [w["note"].pk]}),
    api("api audit entries of an object", "GET", lambda w: f"/api/audit/entries?target_id={o(w, 'audit').target_id}",
        bkpsdm),
    api("api board employees of a unit", "GET", lambda w: f"/api/dashboard/employees?unit={o(w, 'unit').pk}",
        board_of),
    api("api board of an OPD", "GET", lambda w: f"/api/dashboard/today?opd={o(w, 'opd').pk}", board_of),
    api("api absence of an OPD", "GET", lambda w: f"/api/dashboard/absence?opd={o(w, 'opd').pk}", board_of),
    # --- pages -------------------------------------------------------------------------------------------
    api("page board of an OPD", "GET", lambda w: f"/dasbor/opd/{o(w, 'opd').pk}/", board_of),
    api("page board of a unit", "GET", lambda w: f"/dasbor/?unit={o(w, 'unit').pk}", board_of),
    api("page map of an OPD", "GET", lambda w: f"/dasbor/peta/?opd={o(w, 'opd').pk}", board_of),
    api("page absence of an employee", "GET", lambda w: f"/dasbor/ketidakhadiran/{o(w, 'employee').pk}/",
        board_of),
    api("page selfie of a check-in", "GET", lambda w: f"/persetujuan/{o(w, 'item').pk}/foto/", approver),
    api("page leave document", "GET", lambda w: f"/cuti/{o(w, 'leave').pk}/dokumen/", leave_reader),
    api("page leave cancel", "POST", lambda w: f"/cuti/{o(w, 'leave').pk}/batal/", leave_canceller, ok={302},
        effect=lambda w: LeaveRequest.objects.get(pk=w["leave"].pk).status == "cancelled"),
    api("page terminals of an OPD", "GET", lambda w: f"/iclock/pantau/{o(w, 'opd').pk}/", admin_of),
    api("page open a notification", "GET", lambda w: f"/notifikasi/{o(w, 'note').pk}/", owner, ok={302}),
    api("page revoke my token", "POST", lambda w: f"/akun/token/{o(w, 'token').pk}/cabut/", owner, ok={302}),
    # --- admin change pages ------------------------------------------------------------------------------
    admin_page("org.employee", "employee", admin_of),
    admin_page("org.unit", "unit", admin_of),
    admin_page("org.worklocation", "location", admin_of),
    admin_page("org.position", "position", admin_of),
    admin_page("org.roleassignment", "role", admin_of),
    admin_page("auth.user", "account", admin_of),
    admin_page("auth.user", "account", password_setter, page="password", perm="change"),
    admin_page("org.employee", "employee", admin_of, page="history"),
    admin_page("org.apitoken", "token", bkpsdm),
    admin_page("org.devicebinding", "binding", admin_of),
    admin_page("presence.checkin", "checkin", admin_of),
    admin_page("presence.dailystatus", "daily", admin_of),
]
ENDPOINTS += [
    admin_page("leave.leaverequest", "leave", admin_of),
    admin_page("approvals.approvalitem", "item", admin_of),
    admin_page("approvals.delegation", "delegation", admin_of),
    admin_page("terminals.terminal", "terminal", admin_of),
    admin_page("notify.notification", "note", super_only),
    admin_page("audit.auditentry", "audit", bkpsdm, perm=""),  # the audit admin admits BKPSDM by role
]


def test_matrix_size() -> None:
    size = len(ENDPOINTS) * len(ROLES) * len(OPDS)
    print(f"IDOR matrix: {len(ENDPOINTS)} endpoints × {len(ROLES)} roles × {len(OPDS)} OPDs = {size} cells")
    assert f"{len(ENDPOINTS)} endpoints × {len(ROLES)} roles × {len(OPDS)} OPDs = {size} cells" in (__doc__ or "")
    assert len({e.name for e in ENDPOINTS}) == len(ENDPOINTS)


def _jpeg() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 120, 80)).save(buf, "JPEG")
    return SimpleUploadedFile("s.jpg", buf.getvalue(), content_type="image/jpeg")


def build_world(org: Org) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The users of each role, and each OPD's objects."""
    superuser = get_user_model().objects.create_superuser("root", password="x")
    users = {"employee": org.staf.user, "atasan": org.sekretaris.user, "head": org.kadis.user,
             "operator_a": org.operator_dinkes, "operator_b": org.operator_disdik, "bkpsdm": org.admin_bkpsdm,
             "super": superuser}
    today = dt.date.today()
    monday = clear_week()
    world: dict[str, dict[str, Any]] = {}
    for opd, emp, unit, head, deputy, op, loc in (
        ("A", org.staf, org.dinkes_sekretariat, org.kadis, org.kabid, org.operator_dinkes, org.loc_dinkes),
        ("B", org.guru, org.disdik, org.kadisdik, org.guru, org.operator_disdik, org.loc_disdik),
    ):
        checkin = store_checkin(emp, photo=_jpeg())
        item = ApprovalItem.objects.get(checkin=checkin)
        daily = DailyStatus.objects.filter(employee=emp).first() or DailyStatus.objects.create(
            employee=emp, date=today, status="hadir")
        assert emp.user is not None
        leave = request_leave(emp, emp.user, LeaveInput(
            kind="dinas_luar", start_date=monday, end_date=monday, reason="Monitoring", letter_number="090/1",
            destination="Puskesmas", document=SimpleUploadedFile("st.pdf", PDF, content_type="application/pdf")))
        assert head.position is not None
        delegation = Delegation.objects.create(position=head.position, delegate=deputy, kind="plh",
                                               start_date=today, end_date=today + dt.timedelta(days=3))
        binding = DeviceBinding.objects.create(employee=emp, key_hash=(opd.lower() * 64)[:64])
        terminal = Terminal.objects.create(serial_number=f"SN-UJI-{opd}", unit=unit.opd or unit, location=loc,
                                           status="active")
        note = notify(emp.user, "Uji", "Isi", url="/notifikasi/")
        token = issue(emp.user, "HP uji")[1]
        audit = AuditEntry.objects.filter(target_id=str(leave.pk)).first() or record(
            emp.user, "uji", leave, {}, {})
        world[opd] = {
            "employee": emp, "unit": unit, "opd": unit.opd or unit, "location": loc, "position": emp.position,
            "checkin": checkin, "item": item, "daily": daily, "leave": leave, "delegation": delegation,
            "binding": binding, "terminal": terminal, "note": note, "token": token, "audit": audit,
            "role": RoleAssignment.objects.get(user=op), "account": emp.user, "head": head, "deputy": deputy,
        }
    return users, world


def _may_open_admin(user: Any, app_model: str, perm: str) -> bool:
    app, model = app_model.split(".")
    if not (user.is_active and user.is_staff):
        return False
    if perm == "":
        return True
    return bool(user.has_perm(f"{app}.change_{model}") or (perm == "view" and user.has_perm(f"{app}.view_{model}")))


def _ask(client: Client, endpoint: Endpoint, objects: dict[str, Any]) -> Any:
    url = endpoint.url(objects)
    body = endpoint.body(objects) if endpoint.body else None
    method = endpoint.method.lower()
    if endpoint.kind == "api":
        return getattr(client, method)(url, body, content_type="application/json") if body is not None else \
            getattr(client, method)(url)
    return getattr(client, method)(url, body or {})


def _verdict(endpoint: Endpoint, response: Any, objects: dict[str, Any]) -> bool | None:
    """True: the object was served (or the action done); False: refused; None: an answer that is neither."""
    status = response.status_code
    if endpoint.effect is not None:
        return endpoint.effect(objects) if status in endpoint.ok | {404} else None
    if status in endpoint.ok:
        return True
    if status in (403, 404):
        return False
    if endpoint.kind == "admin" and status == 302:
        # to the admin's login (not staff) or its index (not in the user's queryset): not to the object itself
        return False if urlsplit(response["Location"]).path != urlsplit(endpoint.url(objects)).path else None
    return None


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_idor_matrix(org: Org, endpoint: Endpoint) -> None:
    users, world = build_world(org)
    wrong: list[str] = []
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        for opd in OPDS:
            objects = world[opd]
            expected = endpoint.rule(role, opd)
            if endpoint.admin_model:
                expected = expected and _may_open_admin(users[role], endpoint.admin_model, endpoint.admin_perm)
            with transaction.atomic():
                response = _ask(client, endpoint, objects)
                got = _verdict(endpoint, response, objects)
                transaction.set_rollback(True)
            if got is not expected:
                wrong.append(f"{role:10} OPD {opd}: expected {'2xx' if expected else '403/404'}, "
                             f"got {response.status_code} {response.content[:160]!r}")
    assert not wrong, f"{endpoint.name} ({endpoint.method} {endpoint.url(world['A'])}):\n" + "\n".join(wrong)


def test_matrix_objects_belong_to_their_opd(org: Org) -> None:
    """The fixture itself: each OPD's objects are of that OPD (a mistake here would make every cell vacuous)."""
    _users, world = build_world(org)
    for opd, dinas in (("A", org.dinkes), ("B", org.disdik)):
        objects = world[opd]
        assert isinstance(objects["employee"], Employee) and objects["employee"].unit.opd_id == dinas.pk
        assert objects["leave"].employee_id == objects["employee"].pk
        assert objects["item"].employee_id == objects["employee"].pk
        assert objects["terminal"].unit_id == dinas.pk
