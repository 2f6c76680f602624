"""The PWA in headless Chromium: GPS inside/outside the radius, fake-camera selfie, offline queue,
device binding refusal, history. Screenshots go to test-output/ (the screenshot_dir fixture)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from hadir.mobile.services import hash_device_key, reset_binding
from hadir.org.models import DeviceBinding
from hadir.testing import PASSWORD, Clock, Org

# A Monday at 07:10 WIB: a working day, inside the masuk window of the default 5-day pattern. The tests taking
# `clock` run the server (live_server's thread included) at that instant; the browser keeps its own clock.
FROZEN_NOW = dt.datetime(2026, 11, 16, 0, 10, tzinfo=dt.UTC)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.clock(FROZEN_NOW)]
TIMEOUT = 15_000


@pytest.fixture
def app_settings(settings: Any) -> Any:
    settings.HADIR_GEO_SAMPLE_MS = 600  # a few GPS samples, not the 4 s a real phone waits
    # Nothing listens there: the map must cope with tiles that never load (no signal, no CDN).
    settings.HADIR_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    return settings


@pytest.fixture
def contexts(browser: Any) -> Iterator[list[Any]]:
    made: list[Any] = []
    yield made
    for ctx in made:
        ctx.close()


def new_context(browser: Any, made: list[Any], lat: float, lon: float, accuracy: float = 12, lang: str = "id-ID") -> Any:
    ctx = browser.new_context(
        geolocation={"latitude": lat, "longitude": lon, "accuracy": accuracy},
        permissions=["geolocation", "camera"],
        locale=lang, timezone_id="Asia/Jakarta", viewport={"width": 390, "height": 844},
    )
    ctx.set_default_timeout(TIMEOUT)
    if lang.startswith("en"):
        # Pages ignore the browser's language (Indonesian first); English is what the switch's cookie says.
        ctx.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}
                         for host in ("localhost", "127.0.0.1")])
    made.append(ctx)
    return ctx


def login(ctx: Any, base: str, username: str = "staf") -> Any:
    page = ctx.new_page()
    page.goto(f"{base}/m/masuk/")
    wait_until(page, "document.getElementById('id_device_key').value.length > 20")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/m/")
    page.wait_for_selector("body[data-ready='1']")
    return page


def check_in(page: Any, kind: str = "masuk") -> None:
    page.check(f"#kinds input[value='{kind}']")
    page.click("#btn-start")
    page.wait_for_selector("#btn-send:not([disabled])")
    page.click("#btn-send")
    page.wait_for_selector("#result:not([hidden])")


def device_key(page: Any) -> str:
    return str(page.evaluate("localStorage.getItem('hadir.deviceKey')"))


def wait_until(page: Any, expression: str, timeout_ms: int = TIMEOUT) -> Any:
    """Poll an async page expression (wait_for_function does not await promises)."""
    waited = 0
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if waited >= timeout_ms:
            raise AssertionError(f"timed out waiting for: {expression}")
        page.wait_for_timeout(100)
        waited += 100


def shot(page: Any, screenshot_dir: Path, name: str) -> None:
    page.screenshot(path=str(screenshot_dir / f"mobile-{name}.png"), full_page=True)


def test_checkin_inside_radius_is_accepted_with_selfie(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, clock: Clock,
    screenshot_dir: Path,
) -> None:
    from hadir.presence.models import CheckIn

    loc = org.loc_dinkes
    # ~25 m north-east of the office point, inside the 100 m radius
    ctx = new_context(browser, contexts, loc.latitude + 0.00016, loc.longitude + 0.00016)
    page = login(ctx, live_server.url)
    assert DeviceBinding.objects.active().get(employee=org.staf).key_hash == hash_device_key(device_key(page))
    page.wait_for_selector("#distance.ok")
    assert "di dalam area" in page.inner_text("#distance")
    assert "Senin, 16 November 2026" in page.inner_text("#today-date")
    assert "terdaftar sebagai perangkat presensi Anda sejak" in page.inner_text("#device-info")
    check_in(page)
    page.wait_for_selector("#result.ok")
    assert page.inner_text("#result-title") == "Presensi diterima"
    page.wait_for_selector("#checkin-list li.ok")
    shot(page, screenshot_dir, "accepted")

    row = CheckIn.objects.get(employee=org.staf)
    assert row.verdict == "accepted" and row.kind == "masuk" and row.source == "mobile"
    assert row.location_id == loc.pk and row.distance_m is not None and row.distance_m < 40
    assert hash_device_key(row.device_id) == DeviceBinding.objects.get(employee=org.staf).key_hash
    assert row.accuracy_m is not None and row.accuracy_m >= 12  # best sample's accuracy (or the spread, if larger)
    assert row.photo, "the fake camera's frame is sent as the selfie"
    with Image.open(io.BytesIO(row.photo.read())) as img:
        assert img.format == "JPEG" and img.width >= 64
    assert page.evaluate("HadirQueue.all().then(items => items.length)") == 0


def test_checkin_outside_radius_is_rejected_with_its_reason(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, clock: Clock,
    screenshot_dir: Path,
) -> None:
    from hadir.presence.models import CheckIn

    loc = org.loc_dinkes
    ctx = new_context(browser, contexts, loc.latitude + 0.018, loc.longitude)  # ~2 km north
    page = login(ctx, live_server.url)
    page.wait_for_selector("#distance.bad")
    assert "di luar area" in page.inner_text("#distance")
    check_in(page)
    page.wait_for_selector("#result.bad")
    assert page.inner_text("#result-title") == "Presensi ditolak"
    assert "Di luar radius" in page.inner_text("#result-reason")
    shot(page, screenshot_dir, "rejected-outside-radius")
    row = CheckIn.objects.get(employee=org.staf)
    assert row.verdict == "rejected" and row.reason_code == "outside_radius"


def test_offline_checkin_is_queued_then_synced_exactly_once(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, clock: Clock,
    screenshot_dir: Path,
) -> None:
    from hadir.presence.models import CheckIn

    loc = org.loc_dinkes
    ctx = new_context(browser, contexts, loc.latitude, loc.longitude + 0.0002)
    page = login(ctx, live_server.url)
    # Let the service worker take over, so the app can also be opened without a network.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    wait_until(page, "navigator.serviceWorker.controller !== null")

    ctx.set_offline(True)
    page.wait_for_selector("#net-banner:not([hidden])")
    check_in(page)
    page.wait_for_selector("#result.wait")
    assert "disimpan" in page.inner_text("#result-reason")
    page.wait_for_selector("#queue-list li.wait")
    assert "Menunggu dikirim" in page.inner_text("#queue-list")
    items = page.evaluate("HadirQueue.all()")
    assert len(items) == 1
    queued_uuid = uuid.UUID(items[0]["client_uuid"])
    assert items[0]["captured_at"] and items[0]["device_id"] == device_key(page)
    assert CheckIn.objects.count() == 0
    shot(page, screenshot_dir, "offline-queued")

    # Closing and reopening the app without a network: the cached shell opens and still shows the queue.
    page.reload()
    page.wait_for_selector("#queue-list li.wait")
    assert CheckIn.objects.count() == 0

    ctx.set_offline(False)
    page.wait_for_selector("#queue-card", state="hidden")
    page.wait_for_selector("#result.ok")
    shot(page, screenshot_dir, "offline-synced")
    rows = list(CheckIn.objects.filter(client_uuid=queued_uuid))
    assert len(rows) == 1
    assert rows[0].source == "offline" and rows[0].verdict == "accepted"
    assert items[0]["photo"] is not None and rows[0].photo.name  # the selfie taken offline followed its check-in
    # The server corrected the capture time by the phone's clock offset (sent_at): it lands on the frozen day.
    assert timezone.localtime(rows[0].occurred_at).date() == dt.date(2026, 11, 16)

    # A re-send of the same item (lost answer, second tab, background sync racing) stores nothing new.
    replay = page.evaluate(
        """async (item) => {
            const r = await fetch('/api/presence/checkins/batch', {method: 'POST', credentials: 'same-origin',
              headers: {'Content-Type': 'application/json',
                        'X-CSRFToken': document.cookie.match(/csrftoken=([^;]+)/)[1]},
              body: JSON.stringify({items: [HadirQueue.toPayload(item)], sent_at: new Date().toISOString()})});
            return [r.status, await r.json()];
        }""",
        items[0],
    )
    assert replay[0] == 200 and replay[1]["results"][0]["created"] is False
    page.evaluate("Hadir.flush()")
    assert CheckIn.objects.filter(client_uuid=queued_uuid).count() == 1
    assert CheckIn.objects.count() == 1


def test_second_device_is_refused_until_an_admin_resets(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, screenshot_dir: Path,
) -> None:
    loc = org.loc_dinkes
    first = login(new_context(browser, contexts, loc.latitude, loc.longitude), live_server.url)
    first_key = device_key(first)

    other = new_context(browser, contexts, loc.latitude, loc.longitude).new_page()
    other.goto(f"{live_server.url}/m/masuk/")
    wait_until(other, "document.getElementById('id_device_key').value.length > 20")
    assert device_key(other) != first_key
    other.fill("#id_username", "staf")
    other.fill("#id_password", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_selector("#login-error")
    message = other.inner_text("#login-error")
    assert "Perangkat tidak terdaftar" in message and "sudah terikat ke perangkat lain" in message
    assert other.url.endswith("/m/masuk/")
    shot(other, screenshot_dir, "device-refused")

    reset_binding(DeviceBinding.objects.active().get(employee=org.staf), org.operator_dinkes, "ganti HP")
    other.fill("#id_password", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_url(f"{live_server.url}/m/")
    other.wait_for_selector("body[data-ready='1']")
    active = DeviceBinding.objects.active().get(employee=org.staf)
    assert active.key_hash == hash_device_key(device_key(other))
    # The old phone, still logged in, is now the stranger: the app blocks check-in there.
    first.reload()
    first.wait_for_selector("#blocked:not([hidden])")
    assert first.is_disabled("#btn-start")
    shot(first, screenshot_dir, "device-blocked-in-app")


@pytest.mark.parametrize(("tz", "shift_h"), [("Asia/Jakarta", 0), ("Asia/Makassar", 1)])
def test_history_of_the_month(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, clock: Clock,
    screenshot_dir: Path, tz: str, shift_h: int,
) -> None:
    """Times are shown in the workplace's zone: the same instants read an hour later in WITA."""
    from hadir.presence.models import DailyStatus

    org.loc_dinkes.timezone = tz
    org.loc_dinkes.save()

    def at(day: int, h: int, m: int) -> dt.datetime:
        return dt.datetime(2026, 11, day, h - 7, m, tzinfo=dt.UTC)

    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 2), status="hadir",
                               first_in=at(2, 7, 21), last_out=at(2, 16, 5))
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 3), status="terlambat",
                               first_in=at(3, 8, 2), last_out=at(3, 16, 1), late_minutes=32, late_category="TL2")
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 4), status="tk")
    DailyStatus.objects.create(employee=org.guru, date=dt.date(2026, 11, 4), status="hadir")  # not mine
    loc = org.loc_dinkes
    page = login(new_context(browser, contexts, loc.latitude, loc.longitude), live_server.url)
    page.click("#tab-history")
    page.wait_for_selector("#history-body tr")
    assert page.url.endswith("/m/riwayat/")
    rows = page.locator("#history-body tr").all_inner_texts()
    assert len(rows) == 3
    assert "Hadir" in rows[0] and f"{7 + shift_h:02d}.21" in rows[0] and f"{16 + shift_h}.05" in rows[0]
    assert "Terlambat (TL2)" in rows[1] and f"{8 + shift_h:02d}.02" in rows[1]
    assert "Tanpa keterangan" in rows[2]
    assert "November 2026" in page.inner_text("#month-label")
    shot(page, screenshot_dir, f"history-{tz.split('/')[1].lower()}")
    page.click("#month-prev")
    wait_until(page, "document.getElementById('month-label').textContent.includes('Oktober')")
    page.wait_for_selector("#history-summary:has-text('Belum ada data')")


