"""Shared pytest fixtures. Builders live in hadir/testing.py so the demo can reuse them.

The test clock — the one way a test sets the time:

    def test_late(clock: Clock) -> None:            # from hadir.testing import Clock
        ...                                          # it is Monday 23 Nov 2026, 07:15 WIB (MONDAY_0715)
        clock.set(dt.datetime(2026, 11, 23, 8, 1, tzinfo=WIB))   # jump (forward or back)
        clock.shift(dt.timedelta(minutes=5))                      # move on
        assert row.occurred_at == clock.now

`clock` freezes the whole process with time-machine for the test: timezone.now(), timezone.localdate(),
time.time(), date.today() read the frozen instant everywhere, also in a live server's thread, so Playwright
tests get the same server time as the test itself (the browser keeps its own clock). It stands still unless
asked: `@pytest.mark.clock(start, tick=True)`. The marker (on a test, a class or a module's pytestmark; the
closest wins) chooses the start instead of MONDAY_0715; it does not freeze anything by itself — only tests
that take `clock` run on it. Instants must be aware; production code calls django.utils.timezone directly.

The demo regency (`hadir demo`, 200 employees) is slow to seed: a module whose tests need it takes the
module-scoped `demo_regency` — seeded once inside a transaction that is rolled back after the module, each
test in a savepoint of its own (pytest-django's `db`) on top of it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hadir.testing import MONDAY_0715, PASSWORD, Clock, Org, make_org, run_demo

TEST_OUTPUT = Path(os.environ.get("HADIR_TEST_OUTPUT", Path(__file__).parent / "test-output"))


def pytest_configure(config: Any) -> None:
    # Full-strength PBKDF2 costs ~100 ms a password; make_org creates ten users per test.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    config.addinivalue_line("markers", "clock(start, tick=False): where the `clock` fixture starts (aware datetime)")


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


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Iterator[Clock]:
    """The frozen test clock (module docstring); starts at MONDAY_0715 or at the `clock` marker's instant."""
    marker = request.node.get_closest_marker("clock")
    start: dt.datetime = MONDAY_0715
    tick = False
    if marker is not None:
        start = marker.kwargs.get("start", marker.args[0] if marker.args else MONDAY_0715)
        tick = bool(marker.kwargs.get("tick", False))
    with Clock(start, tick=tick) as c:
        yield c


@pytest.fixture(scope="module")
def demo_regency(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Kabupaten Contoh as `hadir demo --employees 200 --no-serve --no-hooks` seeds it, once for the test module;
    returns what the command printed.

    The seed is written inside an atomic block opened here and rolled back after the module's last test, on
    SQLite and PostgreSQL alike. Each test still takes `db`: pytest-django's TestCase atomic becomes a savepoint
    inside this block, so a test's own writes are undone before the next one. Give it to every test of the
    module (`pytestmark = pytest.mark.usefixtures("demo_regency")`) so no test sees the seed only because it
    happens to run after one that asked for it; transactional tests (transactional_db, live_server) flush the
    database and cannot share it — they are refused."""
    from django.db import transaction

    mixed = [item.name for item in request.session.items
             if getattr(item, "module", None) is request.module and _transactional(item)]
    if mixed:
        raise pytest.UsageError(f"demo_regency is shared by a module's tests in one transaction; {mixed} "
                                "need transactional_db: give them a module of their own")
    block = transaction.atomic()
    with django_db_blocker.unblock():
        block.__enter__()
        try:
            output = run_demo("--no-hooks")
        except BaseException:
            block.__exit__(*sys.exc_info())
            raise
    try:
        yield output
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
                               or marker.kwargs.get("reset_sequences")):
        return True
    return bool(set(getattr(item, "fixturenames", ())) & {"transactional_db", "live_server"})


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


@pytest.fixture
def page_of(browser: Any, live_server: Any) -> Iterator[Any]:
    """`page_of(username, **context_options)`: a Chromium page signed in through the login form as that user, in
    its own browser context (Indonesian, WIB, downloads accepted); every context is closed after the test."""
    made: list[Any] = []

    def open_as(username: str, **context_options: Any) -> Any:
        ctx = browser.new_context(**{"locale": "id-ID", "timezone_id": "Asia/Jakarta", "accept_downloads": True,
                                     **context_options})
        ctx.set_default_timeout(15_000)
        made.append(ctx)
        page = ctx.new_page()
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/masuk/" not in url)
        return page

    yield open_as
    for ctx in made:
        ctx.close()
