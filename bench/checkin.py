"""Check-in benchmark: POST /api/presence/checkins from many concurrent clients against a real server process
(granian by default, or gunicorn) on PostgreSQL, compared in the SAME run with the raw single-row INSERT rate of the
same database through the same thread harness.

    .venv/bin/python bench/checkin.py [--server granian|gunicorn] [--workers 2] [--threads 2] [--backpressure N]
                                      [--employees 4000] [--clients 16] [--requests 3000] [--duration 30]
                                      [--port 8765] [--in-process 100] [--status-refresh inline|batched]

`--server gunicorn` needs `.venv/bin/pip install -e '.[bench]'`: granian is Hadir's app server (a runtime dependency),
gunicorn is only the comparison here and lives in the `bench` extra.

DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/hadir_bench) names a scratch database: it is
dropped and re-created (the name must contain "bench"), migrated and seeded with one OPD, one work
location, N employees with users and bearer tokens, and an all-day 7-day work pattern so that every
check-in takes the full accepted path (geofence, window, fraud signals, INSERT, daily status refresh).

Servers: granian (`--interface wsgi`, --threads blocking threads per worker, backpressure ≥ the keep-alive connections
a worker may hold) or gunicorn (sync; gthread with --threads > 1). Started in their own process group, ready when
/api/openapi.json answers 200, stopped by signalling the whole group.

Phases (all loopback, bounded by --requests and --duration):
  warm-up   — a few requests per client so every worker process has loaded code and schedule caches;
  api       — --clients threads, each its own keep-alive HTTP/1.1 connection, POSTing check-ins (each employee in
              turn, fresh UUID);
  floor     — the same connections GET /healthz (Django's middleware stack and one SELECT 1) on the same server:
              what the thinnest Django endpoint that touches the database does here, the ceiling of any ratio;
  raw       — --clients threads, each its own psycopg connection, one INSERT per transaction (autocommit)
              of the same row shape into a copy of presence_checkin (LIKE … INCLUDING ALL: same indexes);
  pgbench   — if installed: the same INSERT, same client count, for 5 s. Extra information only (a C harness);
              the ratio stays api / raw, the same-harness comparison.
Prints throughput, p50 and p99 latency of both, the client CPU per operation (process_time of this process over
the phase ÷ operations: what the load generator itself costs), the CPU each process role (server, Celery worker,
PostgreSQL, Redis, this client) used per check-in during the API phase (from /proc), and the ratios api/raw and
floor/raw. Targets: ratio ≥ 0.25, api p99 < 100 ms.

The API phase uses a minimal raw-socket HTTP/1.1 client, not http.client: measured on a 2-core box, http.client
costs ~0.36 ms of client CPU per request (email.parser header parsing) against ~0.1 ms for sending pre-built bytes
and reading Content-Length bytes off the socket — and the load generator shares the cores with the server under
test, so every client millisecond is taken from the server. Each request's bytes (JSON body with a fresh
client_uuid, the employee's bearer token) are built before its timer starts, as are the raw phase's parameters.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import socket
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
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench")
os.environ.setdefault("HADIR_VAR_DIR", str(Path(tempfile.gettempdir()) / "hadir-bench-var"))
# One SECRET_KEY for the seeding process and the servers: a token carries its owner's session hash (an HMAC keyed
# by SECRET_KEY), so tokens seeded under another key would not open the API.
os.environ.setdefault("SECRET_KEY", "hadir-bench-" + "0" * 40)

from _common import recreate_database  # noqa: E402

OFFICE = (-3.7956, 102.2592)
HOST = "127.0.0.1"
# Measured on 2 cores (batched refresh, 16 clients, 3000 requests, 2026-12-02): granian 2 workers × 2 threads
# 224–228/s, × 1 thread 173/s, × 4 threads 135/s, × 8 threads 155/s; 3 workers × 1 thread 191/s. (Earlier: 4 workers
# worse still; gunicorn sync no better at 2–4.) Threads help because a request waits on PostgreSQL for its commit.
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 2


def seed(n_employees: int) -> list[str]:
    """One OPD, one location, n employees with users and tokens; an all-day pattern. Returns the token keys."""
    import datetime as dt
    import secrets

    from django.contrib.auth import get_user_model

    from hadir.org.models import ApiToken, Employee, EmployeeKind, Unit, UnitKind, WorkLocation
    from hadir.org.tokens import hash_token
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
    session_hash = users[0].get_session_auth_hash()  # every bench user has the same (unusable) password
    ApiToken.objects.bulk_create([ApiToken(user=u, key_hash=hash_token(k), label="bench", session_hash=session_hash)
                                  for u, k in zip(users, keys, strict=True)])
    return keys


class KeepAliveClient:
    """A minimal HTTP/1.1 client over one socket (TCP_NODELAY): send pre-built request bytes, read the status line
    and headers up to CRLFCRLF, then Content-Length bytes of body (or up to EOF when the response has no length).
    The connection is kept unless the server says `Connection: close`; on an error it reconnects and retries once."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.addr = (HOST, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buf = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self.buf = b""

    def request(self, data: bytes) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                return self._exchange(data)
            except (OSError, ValueError, IndexError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _recv(self, sock: socket.socket) -> bytes:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("connection closed by the server")
        return chunk

    def _exchange(self, data: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(self.addr, self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = self.sock
        sock.sendall(data)
        buf = self.buf
        while (end := buf.find(b"\r\n\r\n")) < 0:
            buf += self._recv(sock)
        lines = buf[:end].split(b"\r\n")
        buf = buf[end + 4:]
        version, status = lines[0].split(b" ", 2)[:2]
        close = version == b"HTTP/1.0"
        length = -1
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                close = value.strip().lower() == b"close"
            elif name == b"transfer-encoding":
                raise ValueError(f"Transfer-Encoding {value.strip().decode()} is not supported")
        if length >= 0:
            while len(buf) < length:
                buf += self._recv(sock)
            body, buf = buf[:length], buf[length:]
        else:  # no length: the body runs to the end of the connection
            parts = [buf]
            while chunk := sock.recv(65536):
                parts.append(chunk)
            body, buf, close = b"".join(parts), b"", True
        self.buf = buf
        if close:
            self.close()
        return int(status), body


def server_env() -> dict[str, str]:
    return {**os.environ, "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "ERROR", "HADIR_DEBUG": "0"}


def start_worker() -> subprocess.Popen[bytes]:
    """A Celery worker for the batched status refresh (one process: the flushes are set-based)."""
    cmd = [str(ROOT / ".venv/bin/celery"), "-A", "hadir", "worker", "--concurrency", "1",
           "--loglevel", os.environ.get("BENCH_CELERY_LOGLEVEL", "WARNING"),
           "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(cmd, cwd=ROOT, env=server_env(), start_new_session=True)


def server_command(server: str, port: int, workers: int, threads: int, backpressure: int) -> list[str]:
    if server == "granian":
        # Backpressure limits the connections a worker accepts, keep-alive ones included: below the number of
        # connections a worker may hold, the rest would wait in the kernel backlog for as long as those stay open
        # (measured: 4 workers with backpressure 4 for 16 clients left one connection unaccepted until its timeout).
        return [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--http", "1", "--host", HOST,
                "--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads),
                "--backpressure", str(backpressure), "--backlog", "2048", "--log-level", "warning",
                "hadir.wsgi:application"]
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "hadir.wsgi:application", "--bind", f"{HOST}:{port}",
           "--workers", str(workers), "--log-level", "warning", "--backlog", "2048"]
    if threads > 1:
        cmd += ["--worker-class", "gthread", "--threads", str(threads)]
    return cmd


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) == 0


def start_server(cmd: list[str], port: int) -> subprocess.Popen[bytes]:
    """Start `cmd` in its own process group; return once GET /api/openapi.json answers 200."""
    if port_in_use(port):
        sys.exit(f"port {port} is already in use (a leftover server?): pick another with --port")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(), start_new_session=True)
    probe = f"GET /api/openapi.json HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{Path(cmd[0]).name} exited with code {proc.returncode} before it was ready")
        client = KeepAliveClient(port, timeout=5)
        try:
            if client._exchange(probe)[0] == 200:
                return proc
        except (OSError, ValueError, IndexError):
            pass
        finally:
            client.close()
        time.sleep(0.3)
    stop_process(proc)
    sys.exit(f"{Path(cmd[0]).name} did not answer 200 on /api/openapi.json within 60 s")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL it after 20 s; then sweep any member left behind."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


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


class Phase(NamedTuple):
    latencies: list[float]
    labels: Counter[str]
    elapsed: float  # wall seconds
    cpu: float  # process_time seconds of this process (all its threads) over the phase


def run_clients[T](n: int, total: int, duration: float, prepare: Callable[[int, random.Random], T],
                   send: Callable[[int, T], str]) -> Phase:
    """From n threads until `total` calls or `duration` seconds: `prepare(client_index, rng)` builds one operation
    (untimed), `send(client_index, op) -> label` performs it (timed)."""
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
            op = prepare(index, rng)
            t0 = time.perf_counter()
            label = send(index, op)
            mine.append(time.perf_counter() - t0)
            seen[label] += 1
        with lock:
            latencies.extend(mine)
            labels.update(seen)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    stop_at[0] = time.monotonic() + duration
    t_start, c_start = time.perf_counter(), time.process_time()
    start_barrier.wait()
    for t in threads:
        t.join()
    return Phase(latencies, labels, time.perf_counter() - t_start, time.process_time() - c_start)


def exchange(conn: KeepAliveClient, request: bytes) -> tuple[int, bytes] | str:
    """(status, body), or the outcome label of a connection that failed."""
    try:
        return conn.request(request)
    except (OSError, ValueError, IndexError) as e:
        return f"connection error ({type(e).__name__}: {e})"


_next_employee = iter(range(10**9))  # shared by warm-up and measurement: nobody checks in twice


def api_phase(port: int, keys: list[str], conns: list[KeepAliveClient], total: int, duration: float) -> Phase:
    counter = _next_employee
    lock = threading.Lock()
    usable = keys[: max(1, len(keys) - 200)]  # the last 200 are for the in-process timing
    head = f"POST /api/presence/checkins HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"

    def prepare(index: int, rng: random.Random) -> bytes:
        with lock:
            key = usable[next(counter) % len(usable)]  # the morning rush: each employee in turn, not one hot row
        body = checkin_body(rng)
        return f"{head}Authorization: Bearer {key}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body

    def send(index: int, request: bytes) -> str:
        answer = exchange(conns[index], request)
        if isinstance(answer, str):
            return answer
        status, body = answer
        if status in (200, 201):
            return f"{status} {json.loads(body)['verdict']}"
        return f"{status} {body[:80]!r}"

    return run_clients(len(conns), total, duration, prepare, send)


def floor_phase(port: int, conns: list[KeepAliveClient], total: int, duration: float) -> Phase:
    """GET /healthz (Django's whole middleware stack and one SELECT 1) through the same server and connections:
    the most any Django endpoint that touches the database can do on this machine — the ceiling of the ratio."""
    request = f"GET /healthz HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()

    def send(index: int, data: bytes) -> str:
        answer = exchange(conns[index], data)
        return answer if isinstance(answer, str) else str(answer[0])

    return run_clients(len(conns), total, duration, lambda index, rng: request, send)


RAW_COLUMNS = ("client_uuid, employee_id, kind, source, occurred_at, received_at, client_time, local_date, latitude, "
               "longitude, accuracy_m, mock_location, device_id, location_id, distance_m, photo, terminal_sn, verdict, "
               "reason_code, reason, fraud_flags, validity, validity_reason")
RAW_CONSTANTS = "'', '', 'accepted', '', '', '[]', 'not_required', ''"


def raw_phase(url: str, clients: int, total: int, duration: float, employee_ids: list[int],
              location_id: int) -> Phase:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_checkin")
        conn.execute("CREATE TABLE bench_raw_checkin (LIKE presence_checkin INCLUDING ALL)")
    conns = [psycopg.connect(url, autocommit=True) for _ in range(clients)]
    sql = (f"INSERT INTO bench_raw_checkin ({RAW_COLUMNS}) VALUES (%s, %s, %s, 'mobile', now(), now(), now(), "
           f"current_date, %s, %s, %s, false, %s, %s, %s, {RAW_CONSTANTS})")

    def prepare(index: int, rng: random.Random) -> tuple[object, ...]:
        return (uuid.uuid4(), rng.choice(employee_ids), "masuk", OFFICE[0] + rng.uniform(-0.0005, 0.0005),
                OFFICE[1] + rng.uniform(-0.0005, 0.0005), 10.0, f"bench-{rng.randrange(10**9)}", location_id, 12.3)

    def send(index: int, params: tuple[object, ...]) -> str:
        conns[index].execute(sql, params)
        return "inserted"

    try:
        return run_clients(clients, total, duration, prepare, send)
    finally:
        for c in conns:
            c.close()


def pgbench_phase(url: str, clients: int, employee_ids: list[int], location_id: int, seconds: int = 5) -> None:
    """The raw phase's INSERT through pgbench (-M prepared, same client count), for information: skipped if absent."""
    exe = (sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench")) or [shutil.which("pgbench") or ""])[-1]
    if not exe:
        print("pgbench: not installed, skipped")
        return
    script = (f"\\set emp random({min(employee_ids)}, {max(employee_ids)})\n"
              "\\set dlat random(-500, 500)\n\\set dlon random(-500, 500)\n\\set dev random(0, 999999999)\n"
              f"INSERT INTO bench_raw_checkin ({RAW_COLUMNS}) VALUES (gen_random_uuid(), :emp, 'masuk', 'mobile', "
              f"now(), now(), now(), current_date, {OFFICE[0]} + :dlat / 1e6, {OFFICE[1]} + :dlon / 1e6, 10.0, false, "
              f"'bench-' || :dev::text, {location_id}, 12.3, {RAW_CONSTANTS});\n")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    cmd = [exe, "-n", "-M", "prepared", "-c", str(clients), "-j", str(min(clients, os.cpu_count() or 1)),
           "-T", str(seconds), "-f", f.name, url]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        print("pgbench: timed out, skipped")
        return
    finally:
        os.unlink(f.name)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    tps = re.search(r"tps = ([\d.]+) \(without initial", out.stdout)
    done = re.search(r"number of transactions actually processed: (\d+)", out.stdout)
    avg = re.search(r"latency average = ([\d.]+) ms", out.stdout)
    if out.returncode or not (tps and done):
        print(f"pgbench: failed (exit {out.returncode}): {(out.stderr or out.stdout).strip()[-300:]}")
        return
    n = int(done.group(1))
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / n if n else 0.0
    print(f"pgbench: {n:6d} in {seconds:6.2f} s = {float(tps.group(1)):8.1f}/s   latency avg "
          f"{float(avg.group(1)) if avg else math.nan:.1f} ms   client CPU {cpu * 1000:.3f} ms/op   "
          f"(same INSERT, -c {clients} -M prepared; information only, not in the ratio)")


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
    """Wall and CPU time of the Django process per check-in, with Django's test client (no HTTP, no server):
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


def cpu_by_process() -> dict[str, float]:
    """CPU seconds (user + system) used so far by every live process, summed per role: this benchmark, the
    server under test, the Celery worker, PostgreSQL backends, Redis, the rest. Read from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    totals: dict[str, float] = {}
    me = os.getpid()
    for stat in glob.glob("/proc/[0-9]*/stat"):
        pid = int(stat.split("/")[2])
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if pid == me:
            role = "benchmark client"
        elif "granian" in cmdline or "gunicorn" in cmdline:
            role = "server"
        elif "celery" in cmdline:
            role = "celery worker"
        elif cmdline.startswith("postgres"):
            role = "postgresql"
        elif "redis-server" in cmdline:
            role = "redis"
        else:
            role = "other"
        totals[role] = totals.get(role, 0.0) + seconds
    return totals


def print_cpu(before: dict[str, float], after: dict[str, float], wall: float, ops: int) -> None:
    used = {role: after[role] - before.get(role, 0.0) for role in after}
    parts = [f"{role} {sec / wall:4.2f} cores ({sec / max(ops, 1) * 1000:.2f} ms/op)"
             for role, sec in sorted(used.items(), key=lambda kv: -kv[1]) if sec > 0.005 * wall]
    print("         CPU during the phase: " + ", ".join(parts))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, phase: Phase) -> float:
    lat, n = phase.latencies, len(phase.latencies)
    rate = n / phase.elapsed if phase.elapsed else 0.0
    print(f"{name:>7}: {n:6d} in {phase.elapsed:6.2f} s = {rate:8.1f}/s   p50 {pct(lat, .5) * 1000:7.1f} ms   "
          f"p99 {pct(lat, .99) * 1000:7.1f} ms   mean {statistics.fmean(lat) * 1000 if lat else 0:7.1f} ms   "
          f"client CPU {phase.cpu / n * 1000 if n else 0:.3f} ms/op")
    print(f"         outcomes: {dict(phase.labels.most_common())}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian",
                        help="gunicorn needs the bench extra: .venv/bin/pip install -e '.[bench]'")
    parser.add_argument("--employees", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds, per phase (upper bound)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help="server worker processes (default %(default)s: the best of 2, 3, 4 measured on 2 cores)")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                        help="threads per worker: granian blocking threads, gunicorn gthread when > 1")
    parser.add_argument("--backpressure", type=int, default=0,
                        help="granian connections per worker (default: --clients, as every connection is kept alive)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--in-process", type=int, default=100,
                        help="also time this many check-ins in-process (wall and CPU per request); 0 to skip")
    parser.add_argument("--status-refresh", choices=["inline", "batched"], default="batched",
                        help="batched (production): Redis (REDIS_URL, default db 12) as cache and broker and a Celery "
                        "worker drains the outbox; inline: no task queue, every request drains after its commit")
    args = parser.parse_args()
    if args.server == "gunicorn" and not (ROOT / ".venv/bin/gunicorn").exists():
        sys.exit("--server gunicorn: gunicorn is not installed (not a runtime dependency); "
                 "install the bench extra with .venv/bin/pip install -e '.[bench]'")
    backpressure = args.backpressure or args.clients

    url = os.environ["DATABASE_URL"]
    if args.status_refresh == "batched":
        os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
    else:
        os.environ.pop("REDIS_URL", None)
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from hadir.org.models import ApiToken, Employee, WorkLocation
    from hadir.org.tokens import hash_token

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    keys = seed(args.employees)
    employee_ids = list(Employee.objects.values_list("pk", flat=True))
    location_id = WorkLocation.objects.get().pk
    assert ApiToken.objects.filter(key_hash=hash_token(keys[0])).exists()
    from django.db import connections

    connections.close_all()
    if args.server == "granian":
        server = f"granian {args.workers} workers × {args.threads} blocking thread(s), backpressure {backpressure}"
    else:
        server = f"gunicorn {args.workers} workers" + (f" × {args.threads} threads (gthread)" if args.threads > 1
                                                       else " (sync)")
    print(f"seeded {args.employees} employees in {time.perf_counter() - t0:.1f} s; "
          f"{os.cpu_count()} CPUs; {args.clients} clients; {server}")

    if args.in_process:
        n = min(args.in_process, 195)
        in_process_cost(keys[-(n + 5):], n)  # employees the HTTP phase never reaches
        connections.close_all()
    cmd = server_command(args.server, args.port, args.workers, args.threads, backpressure)
    worker = proc = None
    conns = [KeepAliveClient(args.port) for _ in range(args.clients)]
    try:
        worker = start_worker() if args.status_refresh == "batched" else None
        proc = start_server(cmd, args.port)
        api_phase(args.port, keys, conns, args.clients * 10, 20)  # warm-up (its connections stay open)
        cpu0 = cpu_by_process()
        api = api_phase(args.port, keys, conns, args.requests, args.duration)
        cpu1 = cpu_by_process()
        drained = wait_for_statuses(120)
        floor = floor_phase(args.port, conns, max(args.requests, 5000), min(args.duration, 10))
    finally:
        for c in conns:
            c.close()
        for p in (proc, worker):
            if p is not None:
                stop_process(p)
    api_rate = report("api", api)
    print_cpu(cpu0, cpu1, api.elapsed, len(api.latencies))
    api_p99 = pct(api.latencies, .99)
    print(f"         daily statuses up to date {drained:.1f} s after the last request "
          f"({args.status_refresh} outbox drain)")

    raw = raw_phase(url, args.clients, max(args.requests, 20_000), args.duration, employee_ids, location_id)
    raw_rate = report("raw", raw)
    floor_rate = report("floor", floor)
    pgbench_phase(url, args.clients, employee_ids, location_id)
    ratio = api_rate / raw_rate if raw_rate else float("nan")
    print(f"ceiling: GET /healthz (middleware + SELECT 1, same server) / raw = {floor_rate / raw_rate:.3f};  "
          f"api / that floor = {api_rate / floor_rate:.3f}")
    print(f"ratio api/raw = {ratio:.3f}  (target ≥ 0.25: {'met' if ratio >= 0.25 else 'NOT met'});  "
          f"api p99 = {api_p99 * 1000:.1f} ms  (target < 100 ms: {'met' if api_p99 < 0.1 else 'NOT met'})")


if __name__ == "__main__":
    main()
