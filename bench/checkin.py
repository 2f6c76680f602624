"""Check-in benchmark: POST /api/presence/checkins from many concurrent clients against a real gunicorn server
on PostgreSQL, compared in the SAME run with the raw single-row INSERT rate of the same database.

    .venv/bin/python bench/checkin.py [--employees 400] [--clients 16] [--requests 3000] [--duration 30]
                                      [--workers 4] [--port 8765]

DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/hadir_bench) names a scratch database: it is
dropped and re-created (the name must contain "bench"), migrated and seeded with one OPD, one work
location, N employees with users and bearer tokens, and an all-day 7-day work pattern so that every
check-in takes the full accepted path (geofence, window, fraud signals, INSERT, daily status refresh).

Phases (all loopback, bounded by --requests and --duration):
  warm-up   — a few requests per client so every worker process has loaded code and schedule caches;
  api       — --clients threads, each its own HTTP connection, POSTing check-ins (random employee, fresh UUID);
  raw       — --clients threads, each its own psycopg connection, one INSERT per transaction (autocommit)
              of the same row shape into a copy of presence_checkin (LIKE … INCLUDING ALL: same indexes).
Prints throughput, p50 and p99 latency of both and the ratio api/raw. Targets: ratio ≥ 0.25, api p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench")
os.environ.setdefault("HADIR_VAR_DIR", str(Path(tempfile.gettempdir()) / "hadir-bench-var"))

from _common import recreate_database  # noqa: E402

OFFICE = (-3.7956, 102.2592)


def seed(n_employees: int) -> list[str]:
    """One OPD, one location, n employees with users and tokens; an all-day pattern. Returns the token keys."""
    import datetime as dt
    import secrets

    from django.contrib.auth import get_user_model

    from hadir.auth import hash_token
    from hadir.org.models import ApiToken, Employee, EmployeeKind, Unit, UnitKind, WorkLocation
    from hadir.schedules.models import PatternAssignment, WorkPattern, WorkPatternDay

    User = get_user_model()
    pemda = Unit.objects.create(name="Pemerintah Kabupaten Bench", kind=UnitKind.PEMDA, code="PEMDA")
    opd = Unit.objects.create(name="Dinas Bench", kind=UnitKind.DINAS, parent=pemda, code="BENCH")
    loc = WorkLocation.objects.create(name="Kantor Dinas Bench", unit=opd, latitude=OFFICE[0], longitude=OFFICE[1],
                                      radius_m=150)
    # Every minute of every day is working time, so the benchmark measures the accepted path whatever the clock.
    pattern = WorkPattern.objects.create(code="bench-24-jam", name="Bench 24 jam")
    WorkPatternDay.objects.bulk_create([
        WorkPatternDay(pattern=pattern, weekday=wd, start=dt.time(0, 0), end=dt.time(23, 58),
                       masuk_open=dt.time(0, 0), pulang_close=dt.time(23, 59))
        for wd in range(7)
    ])
    PatternAssignment.objects.create(pattern=pattern, unit=opd)
    users = User.objects.bulk_create([User(username=f"bench{i:05d}", password="!") for i in range(n_employees)])
    emps = Employee.objects.bulk_create([
        Employee(name=f"Pegawai Bench {i}", nik=f"1701{i:012d}", kind=EmployeeKind.TKK, unit=opd, user=u)
        for i, u in enumerate(users)
    ])
    Employee.locations.through.objects.bulk_create(
        [Employee.locations.through(employee_id=e.pk, worklocation_id=loc.pk) for e in emps])
    keys = [secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create([ApiToken(user=u, key_hash=hash_token(k), label="bench") for u, k in zip(users, keys,
                                                                                                          strict=True)])
    return keys


def server_env() -> dict[str, str]:
    return {**os.environ, "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "ERROR", "HADIR_DEBUG": "0"}


def start_worker() -> subprocess.Popen[bytes]:
    """A Celery worker for the batched status refresh (one process: the flushes are set-based)."""
    cmd = [str(ROOT / ".venv/bin/celery"), "-A", "hadir", "worker", "--concurrency", "1", "--loglevel", "WARNING",
           "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(cmd, cwd=ROOT, env=server_env(), start_new_session=True)


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = server_env()
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "hadir.wsgi:application", "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--log-level", "warning", "--backlog", "2048"]
    if threads > 1:
        cmd += ["--worker-class", "gthread", "--threads", str(threads)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/openapi.json")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    sys.exit("gunicorn did not start")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def checkin_body(rng: random.Random) -> bytes:
    return json.dumps({
        "kind": "masuk",
        "client_uuid": str(uuid.uuid4()),
        "client_time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "latitude": OFFICE[0] + rng.uniform(-0.0005, 0.0005),
        "longitude": OFFICE[1] + rng.uniform(-0.0005, 0.0005),
        "accuracy_m": round(rng.uniform(4, 30), 1),
        "device_id": f"bench-{rng.randrange(10**9)}",
    }).encode()


def run_clients(n: int, total: int, duration: float,
                one: Callable[[int, random.Random], str]) -> tuple[list[float], Counter[str], float]:
    """Run `one(client_index, rng) -> label` from n threads until `total` calls or `duration` seconds."""
    latencies: list[float] = []
    labels: Counter[str] = Counter()
    lock = threading.Lock()
    remaining = [total]
    start_barrier = threading.Barrier(n + 1)
    stop_at = [0.0]

    def worker(index: int) -> None:
        rng = random.Random(index)
        mine: list[float] = []
        seen: Counter[str] = Counter()
        start_barrier.wait()
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > stop_at[0]:
                    break
                remaining[0] -= 1
            t0 = time.perf_counter()
            label = one(index, rng)
            mine.append(time.perf_counter() - t0)
            seen[label] += 1
        with lock:
            latencies.extend(mine)
            labels.update(seen)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    stop_at[0] = time.monotonic() + duration
    t_start = time.perf_counter()
    start_barrier.wait()
    for t in threads:
        t.join()
    return latencies, labels, time.perf_counter() - t_start


_next_employee = iter(range(10**9))  # shared by warm-up and measurement: nobody checks in twice


def api_phase(port: int, keys: list[str], clients: int, total: int, duration: float) -> tuple[
        list[float], Counter[str], float]:
    conns: dict[int, http.client.HTTPConnection] = {}
    counter = _next_employee
    lock = threading.Lock()

    usable = keys[: max(1, len(keys) - 200)]  # the last 200 are for the in-process timing

    def one(index: int, rng: random.Random) -> str:
        with lock:
            key = usable[next(counter) % len(usable)]  # the morning rush: each employee in turn, not one hot row
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Connection": "keep-alive"}
        for attempt in range(2):
            conn = conns.get(index) or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conns[index] = conn
            try:
                conn.request("POST", "/api/presence/checkins", checkin_body(rng), headers)
                resp = conn.getresponse()
                body = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conns.pop(index, None)
                if resp.status in (200, 201):
                    return f"{resp.status} {json.loads(body)['verdict']}"
                return f"{resp.status} {body[:80]!r}"
            except (OSError, http.client.HTTPException):
                conn.close()
                conns.pop(index, None)
                if attempt:
                    return "connection error"
        return "connection error"

    return run_clients(clients, total, duration, one)


def raw_phase(url: str, clients: int, total: int, duration: float, employee_ids: list[int],
              location_id: int) -> tuple[list[float], Counter[str], float]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_checkin")
        conn.execute("CREATE TABLE bench_raw_checkin (LIKE presence_checkin INCLUDING ALL)")
    conns = [psycopg.connect(url, autocommit=True) for _ in range(clients)]
    sql = (
        "INSERT INTO bench_raw_checkin (client_uuid, employee_id, kind, source, occurred_at, received_at, "
        "client_time, local_date, latitude, longitude, accuracy_m, mock_location, device_id, location_id, "
        "distance_m, photo, terminal_sn, verdict, reason_code, reason, fraud_flags, validity, validity_reason) "
        "VALUES (%s, %s, %s, 'mobile', now(), now(), now(), current_date, %s, %s, %s, false, %s, %s, %s, '', '', "
        "'accepted', '', '', '[]', 'not_required', '')"
    )

    def one(index: int, rng: random.Random) -> str:
        conns[index].execute(sql, (
            uuid.uuid4(), rng.choice(employee_ids), "masuk", OFFICE[0] + rng.uniform(-0.0005, 0.0005),
            OFFICE[1] + rng.uniform(-0.0005, 0.0005), 10.0, f"bench-{rng.randrange(10**9)}", location_id, 12.3,
        ))
        return "inserted"

    try:
        return run_clients(clients, total, duration, one)
    finally:
        for c in conns:
            c.close()


def wait_for_statuses(timeout: float) -> float:
    """Seconds until every employee with an accepted masuk has a DailyStatus row (batched mode lags)."""
    from django.db import connection

    from hadir.presence.models import CheckIn, DailyStatus

    t0 = time.perf_counter()
    while True:
        wanted = CheckIn.objects.filter(verdict="accepted", kind="masuk").values("employee_id").distinct().count()
        have = DailyStatus.objects.exclude(first_in=None).count()
        if have >= wanted or time.perf_counter() - t0 > timeout:
            if have < wanted:
                print(f"       WARNING: only {have} of {wanted} statuses computed")
            connection.close()
            return time.perf_counter() - t0
        time.sleep(0.2)


def in_process_cost(keys: list[str], n: int) -> None:
    """Wall and CPU time of the Django process per check-in, with Django's test client (no HTTP, no gunicorn):
    what one request costs the app server itself, whatever else the machine is doing."""
    from django.test import Client

    client = Client()
    rng = random.Random(99)

    def post(key: str) -> None:
        r = client.post("/api/presence/checkins", checkin_body(rng), content_type="application/json",
                        headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 201, r.content

    for key in keys[:5]:
        post(key)
    t0, c0 = time.perf_counter(), time.process_time()
    for key in keys[5:n + 5]:
        post(key)
    wall, cpu = (time.perf_counter() - t0) / n, (time.process_time() - c0) / n
    print(f"  in-process: {n} check-ins, {wall * 1000:.1f} ms wall and {cpu * 1000:.1f} ms CPU of the Django "
          f"process per check-in")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, lat: list[float], labels: Counter[str], elapsed: float) -> float:
    rate = len(lat) / elapsed if elapsed else 0.0
    print(f"{name:>5}: {len(lat):6d} in {elapsed:6.2f} s = {rate:8.1f}/s   p50 {pct(lat, .5) * 1000:7.1f} ms   "
          f"p99 {pct(lat, .99) * 1000:7.1f} ms   mean {statistics.fmean(lat) * 1000 if lat else 0:7.1f} ms")
    print(f"       outcomes: {dict(labels.most_common())}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds, per phase (upper bound)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--in-process", type=int, default=100,
                        help="also time this many check-ins in-process (wall and CPU per request); 0 to skip")
    parser.add_argument("--status-refresh", choices=["inline", "batched"], default="inline",
                        help="HADIR_STATUS_REFRESH for the server; batched uses Redis (REDIS_URL, default db 12) "
                        "and starts a Celery worker")
    args = parser.parse_args()

    url = os.environ["DATABASE_URL"]
    os.environ["HADIR_STATUS_REFRESH"] = args.status_refresh
    if args.status_refresh == "batched":
        os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
    else:
        os.environ.pop("REDIS_URL", None)
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from hadir.auth import hash_token
    from hadir.org.models import ApiToken, Employee, WorkLocation

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    keys = seed(args.employees)
    employee_ids = list(Employee.objects.values_list("pk", flat=True))
    location_id = WorkLocation.objects.get().pk
    assert ApiToken.objects.filter(key_hash=hash_token(keys[0])).exists()
    from django.db import connections

    connections.close_all()
    print(f"seeded {args.employees} employees in {time.perf_counter() - t0:.1f} s; "
          f"{os.cpu_count()} CPUs; {args.clients} clients; gunicorn {args.workers} workers"
          f"{f' × {args.threads} threads' if args.threads > 1 else ''}")

    if args.in_process:
        n = min(args.in_process, 195)
        in_process_cost(keys[-(n + 5):], n)  # employees the HTTP phase never reaches
        connections.close_all()
    worker = start_worker() if args.status_refresh == "batched" else None
    proc = start_server(args.port, args.workers, args.threads)
    try:
        api_phase(args.port, keys, args.clients, args.clients * 10, 20)  # warm-up
        lat, labels, elapsed = api_phase(args.port, keys, args.clients, args.requests, args.duration)
        drained = wait_for_statuses(120)
    finally:
        stop_server(proc)
        if worker is not None:
            stop_server(worker)
    api_rate = report("api", lat, labels, elapsed)
    api_p99 = pct(lat, .99)
    print(f"       daily statuses up to date {drained:.1f} s after the last request "
          f"(HADIR_STATUS_REFRESH={args.status_refresh})")

    raw_lat, raw_labels, raw_elapsed = raw_phase(url, args.clients, max(args.requests, 20_000), args.duration,
                                                 employee_ids, location_id)
    raw_rate = report("raw", raw_lat, raw_labels, raw_elapsed)
    ratio = api_rate / raw_rate if raw_rate else float("nan")
    print(f"ratio api/raw = {ratio:.3f}  (target ≥ 0.25: {'met' if ratio >= 0.25 else 'NOT met'});  "
          f"api p99 = {api_p99 * 1000:.1f} ms  (target < 100 ms: {'met' if api_p99 < 0.1 else 'NOT met'})")


if __name__ == "__main__":
    main()
