"""Builders for tests and the demo: a small, valid organisation made in code (no fixtures files);
and the tests' one clock (Clock, behind the `clock` fixture of the root conftest.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from hadir.org.models import (
    Employee,
    EmployeeKind,
    Eselon,
    Position,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    WorkLocation,
)

if TYPE_CHECKING:
    import time_machine

_seq = itertools.count(1)

PASSWORD = "rahasia-uji-123"


def make_nip(birth: dt.date, tmt: dt.date, sex: str = "1", seq: int | None = None, pppk: bool = False) -> str:
    month = "21" if pppk else f"{tmt.month:02d}"
    return f"{birth:%Y%m%d}{tmt.year}{month}{sex}{(seq or next(_seq)) % 1000 or 1:03d}"


def make_nik(birth: dt.date, sex: str = "L", region: str = "170101", seq: int | None = None) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{birth:%m%y}{(seq or next(_seq)) % 10000 or 1:04d}"


def make_unit(name: str, kind: str, parent: Unit | None = None, code: str | None = None) -> Unit:
    return Unit.objects.create(name=name, kind=kind, parent=parent, code=code or f"U{next(_seq)}")


def make_location(unit: Unit, lat: float, lon: float, radius_m: int = 100, tz: str = "Asia/Jakarta",
                  name: str | None = None) -> WorkLocation:
    return WorkLocation.objects.create(
        name=name or f"Kantor {unit.name}", unit=unit, latitude=lat, longitude=lon, radius_m=radius_m, timezone=tz
    )


def make_position(unit: Unit, name: str, parent: Position | None = None, eselon: str = Eselon.PELAKSANA,
                  is_head: bool = False) -> Position:
    return Position.objects.create(
        unit=unit, name=name, parent=parent, eselon=eselon, is_head=is_head, code=f"P{next(_seq)}"
    )


def make_employee(unit: Unit, name: str | None = None, *, position: Position | None = None,
                  kind: str = EmployeeKind.PNS, locations: list[WorkLocation] | None = None,
                  username: str | None = None, tpp_base: int = 3_000_000, **extra: Any) -> Employee:
    n = next(_seq)
    birth = dt.date(1970 + n % 15, 1 + n % 12, 1 + n % 28)
    nip = None
    if kind != EmployeeKind.TKK:
        nip = make_nip(birth, dt.date(2008 + n % 10, 1 + n % 12, 1), "1", n, pppk=kind in {"pppk", "pppk_pw"})
    emp = Employee(
        name=name or f"Pegawai {n}", nip=nip, nik=make_nik(birth, "L", seq=n), kind=kind, unit=unit,
        position=position, tpp_base=tpp_base, sex="L", birth_date=birth, **extra,
    )
    emp.full_clean()
    if username:
        emp.user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    emp.save()
    if locations:
        emp.locations.set(locations)
    return emp


def make_admin(username: str, role: str, unit: Unit | None) -> Any:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    user.refresh_from_db()
    return user


@dataclass
class Org:
    """Two OPDs under one Pemda, with heads, a secretary, a division, staff and locations."""

    pemda: Unit
    dinkes: Unit
    dinkes_sekretariat: Unit
    dinkes_bidang: Unit
    puskesmas: Unit
    disdik: Unit
    loc_dinkes: WorkLocation
    loc_puskesmas: WorkLocation
    loc_disdik: WorkLocation
    kadis: Employee
    sekretaris: Employee
    kabid: Employee
    staf: Employee
    staf_bidang: Employee
    guru: Employee
    kadisdik: Employee
    operator_dinkes: Any
    operator_disdik: Any
    admin_bkpsdm: Any
    extra: dict[str, Any] = field(default_factory=dict)


def make_org() -> Org:
    pemda = make_unit("Pemerintah Kabupaten Contoh", UnitKind.PEMDA, code="PEMDA")
    dinkes = make_unit("Dinas Kesehatan", UnitKind.DINAS, pemda, code="DINKES")
    sek = make_unit("Sekretariat Dinas Kesehatan", UnitKind.SEKRETARIAT, dinkes, code="DINKES-SEK")
    bidang = make_unit("Bidang Pelayanan Kesehatan", UnitKind.BIDANG, dinkes, code="DINKES-YANKES")
    pkm = make_unit("Puskesmas Talang Empat", UnitKind.PUSKESMAS, dinkes, code="PKM-TE")
    disdik = make_unit("Dinas Pendidikan", UnitKind.DINAS, pemda, code="DISDIK")
    loc_dinkes = make_location(dinkes, -3.7956, 102.2592)  # Kota Bengkulu area
    loc_pkm = make_location(pkm, -3.7301, 102.3672, name="Puskesmas Talang Empat")
    loc_disdik = make_location(disdik, -3.8004, 102.2655)

    p_kadis = make_position(dinkes, "Kepala Dinas Kesehatan", eselon=Eselon.II_B, is_head=True)
    p_sek = make_position(sek, "Sekretaris", p_kadis, Eselon.III_A, is_head=True)
    p_kabid = make_position(bidang, "Kepala Bidang Pelayanan Kesehatan", p_kadis, Eselon.III_B, is_head=True)
    p_staf = make_position(sek, "Pengadministrasi Umum", p_sek)
    p_staf_bid = make_position(bidang, "Analis Kebijakan", p_kabid, Eselon.FUNGSIONAL)
    p_kadisdik = make_position(disdik, "Kepala Dinas Pendidikan", eselon=Eselon.II_B, is_head=True)
    p_guru = make_position(disdik, "Guru Ahli Pertama", p_kadisdik, Eselon.FUNGSIONAL)

    kadis = make_employee(dinkes, "dr. Rahmat Hidayat", position=p_kadis, locations=[loc_dinkes], username="kadis")
    sekretaris = make_employee(sek, "Siti Aminah, S.KM", position=p_sek, locations=[loc_dinkes], username="sekdin")
    kabid = make_employee(bidang, "Budi Santoso, S.Kep", position=p_kabid, locations=[loc_dinkes], username="kabid")
    staf = make_employee(sek, "Dewi Lestari", position=p_staf, locations=[loc_dinkes], username="staf")
    staf_bidang = make_employee(bidang, "Agus Salim", position=p_staf_bid, locations=[loc_dinkes, loc_pkm],
                                username="stafbid", kind=EmployeeKind.PPPK)
    kadisdik = make_employee(disdik, "Drs. Hendra Wijaya", position=p_kadisdik, locations=[loc_disdik],
                             username="kadisdik")
    guru = make_employee(disdik, "Rina Marlina, S.Pd", position=p_guru, locations=[loc_disdik], username="guru")
    return Org(
        pemda=pemda, dinkes=dinkes, dinkes_sekretariat=sek, dinkes_bidang=bidang, puskesmas=pkm, disdik=disdik,
        loc_dinkes=loc_dinkes, loc_puskesmas=loc_pkm, loc_disdik=loc_disdik,
        kadis=kadis, sekretaris=sekretaris, kabid=kabid, staf=staf, staf_bidang=staf_bidang, guru=guru,
        kadisdik=kadisdik,
        operator_dinkes=make_admin("op_dinkes", Role.OPERATOR_OPD, dinkes),
        operator_disdik=make_admin("op_disdik", Role.OPERATOR_OPD, disdik),
        admin_bkpsdm=make_admin("bkpsdm", Role.ADMIN_BKPSDM, pemda),
    )


def run_demo(*args: str) -> str:
    """`hadir demo --employees 200 --no-serve <args>` as the tests run it; returns what it printed."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("demo", "--employees", "200", "--no-serve", *args, stdout=out, stderr=out)
    return out.getvalue()