def test_installable_and_english(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, screenshot_dir: Path,
) -> None:
    from hadir.mobile.views import asset_version

    loc = org.loc_disdik
    ctx = new_context(browser, contexts, loc.latitude, loc.longitude, lang="en-GB")
    page = ctx.new_page()
    page.goto(f"{live_server.url}/m/masuk/")
    assert page.inner_text("label[for=id_password]") == "Password"
    wait_until(page, "document.getElementById('id_device_key').value.length > 20")
    page.fill("#id_username", "guru")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-ready='1']")
    assert page.inner_text("#btn-start") == "Start check-in"
    assert page.inner_text("#tab-history") == "History"
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/m/"
    # The worker installs a cache named after the asset version holding the shell and the vendored map.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, f"caches.has('hadir-shell-{asset_version()}')")
    cached = page.evaluate(
        f"caches.open('hadir-shell-{asset_version()}').then(c => c.keys()).then(ks => ks.map(k => new URL(k.url).pathname))"
    )
    assert "/m/shell/" in cached and "/static/mobile/vendor/leaflet/leaflet.js" in cached
    # Chromium's own verdict on installability (manifest, icons, service worker): nothing wrong but the
    # test profile itself (Playwright contexts are incognito, where nothing can be installed).
    cdp = ctx.new_cdp_session(page)
    errors = {e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]}
    assert errors <= {"in-incognito"}, errors

    # Switching the language re-renders the app; the worker's offline copy of the shell follows it.
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.click("#lang-form button")
    page.wait_for_selector("body[data-ready='1']")
    assert page.inner_text("#btn-start") == "Mulai presensi"
    wait_until(page, f"caches.open('hadir-shell-{asset_version()}').then(c => c.match('/m/shell/', {{ignoreVary: true}}))"
                     ".then(r => r.text()).then(t => t.includes('Mulai presensi'))")
    shot(page, screenshot_dir, "english")

    # The GPS summary: the most accurate sample is sent, and the spread of the others widens its accuracy.
    summary = page.evaluate(
        """Hadir.summarise([
            {latitude: -3.80040, longitude: 102.26550, accuracy: 30},
            {latitude: -3.80041, longitude: 102.26551, accuracy: 8},
            {latitude: -3.80070, longitude: 102.26550, accuracy: 20}])"""
    )
    assert (summary["latitude"], summary["longitude"], summary["best_accuracy_m"], summary["n"]) == (
        -3.80041, 102.26551, 8, 3)
    assert 31 < summary["spread_m"] < 34  # the third sample is ~32 m from the best one
    assert summary["accuracy_m"] == summary["spread_m"]
    steady = page.evaluate("Hadir.summarise([{latitude: -3.8, longitude: 102.26, accuracy: 12}])")
    assert steady["accuracy_m"] == 12 and steady["spread_m"] == 0


