"""TPP use cases: who may see and do what, closing a month, importing bases, sharing a rule set as a file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hadir.audit.services import AuditRow, record, record_rows
from hadir.errors import Conflict, InvalidRequest, NotAllowed, NotFound, Unprocessable
from hadir.files import month_bounds
from hadir.org.models import Employee, Unit, employee_of
from hadir.org.scoping import board_scope, is_bkpsdm
from hadir.presence.models import DailyStatus

from . import engine
from .models import Base, LeaveRule, Period, Result, RuleSet

MAX_BASE_ROWS = 100_000
RULESET_FILE_VERSION = 1
RULESET_FIELDS = ["name", "legal_basis", "legal_date", "valid_from", "valid_to", "employee_kind", "share_pct",
                  "percent_of", "tl1_pct", "tl2_pct", "tl3_pct", "tl4_pct", "psw1_pct", "psw2_pct", "psw3_pct",
                  "psw4_pct", "tk_pct", "apel_pagi_pct", "apel_sore_pct", "invalid_pct", "missing_in_pct",
                  "missing_out_pct", "cpns_pct", "pppk_pct", "terminal_down", "rounding_unit", "rounding_down"]


def parse_month(raw: str | None) -> dt.date:
    """"2026-11" → 2026-11-01 (a 4xx for anything else)."""
    try:
        year, month = (raw or "").split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise InvalidRequest(_("Format bulan harus YYYY-MM."), field="month", code="invalid_month") from None


def may_manage(user: Any) -> bool:
    """Compute, close, import bases, edit rule sets: BKPSDM (and super-admins)."""
    return bool(getattr(user, "is_authenticated", False) and is_bkpsdm(user))


def require_manager(user: Any) -> None:
    if not may_manage(user):
        raise NotAllowed(_("Hanya admin BKPSDM yang dapat menghitung, menutup dan mengatur TPP."), code="forbidden")


def results_for(user: Any, month: dt.date) -> QuerySet[Result]:
    """The month's results the user may see: BKPSDM the regency; an operator or a head their OPD/unit; anyone
    else only their own."""
    qs = Result.objects.filter(month=month).select_related("employee__unit", "employee__position", "opd", "rule_set")
    scope = board_scope(user)
    if scope is not None:
        return qs.filter(scope.q("employee__unit__"))
    me = employee_of(user)
    return qs.filter(employee=me) if me is not None else qs.none()


def result_for(user: Any, month: dt.date, employee_id: int) -> Result:
    found = results_for(user, month).filter(employee_id=employee_id).first()
    if found is None:
        raise NotFound(_("TPP pegawai ini untuk bulan itu tidak ditemukan (belum dihitung, atau di luar cakupan "
                         "Anda)."), code="not_found")
    return found


@dataclass
class OpdTotal:
    opd_id: int | None
    name: str
    employees: int
    gross: int
    cuts: int
    no_tpp: int
    sanction: int
    adjustment: int
    net: int
    closed: bool


def totals_by_opd(results: QuerySet[Result]) -> list[OpdTotal]:
    rows = (results.order_by().values("opd_id", "opd__name").annotate(
        n=Count("id"), gross=Sum("gross"), cuts=Sum("cuts"), no_tpp=Sum("no_tpp"), sanction=Sum("sanction"),
        adjustment=Sum("adjustment"), net=Sum("net"), open=Count("id", filter=Q(closed=False))))
    out = []
    for r in rows:
        out.append(OpdTotal(r["opd_id"], r["opd__name"] or "—", r["n"], r["gross"] or 0, r["cuts"] or 0,
                            r["no_tpp"] or 0, r["sanction"] or 0, r["adjustment"] or 0, r["net"] or 0,
                            r["open"] == 0))
    return sorted(out, key=lambda t: t.name)


def compute(user: Any, month: dt.date, opd_id: int | None = None) -> engine.RunReport:
    require_manager(user)
    opds = None
    if opd_id is not None:
        opd = Unit.objects.filter(pk=opd_id, opd_id=opd_id).first()
        if opd is None:
            raise NotFound(_("OPD tidak ditemukan."), field="opd_id", code="not_found")
        opds = [opd.pk]
    if not RuleSet.objects.exists():
        raise Unprocessable(_("Belum ada aturan TPP; buat aturan (Perbup) lebih dahulu."), code="no_rule_set")
    return engine.compute_month(month, opds, actor=user)


def close(user: Any, month: dt.date, opd_id: int | None = None) -> list[Period]:
    """Close the month for one OPD or every OPD: recompute it a last time, then freeze it. Refused while the month
    is not over or any of its working days is not closed yet, and for an OPD already closed."""
    require_manager(user)
    first, last = month_bounds(engine.check_month(month))
    if last >= timezone.localdate():
        raise Unprocessable(_("Bulan ini belum berakhir; tutup setelah tanggal %(last)s.")
                            % {"last": last.strftime("%d-%m-%Y")}, field="month", code="month_not_over")
    if opd_id is not None:
        opds = list(Unit.objects.filter(pk=opd_id, opd_id=opd_id))
        if not opds:
            raise NotFound(_("OPD tidak ditemukan."), field="opd_id", code="not_found")
    else:
        opds = list(Unit.objects.filter(is_active=True, opd_id=F("pk")))
    already = set(Period.objects.filter(month=first, opd__in=opds).values_list("opd_id", flat=True))
    if opd_id is not None and already:
        raise Conflict(_("TPP bulan ini untuk OPD tersebut sudah ditutup."), code="already_closed")
    todo = [o for o in opds if o.pk not in already]
    if not todo:
        raise Conflict(_("TPP bulan ini sudah ditutup untuk semua OPD."), code="already_closed")
    open_days = (DailyStatus.objects.filter(date__gte=first, date__lte=last, closed=False, is_working_day=True,
                                            employee__unit__opd_id__in=[o.pk for o in todo])
                 .values("employee__unit__opd__name").annotate(n=Count("id")).order_by("-n").first())
    if open_days:
        raise Unprocessable(_("Masih ada %(n)d hari kerja yang belum ditutup di %(opd)s; tutup hari-hari itu dulu "
                              "(hadir close_day).") % {"n": open_days["n"], "opd": open_days["employee__unit__opd__name"]},
                            field="month", code="days_open")
    engine.compute_month(first, [o.pk for o in todo], actor=user)
    stamp = timezone.now()
    with transaction.atomic():
        periods = [Period.objects.create(month=first, opd=o, closed_at=stamp, closed_by=user) for o in todo]
        Result.objects.filter(month=first, opd__in=todo).update(closed=True)
        totals = dict(Result.objects.filter(month=first, opd__in=todo).values("opd_id").annotate(s=Sum("net"))
                      .values_list("opd_id", "s"))
        record_rows(user, "tpp.close", [AuditRow("tpp.period", str(p.pk), f"TPP {first:%m/%Y} {p.opd.name}", {},
                                                 {"closed": True, "net_total": totals.get(p.opd_id, 0)}, "")
                                        for p in periods])
    return periods


# --- bases from Excel ----------------------------------------------------------------------------------------


@dataclass
class BaseImport:
    rows: int
    created: int
    updated: int
    errors: list[dict[str, Any]]
    sha256: str


BASE_COLUMNS = ("nip", "kode_jabatan", "jumlah", "kelas_jabatan", "nilai_per_kelas", "golongan", "berlaku_mulai")


def import_bases(user: Any, content: bytes, filename: str = "", *, valid_from: dt.date | None = None) -> BaseImport:
    """Monthly TPP bases from an .xlsx (columns: NIP — or kode_jabatan for a direct amount per position, given to
    every current holder —, jumlah — or kelas_jabatan × nilai_per_kelas —, golongan, berlaku_mulai). A NIP row
    wins over its position's row. All or nothing: any row error (unknown NIP or position, negative or missing
    amount, bad date) stores nothing and lists every error with its row."""
    require_manager(user)
    digest = hashlib.sha256(content).hexdigest()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise InvalidRequest(_("Berkas bukan lembar kerja Excel (.xlsx) yang dapat dibaca."), field="file",
                             code="not_xlsx") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c or "").strip().lower().replace(" ", "_") for c in next(rows, ())]
    if not ({"nip", "kode_jabatan"} & set(header)) or not (
            {"jumlah"} <= set(header) or {"kelas_jabatan", "nilai_per_kelas"} <= set(header)):
        raise InvalidRequest(_("Baris judul harus memuat kolom NIP (atau kode_jabatan) dan jumlah (atau "
                               "kelas_jabatan dan nilai_per_kelas)."), field="file", code="bad_header")
    col = {name: header.index(name) for name in BASE_COLUMNS if name in header}
    parsed: list[tuple[int, str, int, str, int | None, dt.date]] = []
    errors: list[dict[str, Any]] = []
    default_from = valid_from or timezone.localdate().replace(day=1)
    for n, raw in enumerate(rows, start=2):
        if n - 1 > MAX_BASE_ROWS:
            raise InvalidRequest(_("Terlalu banyak baris (maks. %(n)d).") % {"n": MAX_BASE_ROWS}, field="file")
        if raw is None or all(v in (None, "") for v in raw):
            continue

        def cell(name: str, raw: tuple[Any, ...] = raw) -> Any:
            i = col.get(name)
            return raw[i] if i is not None and i < len(raw) else None

        nip = str(cell("nip") or "").strip().replace(" ", "")
        if nip.endswith(".0"):
            nip = nip[:-2]
        position = str(cell("kode_jabatan") or "").strip()
        problems = []
        amount: int | None = None
        kelas: int | None = None
        try:
            if cell("jumlah") not in (None, ""):
                amount = int(Decimal(str(cell("jumlah"))))
            elif cell("kelas_jabatan") not in (None, ""):
                kelas = int(Decimal(str(cell("kelas_jabatan"))))
                amount = int(Decimal(str(cell("nilai_per_kelas"))) * kelas)
        except (InvalidOperation, ValueError, TypeError):
            problems.append(_("jumlah bukan angka"))
        if amount is None and not problems:
            problems.append(_("jumlah kosong"))
        elif amount is not None and amount < 0:
            problems.append(_("jumlah tidak boleh negatif"))
        start = default_from
        raw_from = cell("berlaku_mulai")
        if isinstance(raw_from, dt.datetime):
            start = raw_from.date()
        elif isinstance(raw_from, dt.date):
            start = raw_from
        elif raw_from not in (None, ""):
            try:
                start = dt.date.fromisoformat(str(raw_from).strip())
            except ValueError:
                problems.append(_("berlaku_mulai bukan tanggal (YYYY-MM-DD)"))
        if not nip and not position:
            problems.append(_("NIP (atau kode_jabatan) kosong"))
        if problems:
            errors.append({"row": n, "nip": nip or position, "errors": problems})
        else:
            assert amount is not None
            parsed.append((n, nip or f"@{position}", amount, str(cell("golongan") or "")[:10], kelas, start))
    known: dict[str, list[int]] = {}
    for found_nip, pk in Employee.objects.filter(nip__in=[p[1] for p in parsed]).values_list("nip", "pk"):
        known[found_nip or ""] = [pk]
    codes = [p[1][1:] for p in parsed if p[1].startswith("@")]
    for code, pk in Employee.objects.filter(position__code__in=codes, is_active=True).values_list("position__code",
                                                                                                  "pk"):
        known.setdefault(f"@{code}", []).append(pk)
    for n, key, *_rest in parsed:
        if key not in known:
            message = _("kode jabatan tidak dikenal atau tanpa pemegang") if key.startswith("@") else _(
                "NIP tidak dikenal")
            errors.append({"row": n, "nip": key.lstrip("@"), "errors": [message]})
    if errors:
        errors.sort(key=lambda e: e["row"])
        return BaseImport(len(parsed) + len(errors), 0, 0, errors, digest)
    created = updated = 0
    with transaction.atomic():
        ids = [pk for pks in known.values() for pk in pks]
        existing = {(e, d): pk for pk, e, d in Base.objects.filter(employee_id__in=ids)
                    .values_list("pk", "employee_id", "valid_from")}
        wanted: dict[tuple[int, dt.date], Base] = {}
        # position rows first: a NIP row for one of its holders wins
        for _n, key, amount, golongan, kelas, start in sorted(parsed, key=lambda p: not p[1].startswith("@")):
            for emp_id in known[key]:
                wanted[(emp_id, start)] = Base(
                    pk=existing.get((emp_id, start)), employee_id=emp_id, amount=amount, valid_from=start,
                    golongan=golongan, kelas_jabatan=kelas, source=(filename or "impor")[:100])
        new: list[Base] = [b for b in wanted.values() if b.pk is None]
        changed: list[Base] = [b for b in wanted.values() if b.pk is not None]
        Base.objects.bulk_create(new, batch_size=5000)
        Base.objects.bulk_update(changed, ["amount", "golongan", "kelas_jabatan", "source"], batch_size=5000)
        created, updated = len(new), len(changed)
        record_rows(user, "tpp.base_import", [AuditRow("tpp.base", digest[:16], (filename or "impor")[:100], {}, {
            "rows": len(parsed), "created": created, "updated": updated, "sha256": digest}, "")])
    return BaseImport(len(parsed), created, updated, [], digest)


# --- a rule set as a file ------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def export_rule_set(rule_set: RuleSet) -> dict[str, Any]:
    return {
        "format": "hadir-tpp-ruleset", "version": RULESET_FILE_VERSION,
        "rule_set": {f: _jsonable(getattr(rule_set, f)) for f in RULESET_FIELDS},
        "leave_rules": [{"kind": r.kind, "mode": r.mode, "pct": str(r.pct)} for r in rule_set.leave_rules.all()],
    }


def import_rule_set(user: Any, content: bytes) -> RuleSet:
    """A rule set from another regency's file (export_rule_set), validated like the admin form; refused whole on
    any error (percent out of range, validity overlapping an existing rule set)."""
    require_manager(user)
    try:
        data = json.loads(content.decode("utf-8"))
        body = data["rule_set"]
        assert data.get("format") == "hadir-tpp-ruleset"
    except (ValueError, KeyError, TypeError, AssertionError, UnicodeDecodeError):
        raise InvalidRequest(_("Berkas bukan berkas aturan TPP Hadir (JSON)."), field="file", code="bad_file") from None
    unknown = set(body) - set(RULESET_FIELDS)
    if unknown:
        raise InvalidRequest(_("Kolom tidak dikenal: %(cols)s.") % {"cols": ", ".join(sorted(unknown))}, field="file")
    rs = RuleSet(**{k: v for k, v in body.items() if v is not None or k == "valid_to"})
    leave = [LeaveRule(kind=str(r.get("kind", "")), mode=str(r.get("mode", "")), pct=r.get("pct", "0"))
             for r in data.get("leave_rules", []) if isinstance(r, dict)]
    try:
        rs.full_clean()
        for lr in leave:
            lr.full_clean(exclude=["rule_set"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidRequest(f"{field}: {messages[0]}", field=field, code="invalid") from None
    with transaction.atomic():
        rs.save()
        for lr in leave:
            lr.rule_set = rs
        LeaveRule.objects.bulk_create(leave)
        record(user, "tpp.ruleset_import", rs, {}, export_rule_set(rs)["rule_set"], "")
    return rs
