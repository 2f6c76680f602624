"""Demo TPP: a rule set, a base for every employee with a TPP, last month computed and closed, this month computed.

The rule set follows the structure of a regency Perbup on TPP ASN (e.g. Perbup Temanggung No. 7 Tahun 2021 on
tambahan penghasilan pegawai ASN: a share for disiplin kerja, cuts per lateness/early-leave category and per day
absent); its percentages are the common values the regencies' rules use (TL/PSW 0.5/1/1.25/1.5 %, TK 3 % a day,
40 % for attendance, CPNS 80 %), not a copy of that Perbup's tables. The legal basis in the data says so.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from hadir.errors import DomainError
from hadir.org.models import Employee

from . import engine, services
from .models import Base, LeaveRule, Result, RuleSet

LEAVE_RULES = [("cuti_tahunan", "none", 0), ("sakit_surat", "none", 0), ("sakit", "percent", 2),
               ("cuti_besar", "no_tpp", 0), ("cuti_melahirkan", "none", 0), ("alasan_penting", "percent", 1),
               ("tugas_belajar", "no_tpp", 0), ("dinas_luar", "none", 0), ("rapat", "none", 0),
               ("cltn", "no_tpp", 0), ("cuti_bersama", "none", 0)]


def seed(rng: random.Random, today: dt.date) -> list[str]:
    if RuleSet.objects.exists():
        return ["tpp: aturan TPP sudah ada; dilewati"]
    rs = RuleSet.objects.create(
        name="TPP ASN Kabupaten Contoh (demo)",
        legal_basis="Contoh berdasarkan susunan Perbup Temanggung No. 7 Tahun 2021 tentang TPP ASN",
        legal_date=dt.date(2021, 3, 1), valid_from=dt.date(today.year, 1, 1))
    LeaveRule.objects.bulk_create([LeaveRule(rule_set=rs, kind=k, mode=m, pct=Decimal(p)) for k, m, p in LEAVE_RULES])
    start = dt.date(today.year - 1, 1, 1)
    bases = [Base(employee_id=pk, amount=amount, valid_from=start, source="demo",
                  golongan=rng.choice(["II/c", "III/a", "III/b", "III/c", "III/d", "IV/a"]))
             for pk, amount in Employee.objects.filter(tpp_base__gt=0).values_list("pk", "tpp_base")]
    Base.objects.bulk_create(bases, batch_size=5000)
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    lines = [f"tpp: aturan “{rs.name}”, {len(bases)} TPP dasar"]
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    try:
        periods = services.close(admin, last_month) if admin else []
        lines.append(f"tpp: {last_month:%m/%Y} dihitung dan ditutup untuk {len(periods)} OPD")
    except DomainError as exc:
        engine.compute_month(last_month)
        lines.append(f"tpp: {last_month:%m/%Y} dihitung, belum ditutup ({exc.message})")
    report = engine.compute_month(today)
    total = sum(Result.objects.filter(month=today.replace(day=1)).values_list("net", flat=True))
    lines.append(f"tpp: {today:%m/%Y} dihitung sementara untuk {report.computed} pegawai "
                 f"(Rp {total:,})".replace(",", "."))
    return lines
