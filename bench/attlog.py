"""ATTLOG ingest benchmark: lines per second through the ADMS endpoint, against a raw-insert baseline.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hadir_bench_attlog \
        .venv/bin/python bench/attlog.py [--lines 100000] [--batch 1000] [--mode client|http] [--terminals 4]

It migrates the database named in DATABASE_URL (use a scratch one: its terminals data is reset),
then, in the same run:
  1. baseline: the same rows inserted straight with psycopg (COPY, and executemany ON CONFLICT DO NOTHING),
  2. the endpoint: POST /iclock/cdata?table=ATTLOG in batches of --batch lines,
     - mode "client": Django's test client in this process (view + ORM + database, no network),
     - mode "http": a real gunicorn server and --terminals simulated terminals pushing concurrently,
  3. a re-push of everything (all duplicates: stored once, answered "OK: n").
Conversion to check-ins runs in the Celery worker, not during ingest: the broker is in-memory here.
Prints lines/s for each and the ratio endpoint / baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"  # ingest only; conversion belongs to the worker
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def make_lines(n: int, pins: int, start: dt.datetime, offset: int = 0) -> list[str]:
    lines = []
    for i in range(n):
        pin = 1000 + (i + offset) % pins
        when = start + dt.timedelta(seconds=(i + offset) // pins * 7 + (i + offset) % 7)
        lines.append(f"{pin}\t{when:%Y-%m-%d %H:%M:%S}\t{i % 2}\t1\t0\t0\t0")
    return lines


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--pins", type=int, default=2000)
    ap.add_argument("--mode", choices=["client", "http"], default="client")
    ap.add_argument("--terminals", type=int, default=4, help="concurrent terminals in http mode")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers in http mode")
    args = ap.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from hadir.terminals.models import AttLog, Terminal, TerminalStatus

    vendor = connection.vendor
    print(f"database: {vendor} ({connection.settings_dict['NAME']}); lines={args.lines} batch={args.batch} "
          f"mode={args.mode}")
    AttLog.objects.filter(terminal__serial_number__startswith="BENCH").delete()
    Terminal.objects.filter(serial_number__startswith="BENCH").delete()
    start = dt.datetime(2026, 11, 2, 6, 0)
    n_terms = args.terminals if args.mode == "http" else 1
    terminals = [Terminal.objects.create(serial_number=f"BENCH{i}", status=TerminalStatus.ACTIVE)
                 for i in range(n_terms)]
    base_term = Terminal.objects.create(serial_number="BENCHBASE", status=TerminalStatus.ACTIVE)
    per_term = args.lines // n_terms
    batches = {t.serial_number: [make_lines(min(args.batch, per_term - k), args.pins, start, k)
                                 for k in range(0, per_term, args.batch)] for t in terminals}
    total = per_term * n_terms

    # 1. Baseline: the same rows straight into the table.
    from hadir.terminals import protocol
    from hadir.terminals.services import store_attlog  # noqa: F401 (same parse + row shape below)

    base_rows = []
    now = dt.datetime.now(dt.UTC)
    for line in make_lines(total, args.pins, start):
        p = protocol.parse_attlog_line(line)
        assert p is not None
        base_rows.append((base_term.pk, p.pin, p.local_time_text, protocol.to_utc(p.local_time, "Asia/Jakarta"),
                          p.status, p.verify, p.workcode, protocol.punch_kind(p.status, p.local_time), p.raw, now,
                          "queued"))
    cols = ("terminal_id", "pin", "local_time", "occurred_at", "status", "verify", "workcode", "punch", "raw",
            "received_at", "state")
    table = AttLog._meta.db_table
    baseline: dict[str, float] = {}
    with connection.cursor() as cur:
        t0 = time.perf_counter()
        sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
               "ON CONFLICT DO NOTHING")
        for k in range(0, len(base_rows), args.batch):
            cur.executemany(sql, base_rows[k:k + args.batch])
        baseline["executemany"] = len(base_rows) / (time.perf_counter() - t0)
        if vendor == "postgresql":
            cur.execute(f"DELETE FROM {table} WHERE terminal_id = %s", [base_term.pk])
            raw = cur.cursor  # the psycopg cursor behind Django's wrapper
            t0 = time.perf_counter()
            with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in base_rows:
                    copy.write_row(row)
            baseline["COPY"] = len(base_rows) / (time.perf_counter() - t0)
    for name, rate in baseline.items():
        print(f"baseline {name:<12} {rate:>10,.0f} lines/s")
    ref_name = "COPY" if "COPY" in baseline else "executemany"

    # 2. The endpoint.
    def run_client() -> tuple[float, list[str]]:
        from django.test import Client

        client = Client()
        answers: list[str] = []
        sn = terminals[0].serial_number
        t0 = time.perf_counter()
        for batch in batches[sn]:
            resp = client.post(f"/iclock/cdata?SN={sn}&table=ATTLOG&Stamp=1", data="\n".join(batch) + "\n",
                               content_type="text/plain")
            answers.append(resp.content.decode())
        return time.perf_counter() - t0, answers

    def run_http(port: int) -> tuple[float, list[str]]:
        from hadir.terminals.simulator import SimulatedTerminal

        answers: list[str] = []
        lock = threading.Lock()

        def push(sn: str) -> None:
            sim = SimulatedTerminal(f"http://127.0.0.1:{port}", sn)
            for batch in batches[sn]:
                reply = sim.push_attlog(batch, stamp="1")
                with lock:
                    answers.append(reply.body)
            sim.close()

        threads = [threading.Thread(target=push, args=(t.serial_number,)) for t in terminals]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return time.perf_counter() - t0, answers

    server = None
    try:
        if args.mode == "http":
            port = free_port()
            env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "ERROR"}
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "hadir.wsgi:application", "-b", f"127.0.0.1:{port}",
                 "-w", str(args.workers), "--log-level", "error"], cwd=ROOT, env=env)
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            # warm every worker (imports, connections)
            from hadir.terminals.simulator import SimulatedTerminal

            for _ in range(args.workers * 2):
                SimulatedTerminal(f"http://127.0.0.1:{port}", terminals[0].serial_number).handshake()

            def runner() -> tuple[float, list[str]]:
                return run_http(port)
        else:
            from django.test import Client

            Client().get(f"/iclock/cdata?SN={terminals[0].serial_number}&options=all")  # warm up
            runner = run_client
        elapsed, answers = runner()
        counted = sum(int(a.split(":")[1]) for a in answers if a.startswith("OK:"))
        stored = AttLog.objects.filter(terminal__in=terminals).count()
        rate = total / elapsed
        print(f"endpoint ({args.mode})  {rate:>10,.0f} lines/s  ({total:,} lines in {elapsed:.2f} s; "
              f"answered {counted:,}; stored {stored:,})")
        elapsed2, answers2 = runner()
        stored2 = AttLog.objects.filter(terminal__in=terminals).count()
        print(f"re-push (all dup)  {total / elapsed2:>10,.0f} lines/s  (stored still {stored2:,})")
        print(f"ratio endpoint / baseline {ref_name}: {rate / baseline[ref_name]:.2f}")
        print(f"target 20,000 lines/s: {'met' if rate >= 20_000 else 'NOT met'}")
        ok = stored == total and stored2 == total and counted == total
        if not ok:
            print("ERROR: stored/answered counts do not match the lines sent", file=sys.stderr)
            return 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        AttLog.objects.filter(terminal__serial_number__startswith="BENCH").delete()
        Terminal.objects.filter(serial_number__startswith="BENCH").delete()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
