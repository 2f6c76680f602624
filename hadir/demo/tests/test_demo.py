"""`hadir demo`: seeds a valid regency once, its logins work, `/` answers.

All tests here run on one demo regency seeded for the module (the root conftest's demo_regency), each rolled
back to it; test_demo_fresh.py has the tests that need an empty database (app hooks, a deterministic seed)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hadir.org.identity import parse_nik, parse_nip
from hadir.org.models import Employee, EmployeeKind, Position, Role, RoleAssignment, Unit, UnitKind, WorkLocation
from hadir.org.seed import DEMO_PASSWORD, demo_logins
from hadir.testing import run_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_regency")]


@pytest.fixture
def seeded(demo_regency: str) -> str:
    """What `hadir demo --no-hooks` printed when it seeded the module's regency."""
    return demo_regency


def test_demo_seeds_a_regency_of_the_requested_size(seeded: str) -> None:
    assert Employee.objects.count() == 200
    assert Unit.objects.filter(kind=UnitKind.PEMDA).count() == 1
    opds = Unit.objects.filter(parent__kind=UnitKind.PEMDA)
    assert 28 <= opds.count() <= 40
    assert Unit.objects.filter(kind=UnitKind.SEKOLAH, opd__code="DISDIKBUD").count() == 15
    assert Unit.objects.filter(kind=UnitKind.PUSKESMAS, opd__code="DINKES").count() == 8
    assert Unit.objects.filter(kind=UnitKind.KECAMATAN).count() == 8
    assert Unit.objects.get(code="RSUD").is_opd
    # every OPD has a head position with an atasan-less root; sub-unit heads report to it
    for opd in opds:
        assert Position.objects.filter(unit=opd, is_head=True, parent__isnull=True).exists(), opd
    kinds = set(Employee.objects.values_list("kind", flat=True))
    assert kinds == {k.value for k in EmployeeKind}


def test_demo_identities_are_valid_and_unique(seeded: str) -> None:
    for emp in Employee.objects.select_related("unit", "position__unit", "user"):
        emp.full_clean(exclude=["user"])  # NIP/NIK rules, PPPK month code, position in the same OPD
        if emp.nip:
            info = parse_nip(emp.nip)
            assert info.is_pppk == (emp.kind in {EmployeeKind.PPPK, EmployeeKind.PPPK_PARUH_WAKTU})
            assert info.sex == emp.sex and info.birth_date == emp.birth_date
        else:
            assert emp.kind == EmployeeKind.TKK
        assert emp.nik and parse_nik(emp.nik).sex == emp.sex
        assert emp.user is not None and emp.user.username == (emp.nip or emp.nik)
        assert emp.device_pin
        assert emp.tpp_base % 50_000 == 0
        assert (emp.tpp_base == 0) == (emp.kind == EmployeeKind.TKK)
        assert emp.locations.exists()


def test_demo_locations_are_in_bengkulu_with_100m_radius(seeded: str) -> None:
    locs = list(WorkLocation.objects.select_related("unit"))
    assert {loc.unit.kind for loc in locs} >= {UnitKind.SEKOLAH, UnitKind.PUSKESMAS, UnitKind.DINAS}
    for loc in locs:
        assert -5.5 < loc.latitude < -2.3 and 101.0 < loc.longitude < 104.0, loc
        assert loc.radius_m == 100 and loc.timezone == "Asia/Jakarta"
    school = Employee.objects.filter(unit__kind=UnitKind.SEKOLAH).first()
    assert school is not None and list(school.locations.all()) == list(school.unit.locations.all())


def test_demo_logins_work_and_home_answers(seeded: str) -> None:
    logins = demo_logins()
    usernames = [u for _role, u, _p in logins]
    assert usernames[:3] == ["superadmin", "admin.bkpsdm", "operator.dinkes"]
    assert len(logins) == 5
    for _role, username, password in logins:
        assert username in seeded  # printed
        client = Client()
        assert client.login(username=username, password=password), username
        assert client.get("/", follow=True).status_code == 200
    assert DEMO_PASSWORD in seeded
    assert RoleAssignment.objects.filter(user__username="admin.bkpsdm", role=Role.ADMIN_BKPSDM,
                                         unit__kind=UnitKind.PEMDA).exists()
    assert get_user_model().objects.get(username="superadmin").is_superuser
    assert Client().get("/", follow=True).status_code == 200


def test_demo_operator_sees_only_their_opd(seeded: str) -> None:
    client = Client()
    client.login(username="operator.dinkes", password=DEMO_PASSWORD)
    rows = client.get("/api/org/employees?limit=1000").json()
    dinkes = Unit.objects.get(code="DINKES")
    assert rows and len(rows) == Employee.objects.filter(unit__opd=dinkes).count()


def test_demo_runs_once(seeded: str) -> None:
    again = run_demo("--no-hooks")
    assert "dilewati" in again
    assert Employee.objects.count() == 200
