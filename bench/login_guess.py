"""Password-guessing benchmark: N clients fire wrong passwords at one account through the login page (`/masuk/`)
and the token endpoint (`POST /api/auth/token`) of a real server, while one legitimate phone keeps asking
`GET /api/presence/today` with its bearer token. Prints figures, it is not a test.

    .venv/bin/python bench/login_guess.py [--clients 8] [--duration 30] [--port 8766] [--workers 2] [--threads 2]

DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/hadir_loginbench) names a scratch database that is
dropped and re-created (its name must contain "bench"); REDIS_URL (default redis://127.0.0.1:6379/13) is the
cache. Passwords are hashed with Django's default hasher (PBKDF2, as in production): checking one is what a guess
costs the server. Half the clients post the login form (with a CSRF cookie and token of their own), half post
JSON to the token endpoint; all from 127.0.0.1, all against the same account. Bounded by --duration.

Per endpoint it prints the attempts per minute the server *checked* (the password was hashed and compared: the
form again with its error, 401) and those it *refused* (429: locked out or rate-limited, nothing hashed); and the
latency of the legitimate `/api/presence/today` alone (before the attack) and during it.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_loginbench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("HADIR_VAR_DIR", str(Path(tempfile.gettempdir()) / "hadir-loginbench-var"))
# One SECRET_KEY for the seeding process and the server (a token carries an HMAC keyed by it).
os.environ.setdefault("SECRET_KEY", "hadir-bench-" + "0" * 40)

from _common import recreate_database  # noqa: E402
from checkin import HOST, KeepAliveClient, pct, server_command, start_server, stop_process  # noqa: E402

VICTIM = "199001012015031001"
PASSWORD = "Sandi-Benar-2026!"


def seed() -> str:
    """One OPD, the victim's account and a legitimate employee with a token; returns that token."""
    from django.contrib.auth import get_user_model

    from hadir.org.models import Employee, EmployeeKind, Unit, UnitKind, WorkLocation
    from hadir.org.tokens import issue_token

    user_model = get_user_model()
    pemda = Unit.objects.create(name="Pemerintah Kabupaten Bench", kind=UnitKind.PEMDA, code="PEMDA")
    opd = Unit.objects.create(name="Dinas Bench", kind=UnitKind.DINAS, parent=pemda, code="BENCH")
    loc = WorkLocation.objects.create(name="Kantor", unit=opd, latitude=-3.7956, longitude=102.2592)
    user_model.objects.create_user(username=VICTIM, password=PASSWORD)
    legit = user_model.objects.create_user(username="1701000000000001", password=PASSWORD)
    emp = Employee.objects.create(name="Pegawai Sah", nik="1701000000000001", kind=EmployeeKind.TKK, unit=opd,
                                  user=legit)
    emp.locations.add(loc)
    return issue_token(legit, "bench")


def form_request(port: int, csrf: str, guess: str) -> bytes:
    body = f"csrfmiddlewaretoken={csrf}&username={VICTIM}&password={guess}".encode()
    return (f"POST /masuk/ HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: csrftoken={csrf}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def token_request(port: int, guess: str) -> bytes:
    body = json.dumps({"username": VICTIM, "password": guess, "label": "tebak"}).encode()
    return (f"POST /api/auth/token HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def classify(path: str, status: int) -> str:
    if status == 429:
        return "refused"
    if (path == "form" and status == 200) or (path == "token" and status == 401):
        return "checked"
    return f"other {status}"


def attacker(port: int, kind: str, stop: float, counts: Counter[tuple[str, str]], lock: threading.Lock) -> None:
    client = KeepAliveClient(port, timeout=60)
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts its own unmasked secret as the form token
    n = 0
    try:
        while time.monotonic() < stop:
            n += 1
            guess = f"tebakan-{threading.get_ident()}-{n}"
            data = form_request(port, csrf, guess) if kind == "form" else token_request(port, guess)
            try:
                status, _body = client.request(data)
            except OSError:
                status = 0
            with lock:
                counts[(kind, classify(kind, status))] += 1
    finally:
        client.close()


def legit_phone(port: int, token: str, stop: float, latencies: list[float], statuses: Counter[int]) -> None:
    client = KeepAliveClient(port, timeout=60)
    data = (f"GET /api/presence/today HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            f"Authorization: Bearer {token}\r\n\r\n").encode()
    try:
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            status, _body = client.request(data)
            latencies.append(time.perf_counter() - t0)
            statuses[status] += 1
            time.sleep(0.1)
    finally:
        client.close()


def ms(values: list[float], q: float) -> str:
    return f"{pct(values, q) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8, help="guessing clients (half form, half token)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of attack")
    parser.add_argument("--baseline", type=float, default=8.0, help="seconds of the legitimate phone alone")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    recreate_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    token = seed()
    connections.close_all()
    proc = start_server(server_command("granian", args.port, args.workers, args.threads, args.clients + 4), args.port)
    try:
        alone: list[float] = []
        alone_status: Counter[int] = Counter()
        legit_phone(args.port, token, time.monotonic() + args.baseline, alone, alone_status)

        counts: Counter[tuple[str, str]] = Counter()
        lock = threading.Lock()
        attacked: list[float] = []
        attacked_status: Counter[int] = Counter()
        t0 = time.monotonic()
        stop = t0 + args.duration
        threads = [threading.Thread(target=attacker, args=(args.port, "form" if i % 2 == 0 else "token", stop, counts,
                                                           lock)) for i in range(args.clients)]
        threads.append(threading.Thread(target=legit_phone, args=(args.port, token, stop, attacked, attacked_status)))
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.duration + 120)
        elapsed = time.monotonic() - t0
    finally:
        stop_process(proc)

    per_min = 60.0 / elapsed
    print(f"{args.clients} guessing clients × {elapsed:.0f} s against one account from one address "
          f"(granian {args.workers}×{args.threads}); PBKDF2 as in production")
    for kind, label in (("form", "/masuk/         "), ("token", "/api/auth/token ")):
        checked = counts[(kind, "checked")]
        refused = counts[(kind, "refused")]
        other = {k[1]: v for k, v in counts.items() if k[0] == kind and k[1] not in ("checked", "refused")}
        print(f"  {label} {checked + refused + sum(other.values()):6d} attempts: password checked "
              f"{checked * per_min:7.0f}/min, refused (429) {refused * per_min:7.0f}/min"
              + (f", other {other}" if other else ""))
    total_checked = counts[("form", "checked")] + counts[("token", "checked")]
    print(f"  total passwords checked: {total_checked * per_min:.0f}/min")
    print(f"  legit GET /api/presence/today alone:       p50 {ms(alone, .5)}  p99 {ms(alone, .99)}  "
          f"({len(alone)} requests, {dict(alone_status)})")
    print(f"  legit GET /api/presence/today under attack: p50 {ms(attacked, .5)}  p99 {ms(attacked, .99)}  "
          f"mean {statistics.mean(attacked) * 1000 if attacked else float('nan'):.1f} ms "
          f"({len(attacked)} requests, {dict(attacked_status)})")


if __name__ == "__main__":
    main()
