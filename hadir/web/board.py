"""The today board: per-OPD counts and the per-employee status list, set-based.

Every employee active on the day counts once, in the category of their DailyStatus row for that
day; an employee without a row counts as "belum presensi". Categories (mutually exclusive):

    hadir      present on time (status hadir or psw, no late minutes)
    terlambat  present but late (status terlambat, or late minutes on a present day)
    belum      working day, no valid check-in yet, and the work day or shift has started (status belum, or no row)
    belum_mulai  status belum before the work day's or shift's start (DailyStatus.starts_at): not yet due,
               grey, left out of the rate (the night nurse at 13:00)
    izin       excused: izin, sakit, cuti, dinas luar
    tk         tanpa keterangan (day closed without check-in or excuse)
    libur      not a working day for that employee

"compliant" (blue) follows DailyStatus.is_compliant: present or excused, not late, not early.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Case, CharField, Count, FilteredRelation, IntegerField, Q, QuerySet, Value, When
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from hadir.org.models import Employee, Unit
from hadir.org.scoping import BoardScope
from hadir.presence.models import COMPLIANT_STATUSES, DayStatus
from hadir.presence.outbox import status_generation
from hadir.presence.rates import attendance_rate, not_started_q

PRESENT = [DayStatus.HADIR, DayStatus.PSW]
EXCUSED = [DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI, DayStatus.DINAS_LUAR]
CATEGORIES = ["hadir", "terlambat", "belum", "belum_mulai", "izin", "tk", "libur"]

CATEGORY_Q: dict[str, Q] = {
    "hadir": Q(ds__status__in=PRESENT, ds__late_minutes=0),
    "terlambat": Q(ds__status=DayStatus.TERLAMBAT) | Q(ds__status__in=PRESENT, ds__late_minutes__gt=0),
    "belum": Q(ds__status=DayStatus.BELUM) | Q(ds__isnull=True),
    "izin": Q(ds__status__in=EXCUSED),
    "tk": Q(ds__status=DayStatus.TK),
    "libur": Q(ds__status=DayStatus.LIBUR),
}
COMPLIANT_Q = Q(ds__status__in=list(COMPLIANT_STATUSES), ds__late_minutes=0, ds__early_minutes=0)
# Extra list filters: "absen" = belum + tk (what the digest lists), "merah" = not compliant.
# "belum" here still holds the not-yet-due; `list_filter` (what the list uses) splits them off with the time.
LIST_FILTERS: dict[str, Q] = {**CATEGORY_Q, "belum_mulai": Q(ds__status=DayStatus.BELUM),
                              "absen": CATEGORY_Q["belum"] | CATEGORY_Q["tk"], "merah": ~COMPLIANT_Q}


def list_filter(name: str, now: dt.datetime) -> Q:
    """The list filter `name` at `now`: "belum", "absen" and "merah" leave out the staff not yet due, whom
    "belum_mulai" lists."""
    waiting = not_started_q(now, "ds__")
    if name == "belum_mulai":
        return waiting
    if name in ("belum", "absen", "merah"):
        return LIST_FILTERS[name] & ~waiting
    return LIST_FILTERS[name]

# Every recomputation of a day's statuses (the presence outbox drain) bumps that day's generation, which is part
# of every key, and so do employee edits (a global bump): a cached board is never older than the data. The TTL
# only bounds memory.
CACHE_SECONDS = 30


@dataclass
class Counts:
    total: int = 0
    hadir: int = 0
    terlambat: int = 0
    belum: int = 0
    belum_mulai: int = 0  # status belum before its start: not yet due (left out of the rate)
    izin: int = 0
    tk: int = 0
    libur: int = 0
    compliant: int = 0
    dl: int = 0  # of izin: dinas luar, which the attendance rate counts as attended

    def add(self, other: Counts) -> None:
        for name in ("total", *CATEGORIES, "compliant", "dl"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def present(self) -> int:
        return self.hadir + self.terlambat

    @property
    def expected(self) -> int:
        """Employees who should be at work (libur excluded)."""
        return self.total - self.libur - self.belum_mulai

    @property
    def rate(self) -> float | None:
        """The one attendance rate (hadir.presence.rates): present and DL against present, DL, TK and belum."""
        return attendance_rate(self.present + self.dl, self.tk + self.belum)


@dataclass
class OpdRow:
    opd_id: int
    name: str
    counts: Counts


@dataclass
class Board:
    day: dt.date
    rows: list[OpdRow]
    total: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class Filters:
    opd: int | None = None
    unit: int | None = None
    kind: str = ""
    q: str = ""
    status: str = ""

    def key(self) -> str:
        return f"{self.opd}|{self.unit}|{self.kind}"


def with_day_status(qs: QuerySet[Employee], day: dt.date) -> QuerySet[Employee]:
    return qs.annotate(ds=FilteredRelation("daily", condition=Q(daily__date=day)))


def filtered_employees(scope: BoardScope, day: dt.date, f: Filters) -> QuerySet[Employee]:
    qs = scope.employees(day)
    if f.opd:
        qs = qs.filter(unit__opd_id=f.opd)
    if f.unit:
        unit = Unit.objects.filter(pk=f.unit).only("path").first()
        qs = qs.filter(Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + ".")) if unit else qs.none()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return with_day_status(qs, day)


def _generation(day: dt.date) -> int:
    """Bumped by the presence outbox drain whenever it recomputed statuses of `day` (the one refresh path)."""
    return status_generation(day)


def cache_token(day: dt.date) -> str:
    """Changes whenever anything shown on the board for `day` may have changed."""
    return f"{_generation(day)}.{cache.get('board:gen:all') or 0}"


def cache_key(*parts: object) -> str:
    """A cache key safe for every backend (scope paths and search terms can be long or odd)."""
    raw = "|".join(str(p) for p in parts)
    return f"board:v1:{parts[0]}:{hashlib.sha1(raw.encode()).hexdigest()}"


def invalidate() -> None:
    """Make every cached board stale (an employee was edited: names, units, who is active)."""
    try:
        cache.incr("board:gen:all")
    except ValueError:
        cache.set("board:gen:all", 1, None)


def compute_board(scope: BoardScope, day: dt.date, f: Filters, *, use_cache: bool = True) -> Board:
    key = cache_key("counts", scope.key, day.isoformat(), f.key(), _generation(day),
                     cache.get("board:gen:all") or 0)
    if use_cache:
        hit = cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
    # One GROUP BY over (OPD, status, late?, early?): a few hundred groups, classified here. As cheap
    # as a bare COUNT(*) GROUP BY; conditional aggregates per category cost twice as much.
    # (a cached board is at most CACHE_SECONDS behind a shift start: who is "belum mulai" depends on the time)
    now = timezone.now()
    grouped = (
        filtered_employees(scope, day, f).order_by()
        .annotate(late=Case(When(ds__late_minutes__gt=0, then=Value(1)), default=Value(0)),
                  early=Case(When(ds__early_minutes__gt=0, then=Value(1)), default=Value(0)),
                  waiting=Case(When(not_started_q(now, "ds__"), then=Value(1)), default=Value(0)))
        .values_list("unit__opd_id", "ds__status", "late", "early", "waiting")
        .annotate(n=Count("id"))
    )
    by_opd: dict[int, Counts] = {}
    for opd_id, status, late, early, waiting, n in grouped:
        c = by_opd.setdefault(opd_id or 0, Counts())
        c.total += n
        category = "belum_mulai" if waiting else category_of(status, late)
        setattr(c, category, getattr(c, category) + n)
        if status in COMPLIANT_STATUSES and not late and not early:
            c.compliant += n
        if status == DayStatus.DINAS_LUAR:
            c.dl += n
    names = dict(Unit.objects.filter(pk__in=[k for k in by_opd if k]).values_list("pk", "name"))
    rows: list[OpdRow] = []
    total = Counts()
    for opd_id, c in by_opd.items():
        total.add(c)
        rows.append(OpdRow(opd_id or 0, names.get(opd_id, "—"), c))
    rows.sort(key=lambda row: row.name)
    board = Board(day=day, rows=rows, total=total)
    if use_cache:
        cache.set(key, board, CACHE_SECONDS)
    return board


@dataclass
class EmployeeRow:
    id: int
    name: str
    nip: str
    kind: str
    unit: str
    opd: str
    status: str
    category: str
    compliant: bool
    first_in: dt.datetime | None
    last_out: dt.datetime | None
    late_minutes: int
    late_category: str
    early_minutes: int
    early_category: str
    excuse_ref: str
    tz: str = "Asia/Jakarta"
    corrected: bool = False  # the day was changed by an approved koreksi presensi
    starts_at: dt.datetime | None = None  # the work day's / shift's start

    @property
    def starts_at_local(self) -> dt.datetime | None:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.tz)) if self.starts_at else None

    @property
    def first_in_local(self) -> dt.datetime | None:
        return self.first_in.astimezone(zoneinfo.ZoneInfo(self.tz)) if self.first_in else None

    @property
    def last_out_local(self) -> dt.datetime | None:
        return self.last_out.astimezone(zoneinfo.ZoneInfo(self.tz)) if self.last_out else None


def category_of(status: str | None, late_minutes: int) -> str:
    if status is None or status == DayStatus.BELUM:
        return "belum"
    if status in PRESENT:
        return "terlambat" if late_minutes else "hadir"
    if status == DayStatus.TERLAMBAT:
        return "terlambat"
    if status in EXCUSED:
        return "izin"
    return str(status)  # tk, libur


def _rank_q(now: dt.datetime) -> list[Q]:
    """The list's rank groups, in display order (red first: the people a head must chase; then the rest; the
    not-yet-due last); their sizes follow from the cached counts (`_rank_sizes`)."""
    waiting = not_started_q(now, "ds__")
    return [
        (Q(ds__isnull=True) | Q(ds__status=DayStatus.BELUM)) & ~waiting,
        Q(ds__status=DayStatus.TK),
        Q(ds__isnull=False) & ~Q(ds__status__in=[DayStatus.BELUM, DayStatus.TK]) & ~COMPLIANT_Q,
        COMPLIANT_Q,
        waiting,
    ]


def _rank(now: dt.datetime) -> Case:
    return Case(*[When(q, then=Value(i)) for i, q in enumerate(_rank_q(now))], default=Value(9),
                output_field=IntegerField())


_FIELDS = ("id", "name", "nip", "kind", "unit__name", "unit__opd__name", "st", "ds__first_in", "ds__last_out",
           "ds__late_minutes", "ds__late_category", "ds__early_minutes", "ds__early_category", "ds__excuse_ref",
           "ds__corrected", "ds__starts_at")


def _rank_sizes(c: Counts) -> list[int]:
    return [c.belum, c.tk, c.total - c.belum - c.tk - c.compliant - c.belum_mulai, c.compliant, c.belum_mulai]


def _values(qs: QuerySet[Employee]) -> QuerySet[Employee, dict[str, Any]]:
    return qs.annotate(
        st=Case(When(ds__isnull=True, then=Value("")), default="ds__status", output_field=CharField())
    ).values(*_FIELDS)


def employee_rows(scope: BoardScope, day: dt.date, f: Filters, *, offset: int = 0, limit: int = 50,
                  counts: Counts | None = None, use_cache: bool = True) -> tuple[list[EmployeeRow], int]:
    """One page of the per-employee list (red first, then by name) and the number of matches.

    Without a search or status filter the page is read rank group by rank group (belum, TK, other
    red, blue), each sorted by name, with group sizes taken from `counts` (the board's totals for
    the same OPD/unit/kind filters): no sort over the whole scope, no extra COUNT.
    """
    key = cache_key("list", scope.key, day.isoformat(), f.key(), f.status, f.q, offset, limit,
                     _generation(day), cache.get("board:gen:all") or 0)
    if use_cache:
        hit = cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
    qs = filtered_employees(scope, day, f)
    now = timezone.now()
    page: list[dict[str, Any]] = []
    if counts is not None and not f.q and not f.status:
        total = counts.total
        start = offset
        for q, size in zip(_rank_q(now), _rank_sizes(counts), strict=True):
            if start >= size:
                start -= size
                continue
            want = limit - len(page)
            page.extend(_values(qs.filter(q)).order_by("name", "pk")[start : start + want])
            start = 0
            if len(page) >= limit:
                break
    else:
        if f.q:
            term = f.q.strip()
            digits = term.replace(" ", "")
            qs = qs.filter(Q(name__icontains=term) | (Q(nip__startswith=digits) if digits.isdigit() else Q(pk__in=[])))
        if f.status in LIST_FILTERS:
            qs = qs.filter(list_filter(f.status, now))
        total = qs.count()
        page = list(_values(qs).order_by(_rank(now), "name", "pk")[offset : offset + limit])
    zones = _zones_for([r["id"] for r in page])
    rows = []
    for r in page:
        status = r["st"] or DayStatus.BELUM
        late = r["ds__late_minutes"] or 0
        early = r["ds__early_minutes"] or 0
        starts_at = r["ds__starts_at"]
        waiting = status == DayStatus.BELUM and starts_at is not None and starts_at > now
        rows.append(EmployeeRow(
            id=r["id"], name=r["name"], nip=r["nip"] or "", kind=r["kind"], unit=r["unit__name"],
            opd=r["unit__opd__name"] or "", status=status,
            category="belum_mulai" if waiting else category_of(status, late),
            compliant=status in COMPLIANT_STATUSES and not late and not early,
            first_in=r["ds__first_in"], last_out=r["ds__last_out"], late_minutes=late,
            late_category=r["ds__late_category"] or "", early_minutes=early,
            early_category=r["ds__early_category"] or "", excuse_ref=r["ds__excuse_ref"] or "",
            tz=zones.get(r["id"], "Asia/Jakarta"), corrected=bool(r["ds__corrected"]), starts_at=starts_at,
        ))
    if use_cache:
        cache.set(key, (rows, total), CACHE_SECONDS)
    return rows, total


def _zones_for(employee_ids: list[int]) -> dict[int, str]:
    through = Employee.locations.through
    out: dict[int, str] = {}
    for emp_id, tz in through.objects.filter(employee_id__in=employee_ids).values_list(
        "employee_id", "worklocation__timezone"
    ).order_by("employee_id", "worklocation_id"):
        out.setdefault(emp_id, tz)
    return out


@receiver(post_save, sender=Employee, dispatch_uid="web.board.employee_saved")
def _employee_changed(sender: Any, instance: Employee, **kwargs: Any) -> None:
    invalidate()
