"""`hadir demo`: seeds a valid regency once, its logins work, other apps' hooks run, `/` answers."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from hadir.org.identity import parse_nik, parse_nip
from hadir.org.management.commands import demo as demo_command
from hadir.org.models import Employee, EmployeeKind, Position, Role, RoleAssignment, Unit, UnitKind, WorkLocation
from hadir.org.seed import DEMO_PASSWORD, demo_logins


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--employees", "200", "--no-serve", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def seeded(db: Any) -> str:
    return run_demo("--no-hooks")


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


def test_demo_calls_app_hooks(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, dt.date]] = []

    def fake_seed(rng: random.Random, today: dt.date) -> list[str]:
        seen.append((Employee.objects.count(), today))
        return ["12 jadwal kerja dibuat"]

    def broken_seed(rng: random.Random, today: dt.date) -> list[str]:
        raise RuntimeError("rusak")

    monkeypatch.setattr(demo_command, "demo_hooks", lambda: [("hadir.fake", fake_seed), ("hadir.broken", broken_seed)])
    out = run_demo()
    assert seen and seen[0][0] == 200  # hooks run after the organisation exists
    assert "12 jadwal kerja dibuat" in out
    assert "hadir.broken gagal" in out and "RuntimeError" in out


def test_hook_discovery_skips_org_and_apps_without_demo() -> None:
    names = [name for name, _fn in demo_command.demo_hooks()]
    assert "hadir.org" not in names
    assert all(name.startswith("hadir.") for name in names)


class _Rollback(Exception):
    pass


def _seed_fingerprint(seed: int) -> list[tuple[Any, ...]]:
    from django.db import transaction

    from hadir.org.seed import seed_regency

    rows: list[tuple[Any, ...]] = []
    try:
        with transaction.atomic():
            seed_regency(random.Random(seed), dt.date(2026, 11, 23), employees=60)
            rows = list(Employee.objects.order_by("device_pin").values_list("nip", "nik", "name", "unit__code"))
            raise _Rollback
    except _Rollback:
        return rows


def test_seed_is_deterministic(db: Any) -> None:
    first, again, other = _seed_fingerprint(7), _seed_fingerprint(7), _seed_fingerprint(8)
    assert len(first) == 60 and first == again and first != other
