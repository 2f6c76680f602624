"""ATTLOG ingest benchmark: lines per second through the ADMS endpoint, against a raw-insert baseline.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hadir_bench_attlog \
        .venv/bin/python bench/attlog.py [--lines 100000] [--batch 1000] [--mode client|http] [--terminals 4]

It migrates the database named in DATABASE_URL (use a scratch one: its terminals data is reset),
then, in the same run:
  1. baseline: the same rows inserted straight with psycopg (COPY, one per batch, and executemany),
  2. the endpoint: POST /iclock/cdata?table=ATTLOG in batches of --batch lines,
     - mode "client": Django's test client in this process (view + ORM + database, no network),
     - mode "http": a real gunicorn server and --terminals simulated terminals pushing concurrently
       (gunicorn is in the bench extra: .venv/bin/pip install -e '.[bench]'),
  3. a re-push of everything (all duplicates: stored once, answered "OK: n").
Conversion to check-ins runs in the Celery worker, not during ingest: the broker is in-memory here.
Baseline and endpoint alternate for --rounds rounds (the machine may be shared); prints each round and
the medians, and the ratio endpoint / COPY.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "hadir-bench-" + "0" * 40)  # required with HADIR_DEBUG off
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
    ap.add_argument("--rounds", type=int, default=3, help="baseline and endpoint alternate; medians printed")
    args = ap.parse_args()
    if args.mode == "http" and importlib.util.find_spec("gunicorn") is None:
        sys.exit("--mode http: gunicorn is not installed (not a runtime dependency); "
                 "install the bench extra with .venv/bin/pip install -e '.[bench]'")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from hadir.terminals.models import AttLog, Terminal, TerminalStatus

    vendor = connection.vendor
    print(f"database: {vendor} ({connection.settings_dict['NAME']}); lines={args.lines} batch={args.batch} "
          f"mode={args.mode}")
    from hadir.terminals import protocol
    from hadir.terminals.simulator import SimulatedTerminal

    start = dt.datetime(2026, 11, 2, 6, 0)
    n_terms = args.terminals if args.mode == "http" else 1
    per_term = args.lines // n_terms
    total = per_term * n_terms
    cols = ("terminal_id", "pin", "local_time", "occurred_at", "status", "verify", "workcode", "punch", "raw",
            "received_at", "state")
    table = AttLog._meta.db_table

    def cleanup() -> None:
        AttLog.objects.filter(terminal__serial_number__startswith="BENCH").delete()
        Terminal.objects.filter(serial_number__startswith="BENCH").delete()

    def baseline_round(rnd: int) -> dict[str, float]:
        """The same rows inserted straight into the table (no HTTP, no Django): the floor to compare with."""
        base_term = Terminal.objects.create(serial_number=f"BENCHBASE{rnd}", status=TerminalStatus.ACTIVE, ip_allowlist="127.0.0.1, ::1")
        now = dt.datetime.now(dt.UTC)
        rows = []
        for line in make_lines(total, args.pins, start):
            p = protocol.parse_attlog_line(line)
            assert p is not None
            rows.append((base_term.pk, p.pin, p.local_time_text, protocol.to_utc(p.local_time, "Asia/Jakarta"),
                         p.status, p.verify, p.workcode, protocol.punch_kind(p.status, p.local_time), p.raw, now,
                         "queued"))
        out: dict[str, float] = {}
        with connection.cursor() as cur:
            if vendor == "postgresql":
                raw = cur.cursor  # the psycopg cursor behind Django's wrapper
                t0 = time.perf_counter()
                for k in range(0, len(rows), args.batch):  # one COPY + commit per batch, like one POST each
                    with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                        for row in rows[k:k + args.batch]:
                            copy.write_row(row)
                out["COPY"] = len(rows) / (time.perf_counter() - t0)
                cur.execute(f"DELETE FROM {table} WHERE terminal_id = %s", [base_term.pk])
            t0 = time.perf_counter()
            sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
                   "ON CONFLICT DO NOTHING")
            for k in range(0, len(rows), args.batch):
                cur.executemany(sql, rows[k:k + args.batch])
            out["executemany"] = len(rows) / (time.perf_counter() - t0)
        return out

    def endpoint_round(rnd: int, port: int | None) -> tuple[float, float, int, int]:
        terminals = [Terminal.objects.create(serial_number=f"BENCH{rnd}T{i}", status=TerminalStatus.ACTIVE, ip_allowlist="127.0.0.1, ::1")
                     for i in range(n_terms)]
        batches = {t.serial_number: [make_lines(min(args.batch, per_term - k), args.pins, start, k)
                                     for k in range(0, per_term, args.batch)] for t in terminals}
        answers: list[str] = []
        lock = threading.Lock()

        def push_client(sn: str) -> None:
            from django.test import Client

            client = Client()
            for batch in batches[sn]:
                resp = client.post(f"/iclock/cdata?SN={sn}&table=ATTLOG&Stamp=1", data="\n".join(batch) + "\n",
                                   content_type="text/plain")
                answers.append(resp.content.decode())

        def push_http(sn: str) -> None:
            sim = SimulatedTerminal(f"http://127.0.0.1:{port}", sn)
            for batch in batches[sn]:
                reply = sim.push_attlog(batch, stamp="1")
                with lock:
                    answers.append(reply.body)
            sim.close()

        def run() -> float:
            t0 = time.perf_counter()
            if port is None:
                push_client(terminals[0].serial_number)
            else:
                threads = [threading.Thread(target=push_http, args=(t.serial_number,)) for t in terminals]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join()
            return time.perf_counter() - t0

        elapsed = run()
        counted = sum(int(a.split(":")[1]) for a in answers if a.startswith("OK:"))
        stored = AttLog.objects.filter(terminal__in=terminals).count()
        answers.clear()
        elapsed_dup = run()
        stored_after = AttLog.objects.filter(terminal__in=terminals).count()
        if not (stored == total == counted and stored_after == total):
            raise SystemExit(f"ERROR: sent {total}, answered {counted}, stored {stored} then {stored_after}")
        return total / elapsed, total / elapsed_dup, counted, stored

    server = None
    cleanup()
    try:
        port = None
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
            warm = Terminal.objects.create(serial_number="BENCHWARM", status=TerminalStatus.ACTIVE, ip_allowlist="127.0.0.1, ::1")
            for _ in range(args.workers * 2):  # warm every worker (imports, connections)
                SimulatedTerminal(f"http://127.0.0.1:{port}", warm.serial_number).handshake()
        else:
            from django.test import Client

            Client().get("/iclock/cdata?SN=BENCHWARM&options=all")
        results = []
        for rnd in range(args.rounds):
            base = baseline_round(rnd)
            ep, dup, counted, stored = endpoint_round(rnd, port)
            results.append((base, ep, dup))
            print(f"round {rnd + 1}: endpoint {ep:>9,.0f} lines/s (re-push of duplicates {dup:>9,.0f}); "
                  + "; ".join(f"baseline {k} {v:>9,.0f}" for k, v in base.items())
                  + f"  [answered {counted:,}, stored {stored:,}]")
        ref = "COPY" if vendor == "postgresql" else "executemany"
        med = statistics.median
        ep_med = med(r[1] for r in results)
        base_med = med(r[0][ref] for r in results)
        ratio = med(r[1] / r[0][ref] for r in results)
        print(f"median endpoint ({args.mode}): {ep_med:,.0f} lines/s; median baseline {ref}: {base_med:,.0f} "
              f"lines/s; median ratio endpoint/{ref}: {ratio:.2f}")
        print(f"target 20,000 lines/s: {'met' if ep_med >= 20_000 else 'NOT met'} "
              f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
