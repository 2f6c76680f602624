"""CPU of the check-in request path alone, in-process: POST /api/presence/checkins through Django's test client on
PostgreSQL, with the follow-up work (outbox drain, integrity assessment, face match) queued to Redis for a worker
and not run — what an app server spends per check-in.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hadir_bench_cpu python bench/checkin_cpu.py [--n 400] [--selfie]

Run it on two checkouts (e.g. before and after a change, `git worktree add /tmp/base <commit>`) in one shell
command and compare the ms of CPU per check-in: the issue-18 budget is +10 % on the request path.
The database (its name must contain "bench") is dropped and re-created.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "bench-cpu")
os.environ["CELERY_BROKER_URL"] = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
os.environ.setdefault("HADIR_VAR_DIR", "/tmp/hadir-bench-cpu")
url = os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench_cpu")
if "bench" not in url.rsplit("/", 1)[-1]:
    sys.exit("DATABASE_URL must name a scratch database whose name contains 'bench'")

import psycopg  # noqa: E402

base, name = url.rsplit("/", 1)
with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

from hadir.org.tokens import issue_token  # noqa: E402
from hadir.testing import MONDAY_0715, Clock, make_employee, make_org  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--selfie", action="store_true", help="send a 1280×960 JPEG selfie with each check-in")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    org = make_org()
    staff = [make_employee(org.dinkes, locations=[org.loc_dinkes], username=f"cpu{k}") for k in range(args.n + 20)]
    clients = []
    for emp in staff:
        c = Client()
        c.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(emp.user, 'bench')}"
        clients.append(c)
    buf = io.BytesIO()
    Image.new("RGB", (1280, 960), (120, 110, 100)).save(buf, "JPEG", quality=85)
    selfie = buf.getvalue()
    samples = ";".join(f"{-3.7956312 + k * 1e-6},{102.2592718 - k * 1e-6}" for k in range(8))

    def post(c: Client, k: int) -> None:
        data = {"kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": -3.7956312, "longitude": 102.2592718,
                "accuracy_m": 9.5, "device_id": f"hp-{k}", "gps_samples": samples}
        if args.selfie:
            data["photo"] = SimpleUploadedFile("s.jpg", selfie, content_type="image/jpeg")
        r = c.post("/api/presence/checkins", data)
        assert r.status_code == 201, r.content

    with Clock(MONDAY_0715):
        for k in range(20):  # warm-up: code, caches, connections
            post(clients[k], k)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for k in range(20, 20 + args.n):
            post(clients[k], k)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"{ROOT.name}: {args.n} check-ins{' with selfies' if args.selfie else ''}: "
          f"{cpu / args.n * 1000:.2f} ms CPU and {wall / args.n * 1000:.2f} ms wall per check-in (request path)")


if __name__ == "__main__":
    main()
