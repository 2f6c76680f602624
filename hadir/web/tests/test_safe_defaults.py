"""Safe by default: no public media, no secret in a response, SECRET_KEY required in production (kept in var/ for
the demo), `check --deploy` clean for the documented production settings, security headers on every page."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import Resolver404, resolve

from hadir.errors import SecretHidingReporterFilter
from hadir.files import private_file
from hadir.presence.models import CheckIn
from hadir.testing import Org

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]

# The production environment docs/deploy.md gives (secrets made up).
PRODUCTION = {
    "HADIR_DEBUG": "0", "SECRET_KEY": "k" * 20 + "Q7mZ-x2_v9pLr4tN8bW3cY6hJ1dF5gS0aE",
    "ALLOWED_HOSTS": "hadir.contohkab.go.id", "CSRF_TRUSTED_ORIGINS": "https://hadir.contohkab.go.id",
    "SECURE_COOKIES": "1", "HADIR_TRUST_PROXY": "1", "HADIR_TERMINAL_TRUSTED_PROXIES": "1",
    "HADIR_MEDIA_ACCEL_PREFIX": "/_berkas/",
}


def manage(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"PYTEST_VERSION", "SECRET_KEY", "HADIR_DEBUG", "DATABASE_URL", "PYTEST_CURRENT_TEST"}}
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "HADIR_VAR_DIR": str(tmp_path), **env}, timeout=120)


def test_no_public_media_url(org: Org) -> None:
    for path in ["/media/selfies/2026/11/x.jpg", "/media/leave/dokumen.pdf"]:
        with pytest.raises(Resolver404):
            resolve(path)
        assert Client().get(path).status_code == 404


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    result = manage(["check"], {"HADIR_DEBUG": "0"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY wajib diisi" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_demo_makes_its_key_once_and_every_process_reuses_it(tmp_path: Path) -> None:
    show = ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]
    first = manage(show, {"HADIR_DEBUG": "1"}, tmp_path)
    second = manage(show, {"HADIR_DEBUG": "1"}, tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert len(key) >= 50 and key == second.stdout.strip().splitlines()[-1]
    assert (tmp_path / "secret_key").read_text().strip() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_check_deploy_is_clean_for_the_documented_production_settings(tmp_path: Path) -> None:
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("path", ["/masuk/", "/m/", "/api/docs", "/admin/login/"])
def test_pages_carry_security_headers(path: str) -> None:
    response = Client().get(path, follow=True)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", csp)  # the nonce where the page has inline scripts
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_inline_scripts_carry_the_nonce_of_their_response() -> None:
    response = Client().get("/m/", follow=True)
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert nonce is not None
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the app's login page has an inline script"
    assert all(f'nonce="{nonce.group(1)}"' in attrs for attrs in inline if "application/json" not in attrs)


def test_debug_page_masks_database_url_and_secrets(settings: Any) -> None:
    request = RequestFactory().get("/", DATABASE_URL="postgresql://hadir:rahasia-sekali@db/hadir",
                                   REDIS_URL="redis://:sandi@127.0.0.1:6379/1")
    reporter = SecretHidingReporterFilter()
    meta = reporter.get_safe_request_meta(request)
    assert "rahasia-sekali" not in str(meta) and "sandi" not in str(meta)
    settings.DATABASE_URL = "postgresql://hadir:rahasia-sekali@db/hadir"
    assert "rahasia-sekali" not in str(reporter.get_safe_settings())
    assert settings.SECRET_KEY not in str(reporter.get_safe_settings())


def test_private_files_go_through_nginx_when_configured(org: Org, settings: Any) -> None:
    checkin = CheckIn(employee=org.staf, local_date=dt.date(2026, 11, 23))
    checkin.photo.save("wajah.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really"), save=False)
    settings.HADIR_MEDIA_ACCEL_PREFIX = "/_berkas/"
    response = private_file(checkin.photo, content_type="image/jpeg")
    assert response["X-Accel-Redirect"] == f"/_berkas/{checkin.photo.name}"
    assert response.get("Content-Length") in (None, "0")
    settings.HADIR_MEDIA_ACCEL_PREFIX = ""
    streamed = private_file(checkin.photo, content_type="image/jpeg")
    assert b"".join(streamed) == b"\xff\xd8\xff\xe0 not really"  # type: ignore[arg-type]
    assert streamed["X-Content-Type-Options"] == "nosniff"
