"""Approvals and audit-chain benchmark on PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hadir_bench_approve \
        .venv/bin/python bench/approvals_audit.py [--entries 2000] [--items 500] [--threads 8]

The database named in DATABASE_URL is a scratch one: dropped and re-created (its name must contain
"bench"), migrated, and filled with the small test organisation plus the rows each step needs.

Printed, each with its same-run baseline and the ratio:
  record      — audit.record() one entry per transaction (head row locked, hash chained)
                vs baseline: the same AuditEntry row inserted without the chain (no lock, no head update);
  parallel    — record() from N threads at once vs the sequential rate above;
  verify      — verify_chain() over all entries vs baseline: reading the same rows without hashing;
  bulk decide — decide_many() of N pending check-ins by their atasan (validity, audit entry, item, daily
                status recompute on commit) vs baseline: one raw UPDATE of those check-ins' validity;
  inbox       — the atasan's inbox (count + first 100) with N items pending.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "hadir-bench-" + "0" * 40)  # required with HADIR_DEBUG off
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench_approve")

from _common import recreate_database  # noqa: E402


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    recreate_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)

    from hadir.approvals.models import ApprovalItem, ItemKind
    from hadir.approvals.services import decide_many, inbox
    from hadir.audit.models import AuditEntry
    from hadir.audit.services import record, to_json_value, verify_chain
    from hadir.presence.models import CheckIn, Validity
    from hadir.testing import make_org

    org = make_org()
    n = args.entries
    before, after = {"status": "belum"}, {"status": "hadir", "late_minutes": 0}

    # --- record vs plain insert ---------------------------------------------------------------
    def baseline_inserts() -> None:
        for i in range(n):
            with transaction.atomic():
                row = AuditEntry(seq=10_000_000 + i, at=timezone.now(), actor_id=None, actor_name="sistem",
                                 action="bench.base", target_type="org.employee", target_id=str(org.staf.pk),
                                 target_repr=str(org.staf), before=to_json_value(before),
                                 after=to_json_value(after), reason="", prev_hash="0" * 64)
                row.hash = row.compute_hash()
                row.save()

    base_t, _ = timed(baseline_inserts)
    with connection.cursor() as cursor:  # the baseline rows are not part of the chain
        cursor.execute("DELETE FROM audit_auditentry WHERE seq >= 10000000")

    def chained() -> None:
        for _ in range(n):
            record(org.admin_bkpsdm, "bench.record", org.staf, before, after, "bench")

    rec_t, _ = timed(chained)
    print(f"record      {n} entries: {rec_t:.2f} s ({n / rec_t:,.0f}/s); baseline plain insert "
          f"{base_t:.2f} s ({n / base_t:,.0f}/s); ratio {rec_t / base_t:.2f}×")

    # --- parallel writers ---------------------------------------------------------------------
    per = max(1, n // args.threads)
    barrier = threading.Barrier(args.threads)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            barrier.wait()
            for _ in range(per):
                record(None, "bench.parallel", org.staf, before, after)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(args.threads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    par_t = time.perf_counter() - start
    total = per * args.threads
    print(f"parallel    {args.threads} threads × {per}: {par_t:.2f} s ({total / par_t:,.0f}/s), errors {len(errors)}; "
          f"vs sequential {n / rec_t:,.0f}/s; ratio {(total / par_t) / (n / rec_t):.2f}×")

    # --- verify vs plain read ---------------------------------------------------------------------
    count = AuditEntry.objects.count()
    read_t, _ = timed(lambda: sum(1 for _ in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)))
    ver_t, report = timed(verify_chain)
    assert report.ok and report.checked == count, report
    print(f"verify      {count} entries: {ver_t:.2f} s ({count / ver_t:,.0f}/s); baseline read "
          f"{read_t:.2f} s; ratio {ver_t / read_t:.2f}×")

    # --- bulk decision ------------------------------------------------------------------------
    today = timezone.localdate()

    def make_items() -> list[int]:
        rows = CheckIn.objects.bulk_create([
            CheckIn(client_uuid=uuid.uuid4(), employee=org.staf_bidang, kind="masuk",
                    occurred_at=timezone.now() - dt.timedelta(minutes=i), local_date=today, verdict="accepted",
                    validity=Validity.PENDING, fraud_flags=["mock_location"])
            for i in range(args.items)
        ])
        items = ApprovalItem.objects.bulk_create([
            ApprovalItem(kind=ItemKind.CHECKIN, checkin=row, employee=org.staf_bidang,
                         approver_position_id=org.kabid.position_id) for row in rows
        ])
        return [i.pk for i in items]

    ids = make_items()
    checkin_ids = list(ApprovalItem.objects.filter(pk__in=ids).values_list("checkin_id", flat=True))

    def raw_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE presence_checkin SET validity = 'valid' WHERE id = ANY(%s)", [checkin_ids])

    raw_t, _ = timed(raw_update)
    CheckIn.objects.filter(pk__in=checkin_ids).update(validity=Validity.PENDING)

    inbox_t, page = timed(lambda: (inbox(org.kabid.user).count(), list(inbox(org.kabid.user)[:100])))
    print(f"inbox       {args.items} pending: count + first 100 in {inbox_t * 1000:.0f} ms")

    dec_t, decided = timed(decide_many, ids, org.kabid.user, True, "sesuai")
    assert len(decided) == args.items
    print(f"bulk decide {args.items} items: {dec_t:.2f} s ({dec_t / args.items * 1000:.1f} ms/item); "
          f"baseline raw UPDATE {raw_t * 1000:.1f} ms; ratio {dec_t / raw_t:.0f}×")
    report = verify_chain()
    print(f"chain after the run: {'utuh' if report.ok else 'RUSAK'} ({report.checked} entri)")


if __name__ == "__main__":
    main()