# Monday 23 November 2026, 07:15 WIB: a working day, inside the masuk window, before 07:30.
MONDAY_0715 = dt.datetime(2026, 11, 23, 7, 15, tzinfo=dt.timezone(dt.timedelta(hours=7)))


class Clock:
    """The whole process's clock, moved by time-machine: timezone.now(), time.time(), date.today(), … read it in
    every thread (a live server's too), so production code needs no `now` hook of its own. It stands still
    unless started with tick=True; tests move it with set() and shift(). Use it through the `clock` fixture.

    Instants are aware datetimes. time-machine is handed them in UTC, so travelling never changes the
    process's TZ (which stays settings.TIME_ZONE); `now` reads in the zone of the last instant set."""

    def __init__(self, start: dt.datetime, *, tick: bool = False) -> None:
        import time_machine  # a test dependency (pyproject's test extra), unlike the rest of this module

        self._zone = _zone_of(start)
        self._travel = time_machine.travel(start.astimezone(dt.UTC), tick=tick)
        self._traveller: time_machine.Traveller | None = None

    def __enter__(self) -> Clock:
        self._traveller = self._travel.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._travel.stop()
        self._traveller = None

    @property
    def now(self) -> dt.datetime:
        return timezone.now().astimezone(self._zone)

    def set(self, when: dt.datetime, *, tick: bool | None = None) -> None:
        """Jump to `when` (forward or back); tick=True/False also starts/stops the clock running."""
        zone = _zone_of(when)
        self._running().move_to(when.astimezone(dt.UTC), tick=tick)
        self._zone = zone

    def shift(self, delta: dt.timedelta) -> None:
        """Move the clock by `delta` (negative: back)."""
        self._running().shift(delta)

    def _running(self) -> time_machine.Traveller:
        if self._traveller is None:
            raise RuntimeError("Clock used outside its `with` block (use the clock fixture)")
        return self._traveller


def _zone_of(when: dt.datetime) -> dt.tzinfo:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"the test clock takes aware datetimes, not {when!r}")
    return when.tzinfo
