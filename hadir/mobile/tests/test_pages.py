"""The app shell, manifest and service worker served under /m/."""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from hadir.mobile import views
from hadir.testing import PASSWORD, Org


def _login(username: str = "staf") -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_app_redirects_visitors_to_the_mobile_login(db: Any) -> None:
    for url in ("/m/", "/m/riwayat/"):
        r = Client().get(url)
        assert r.status_code == 302
        assert r["Location"] == f"/m/masuk/?next={url}"


def test_login_page_is_mobile_and_indonesian(db: Any) -> None:
    r = Client().get("/m/masuk/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'name="device_key"' in html
    assert "Kata sandi" in html and 'name="viewport"' in html
    assert 'rel="manifest" href="/m/manifest.webmanifest"' in html


def test_login_page_in_english(db: Any) -> None:
    # The browser's own language is ignored (Indonesian first); the switch's cookie picks English.
    assert "Kata sandi" in Client().get("/m/masuk/", headers={"accept-language": "en"}).content.decode()
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/m/masuk/").content.decode()
    assert "Password" in html and "Kata sandi" not in html


def test_shell_carries_config_and_no_personal_data(org: Org) -> None:
    r = _login().get("/m/")
    assert r.status_code == 200
    assert r["Cache-Control"] == "no-cache"
    html = r.content.decode()
    config = json.loads(re.search(r'<script id="hadir-config" type="application/json">(.*?)</script>', html, re.S)[1])  # type: ignore[index]
    assert config["api"]["batch"] == "/api/presence/checkins/batch"
    assert config["urls"]["sw"] == "/m/sw.js"
    assert config["messages"]["pending_send"] == "Menunggu dikirim"
    assert "Dewi Lestari" not in html  # filled in by the script: the cached shell must not hold a name
    assert r.cookies.get("csrftoken")  # the script reads it for its POSTs
    assert _login().get("/m/riwayat/").status_code == 200


def test_shell_without_login_is_what_the_worker_caches(db: Any) -> None:
    r = Client().get("/m/shell/")
    assert r.status_code == 200
    assert 'id="btn-start"' in r.content.decode()


def test_tile_url_is_configurable(org: Org, settings: Any) -> None:
    settings.HADIR_TILE_URL = "https://peta.contoh.go.id/{z}/{x}/{y}.png"
    html = _login().get("/m/").content.decode()
    assert "https://peta.contoh.go.id/{z}/{x}/{y}.png" in html


def test_manifest(db: Any) -> None:
    r = Client().get("/m/manifest.webmanifest")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/manifest+json"
    data = r.json()
    assert data["start_url"] == "/m/" and data["scope"] == "/m/" and data["display"] == "standalone"
    assert data["short_name"] == "Hadir"
    sizes = {}
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(str(path)) as img:
            assert f"{img.width}x{img.height}" == icon["sizes"]
            sizes[icon.get("purpose", "any")] = img.width
    assert sizes == {"any": 512, "maskable": 512}
    client = Client()
    client.cookies["django_language"] = "en"
    english = client.get("/m/manifest.webmanifest").json()
    assert english["description"] != data["description"]


def test_service_worker_script(db: Any) -> None:
    r = Client().get("/m/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/javascript")
    assert r["Service-Worker-Allowed"] == "/m/"
    body = r.content.decode()
    version = views.asset_version()
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f'var VERSION = "{version}";' in body
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", body)[1])  # type: ignore[index]
    assert "/m/shell/" in precache and "/m/manifest.webmanifest" in precache
    for url in precache:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    assert 'importScripts("/static/mobile/js/queue.js")' in body
    assert "caches.delete" in body  # old versions are dropped on activate


def test_cache_version_follows_the_files(monkeypatch: Any) -> None:
    before = views._asset_version()
    monkeypatch.setattr(views, "SHELL_STATIC", [*views.SHELL_STATIC[:-1]])
    assert views._asset_version() != before


def test_vendored_leaflet_and_static_files_exist() -> None:
    for name in views.SHELL_STATIC:
        assert finders.find(name), name
    js = open(str(finders.find("mobile/vendor/leaflet/leaflet.js")), encoding="utf-8").read()
    assert "Leaflet 1.9.4" in js[:300]


def test_leaflet_is_vendored_once() -> None:
    """One copy for the PWA and the dashboard map (web/board.html loads mobile/vendor/leaflet)."""
    copies = sorted(path for finder in finders.get_finders() for path, _storage in finder.list([])
                    if path.endswith("leaflet.js"))
    assert copies == ["mobile/vendor/leaflet/leaflet.js"]


def test_logout_from_the_app_returns_to_the_mobile_login(org: Org) -> None:
    c = _login()
    r = c.post("/keluar/", {"next": "/m/masuk/"})
    assert r.status_code == 302 and r["Location"] == "/m/masuk/"
    assert c.get("/m/").status_code == 302
