"""Chaos benchmark: check-ins keep arriving while parts of the documented deployment die, and none is lost.

    .venv/bin/python bench/chaos.py [--employees 6000] [--clients 16] [--duration 70] [--redis-down 30]
                                    [--workers 2] [--threads 2] [--port 8766] [--redis-port 6392]

DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/hadir_bench_chaos) names a scratch database: it is
dropped and re-created (the name must contain "bench") and seeded like bench/checkin.py (one office, N employees
with bearer tokens, an all-day work pattern). The benchmark starts its OWN Redis (redis-server on --redis-port,
no persistence, as cache and Celery broker), granian as docs/deploy.md runs it (with --respawn-failed-workers),
a Celery worker and Celery beat — and plays systemd for the worker (Restart=always: restarted 5 s after it
dies). Then, while --clients phones post check-ins (each a fresh client_uuid; a request that fails is sent once
more with the same body after reconnecting, as the app's offline queue does):

    t = 8 s            kill -9 one granian worker (granian respawns it)
    t = 18 s           kill -9 Redis (cache and broker), restarted empty --redis-down seconds later
    t = duration - 15  kill -9 the Celery worker (restarted 5 s later)
    t = duration       the phones stop

and afterwards it waits until the outbox is empty and every employee with an accepted masuk has a daily status,
then verifies against PostgreSQL: every acknowledged check-in (HTTP 200/201 with an id) is stored exactly once,
and every daily status equals a fresh recomputation from the stored check-ins. It prints:

    sent, acknowledged, stored, lost, duplicated, 5xx, refused/reset connections, check-ins/s over the run,
    catch-up time (from Redis' return, and from the last request) and status mismatches.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "hadir-bench-" + "0" * 40)  # required with HADIR_DEBUG off
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench_chaos")
os.environ.setdefault("HADIR_VAR_DIR", str(Path(tempfile.gettempdir()) / "hadir-bench-var"))

from _common import recreate_database  # noqa: E402
from checkin import (  # noqa: E402
    HOST,
    KeepAliveClient,
    checkin_body,
    seed,
    server_command,
    server_env,
    start_server,
    stop_process,
)

WORKER_RESTART_SECONDS = 5  # what systemd's RestartSec would do


def start_redis(port: int, workdir: str) -> subprocess.Popen[bytes]:
    exe = shutil.which("redis-server") or sys.exit("redis-server not installed")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", workdir, "--logfile", os.path.join(workdir, "redis.log")],
                            start_new_session=True)
    for _ in range(50):
        try:
            import redis

            redis.Redis(port=port, socket_connect_timeout=0.2).ping()
            return proc
        except Exception:
            time.sleep(0.1)
    sys.exit(f"redis-server did not start on port {port}")


def celery(args: list[str]) -> subprocess.Popen[bytes]:
    cmd = [str(ROOT / ".venv/bin/celery"), "-A", "hadir", *args, "--loglevel",
           os.environ.get("BENCH_CELERY_LOGLEVEL", "WARNING")]
    return subprocess.Popen(cmd, cwd=ROOT, env=server_env(), start_new_session=True)


def start_worker() -> subprocess.Popen[bytes]:
    return celery(["worker", "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat"])


def granian_workers(master_pid: int) -> list[int]:
    """The worker processes of a granian master (its children)."""
    children: list[int] = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            children.append(int(stat.parent.name))
    return sorted(children)


class Phones:
    """--clients threads posting check-ins; each request that fails is re-sent once with the same body."""

    def __init__(self, port: int, keys: list[str], clients: int) -> None:
        self.port, self.keys, self.clients = port, keys, clients
        self.lock = threading.Lock()
        self.next = iter(range(10**9))
        self.stop = threading.Event()
        self.sent = 0
        self.acked: dict[str, int] = {}  # client_uuid → check-in id the server answered
        self.outcomes: Counter[str] = Counter()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def join(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()

    def _run(self, index: int) -> None:
        rng = random.Random(index)
        conn = KeepAliveClient(self.port, timeout=20)
        head = (f"POST /api/presence/checkins HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                f"Content-Type: application/json\r\n")
        while not self.stop.is_set():
            with self.lock:
                key = self.keys[next(self.next) % len(self.keys)]
                self.sent += 1
            body = checkin_body(rng)
            client_uuid = json.loads(body)["client_uuid"]
            request = f"{head}Authorization: Bearer {key}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
            for attempt in range(2):
                try:
                    status, answer = conn.request(request)
                except (OSError, ValueError, IndexError) as exc:
                    label = f"connection error ({type(exc).__name__})"
                    conn.close()
                    time.sleep(0.2)
                else:
                    if status in (200, 201):
                        with self.lock:
                            self.acked[client_uuid] = int(json.loads(answer)["id"])
                            self.outcomes[f"{status}" + (" (retried)" if attempt else "")] += 1
                        break
                    label = f"{status}"
                with self.lock:
                    self.outcomes[label] += 1
        conn.close()


def wait_caught_up(timeout: float) -> float:
    """Seconds until the outbox is empty and every employee with an accepted masuk has a daily status."""
    from django.db import connection

    from hadir.presence.models import CheckIn, DailyStatus, DirtyDay

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        wanted = set(CheckIn.objects.filter(verdict="accepted", kind="masuk").values_list("employee_id", "local_date"))
        have = set(DailyStatus.objects.exclude(first_in=None).values_list("employee_id", "date"))
        if not DirtyDay.objects.exists() and wanted <= have:
            connection.close()
            return time.monotonic() - t0
        connection.close()
        time.sleep(0.5)
    return float("nan")


def status_mismatches() -> int:
    """Daily statuses stored vs. a fresh recomputation from the stored check-ins (nothing written)."""
    from hadir.presence import daily
    from hadir.presence.models import DailyStatus
    from hadir.schedules.services import employee_rows

    mismatches = 0
    for day in DailyStatus.objects.values_list("date", flat=True).distinct():
        stored = {r.employee_id: r for r in DailyStatus.objects.filter(date=day)}
        fresh = dict(daily.build_rows(day, employee_rows(sorted(stored), day)))
        for emp_id, row in stored.items():
            expected = fresh.get(emp_id)
            if expected is None or (row.status, row.first_in, row.late_minutes) != (
                    expected.status, expected.first_in, expected.late_minutes):
                mismatches += 1
    return mismatches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=6000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=70.0)
    parser.add_argument("--redis-down", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--redis-port", type=int, default=6392)
    args = parser.parse_args()
    if args.duration < args.redis_down + 35:
        sys.exit("--duration must leave room for the Redis outage (from t=18 s) and the worker kill")

    url = os.environ["DATABASE_URL"]
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{args.redis_port}/0"
    os.environ.pop("CELERY_BROKER_URL", None)
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from hadir.presence.models import CheckIn

    call_command("migrate", verbosity=0)
    keys = seed(args.employees)
    connections.close_all()
    workdir = tempfile.mkdtemp(prefix="hadir-chaos-")
    redis_proc = start_redis(args.redis_port, workdir)
    worker = start_worker()
    beat = celery(["beat", "--schedule", os.path.join(workdir, "celerybeat-schedule")])
    cmd = server_command("granian", args.port, args.workers, args.threads, args.clients)
    cmd.insert(cmd.index("--workers"), "--respawn-failed-workers")
    server = start_server(cmd, args.port)
    phones = Phones(args.port, keys, args.clients)
    events: list[str] = []
    redis_back_at = 0.0
    try:
        t0 = time.monotonic()
        phones.start()

        def at(second: float) -> None:
            time.sleep(max(0.0, t0 + second - time.monotonic()))

        at(8)
        victim = granian_workers(server.pid)[0]
        os.kill(victim, signal.SIGKILL)
        events.append(f"t={time.monotonic() - t0:5.1f} s  kill -9 granian worker {victim}")
        at(18)
        redis_proc.kill()
        redis_proc.wait()
        events.append(f"t={time.monotonic() - t0:5.1f} s  kill -9 Redis")
        at(18 + args.redis_down)
        redis_proc = start_redis(args.redis_port, workdir)
        redis_back_at = time.monotonic()
        events.append(f"t={time.monotonic() - t0:5.1f} s  Redis back (empty)")
        at(args.duration - 15)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        events.append(f"t={time.monotonic() - t0:5.1f} s  kill -9 Celery worker")
        at(args.duration - 15 + WORKER_RESTART_SECONDS)
        worker = start_worker()
        events.append(f"t={time.monotonic() - t0:5.1f} s  Celery worker restarted")
        at(args.duration)
        phones.join()
        ended = time.monotonic()
        elapsed = ended - t0
        events.append(f"t={elapsed:5.1f} s  phones stop")
        caught = wait_caught_up(180)
        catch_from_redis = (ended - redis_back_at) + caught
    finally:
        phones.stop.set()
        for proc in (server, worker, beat, redis_proc):
            stop_process(proc)
        shutil.rmtree(workdir, ignore_errors=True)

    acked = phones.acked
    stored_rows = {str(u): pk for u, pk in CheckIn.objects.filter(client_uuid__in=list(acked)).values_list(
        "client_uuid", "pk")}
    stored = sum(1 for u in acked if u in stored_rows)
    lost = len(acked) - stored
    duplicated = sum(1 for u, pk in acked.items() if u in stored_rows and stored_rows[u] != pk)
    duplicated += CheckIn.objects.count() - CheckIn.objects.values("client_uuid").distinct().count()
    server_errors = sum(n for label, n in phones.outcomes.items() if label.startswith("5"))
    refused = sum(n for label, n in phones.outcomes.items() if label.startswith("connection error"))
    for line in events:
        print(line)
    print(f"outcomes of the requests (retries included): {dict(phones.outcomes.most_common())}")
    print(f"sent {phones.sent}, acknowledged {len(acked)} ({len(acked) / elapsed:.0f}/s over {elapsed:.0f} s), "
          f"stored {stored}, lost {lost}, duplicated {duplicated}, 5xx {server_errors}, "
          f"refused/reset connections {refused}")
    print(f"catch-up: statuses and approvals complete {caught:.1f} s after the last request, "
          f"{catch_from_redis:.1f} s after Redis came back; status mismatches after catch-up: {status_mismatches()}")


if __name__ == "__main__":
    main()