def test_service_worker_sends_the_queue_itself(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, clock: Clock,
) -> None:
    """Background Sync path: the worker (not the page) reads IndexedDB and posts the batch."""
    from hadir.presence.models import CheckIn

    loc = org.loc_dinkes
    page = login(new_context(browser, contexts, loc.latitude, loc.longitude), live_server.url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.wait_for_selector("body[data-ready='1']")
    item_uuid = str(uuid.uuid4())
    page.evaluate(
        """([u, lat, lon]) => HadirQueue.put({client_uuid: u, user: 'staf', kind: 'masuk',
              captured_at: new Date().toISOString(), latitude: lat, longitude: lon, accuracy_m: 9,
              mock_location: false, device_id: localStorage.getItem('hadir.deviceKey')})""",
        [item_uuid, loc.latitude, loc.longitude],
    )
    assert page.evaluate("HadirQueue.all().then(items => items.length)") == 1
    page.evaluate("navigator.serviceWorker.controller.postMessage({type: 'hadir-flush'})")
    wait_until(page, "HadirQueue.all().then(items => items.length === 0)")
    assert CheckIn.objects.filter(client_uuid=item_uuid, source="offline").count() == 1


def test_answer_lost_after_the_server_stored_it_is_not_stored_twice(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, clock: Clock,
    screenshot_dir: Path,
) -> None:
    """The online POST reaches the server, but the answer never reaches the phone (signal dropped):
    the item stays queued, the queue re-sends it, the server answers it as a replay — one row."""
    from hadir.presence.models import CheckIn

    loc = org.loc_dinkes
    ctx = new_context(browser, contexts, loc.latitude, loc.longitude)
    page = login(ctx, live_server.url)

    def deliver_then_drop(route: Any) -> None:
        route.fetch()  # the server gets and stores the check-in…
        route.abort("internetdisconnected")  # …and the phone never hears back

    page.route("**/api/presence/checkins", deliver_then_drop)
    check_in(page)
    page.wait_for_selector("#result.wait")  # "saved on the phone, will be sent"
    stored = CheckIn.objects.get()
    assert stored.source == "mobile"

    page.unroute("**/api/presence/checkins")
    # Background Sync may already be re-sending it; the button does the same for browsers without it.
    if page.is_visible("#btn-sync"):
        page.click("#btn-sync")
    wait_until(page, "HadirQueue.all().then(items => items.length === 0)")
    page.wait_for_selector("#queue-card", state="hidden")
    assert list(CheckIn.objects.values_list("client_uuid", flat=True)) == [stored.client_uuid]
    shot(page, screenshot_dir, "answer-lost-resent")


def test_a_new_release_replaces_the_cached_shell(
    browser: Any, contexts: list[Any], live_server: Any, org: Org, app_settings: Any, monkeypatch: Any,
) -> None:
    """Deploying changed assets changes the worker's version: the new cache is filled, the old one dropped."""
    from hadir.mobile import views

    release = {"version": "aaaaaaaaaaaa"}
    monkeypatch.setattr(views, "asset_version", lambda: release["version"])
    loc = org.loc_dinkes
    page = login(new_context(browser, contexts, loc.latitude, loc.longitude), live_server.url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "caches.has('hadir-shell-aaaaaaaaaaaa')")

    release["version"] = "bbbbbbbbbbbb"
    page.evaluate("navigator.serviceWorker.getRegistration().then(reg => reg.update())")
    wait_until(page, "caches.keys().then(keys => keys.includes('hadir-shell-bbbbbbbbbbbb') "
                     "&& !keys.includes('hadir-shell-aaaaaaaaaaaa'))")
    shells = [k for k in page.evaluate("caches.keys()") if k.startswith("hadir-shell-")]
    assert shells == ["hadir-shell-bbbbbbbbbbbb"]
