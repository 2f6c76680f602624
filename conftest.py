"""Shared pytest fixtures. Builders live in hadir/testing.py so the demo can reuse them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hadir.testing import Org, make_org

TEST_OUTPUT = Path(os.environ.get("HADIR_TEST_OUTPUT", Path(__file__).parent / "test-output"))


def pytest_configure(config: Any) -> None:
    # Full-strength PBKDF2 costs ~100 ms a password; make_org creates ten users per test.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _indonesian_by_default() -> Iterator[None]:
    """Each test starts in Bahasa Indonesia; a request with Accept-Language: en must not leak into the next."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture
def org(db: Any) -> Org:
    return make_org()


TEST_REDIS_URL = os.environ.get("HADIR_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")  # a db number of its own


@pytest.fixture
def redis_db(settings: Any) -> Iterator[str]:
    """Django's cache on a real, emptied Redis database (emptied again after), as in production. Without Redis
    the test fails when HADIR_REQUIRE_REDIS=1 (the test command sets it), and is skipped otherwise."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("HADIR_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis not reachable at {TEST_REDIS_URL}: {exc}")
        pytest.skip("Redis not reachable")
    client.flushdb()
    settings.REDIS_URL = TEST_REDIS_URL
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": TEST_REDIS_URL}}
    yield TEST_REDIS_URL
    client.flushdb()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: a board or a flag cached by the previous test must not leak."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    TEST_OUTPUT.mkdir(parents=True, exist_ok=True)
    return TEST_OUTPUT


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright. Missing Chromium fails the run when
    HADIR_REQUIRE_BROWSER=1 (the test command sets it), otherwise the browser tests are skipped."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("HADIR_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
        pytest.skip("Chromium not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
