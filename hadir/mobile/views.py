"""Pages of the mobile check-in app (a PWA under /m/): the app shell, login, manifest and service worker.

The shell holds no personal data, so the service worker can cache it and open the app offline; the
page fills itself from /api/presence/today, /api/presence/history and /api/org/me.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from hadir.approvals import corrections as approval_corrections
from hadir.errors import DomainError, InvalidRequest
from hadir.org.models import employee_of, is_valid_device_key

from .services import bind_device, notify_refused_device

# Everything the app needs to start offline. The service worker's cache name is a hash of these
# files, so a deploy that changes any of them installs a new cache and drops the old one.
SHELL_STATIC = [
    "mobile/css/app.css",
    "mobile/js/queue.js",
    "mobile/js/app.js",
    "mobile/vendor/leaflet/leaflet.js",
    "mobile/vendor/leaflet/leaflet.css",
    "mobile/vendor/leaflet/images/marker-icon.png",
    "mobile/vendor/leaflet/images/marker-icon-2x.png",
    "mobile/vendor/leaflet/images/marker-shadow.png",
    "mobile/icons/icon-192.png",
    "mobile/icons/icon-512.png",
    "mobile/icons/icon-maskable-512.png",
    "mobile/icons/apple-touch-icon.png",
]
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap"


def js_messages() -> dict[str, str]:
    """UI strings the script shows, translated on the server (the shell is rendered per language)."""
    return {
        "status_belum": _("Belum presensi"),
        "status_hadir": _("Hadir"),
        "status_terlambat": _("Terlambat"),
        "status_psw": _("Pulang sebelum waktunya"),
        "status_tk": _("Tanpa keterangan"),
        "status_izin": _("Izin"),
        "status_sakit": _("Sakit"),
        "status_cuti": _("Cuti"),
        "status_dl": _("Dinas luar"),
        "status_libur": _("Libur"),
        "kind_masuk": pgettext("jenis presensi", "Masuk"),
        "kind_pulang": pgettext("jenis presensi", "Pulang"),
        "kind_apel_pagi": _("Apel pagi"),
        "kind_apel_sore": _("Apel sore"),
        "kind_ping": _("Ping lokasi"),
        "accepted": _("Diterima"),
        "rejected": _("Ditolak"),
        "pending_send": _("Menunggu dikirim"),
        "pending_count": _("{n} presensi menunggu dikirim"),
        "sending": _("Mengirim…"),
        "synced": _("{n} presensi luring terkirim."),
        "offline": _("Anda sedang luring. Presensi disimpan di HP dan dikirim otomatis saat sinyal kembali."),
        "online": _("Terhubung kembali."),
        "queued_saved": _("Tidak ada sinyal: presensi disimpan dan akan dikirim otomatis."),
        "locating": _("Membaca lokasi GPS… (sampel ke-{n})"),
        "no_geo": _("Lokasi tidak dapat dibaca. Aktifkan GPS dan izinkan akses lokasi untuk Hadir."),
        "geo_denied": _("Akses lokasi ditolak. Izinkan lokasi untuk situs ini di pengaturan peramban."),
        "no_camera": _("Kamera tidak dapat dibuka; presensi dikirim tanpa swafoto."),
        "camera_denied": _("Akses kamera ditolak. Izinkan kamera untuk situs ini agar swafoto dapat diambil."),
        "distance": _("{d} dari {name}"),
        "inside": _("di dalam area (radius {r} m)"),
        "outside": _("di luar area (radius {r} m)"),
        "accuracy": _("akurasi ±{a} m, sebaran {s} m dari {n} sampel"),
        "no_location_assigned": _("Belum ada lokasi kerja untuk Anda. Hubungi operator OPD."),
        "work_hours": _("Jam kerja {start}–{end} {tz}"),
        "shift": _("Sif {name}"),
        "holiday": _("Libur: {name}"),
        "non_working": _("Hari ini bukan hari kerja."),
        "late": _("terlambat {m} menit ({c})"),
        "early": _("pulang cepat {m} menit ({c})"),
        "window": _("{kind}: {open}–{close}"),
        "no_checkins": _("Belum ada presensi hari ini."),
        "server_error": _("Server sedang bermasalah; presensi disimpan dan dicoba lagi nanti."),
        "session_expired": _("Sesi Anda berakhir. Silakan masuk lagi."),
        "stale": _("Data terakhir yang tersimpan (luring)."),
        "device_refused_title": _("Perangkat tidak terdaftar"),
        "no_employee": _("Akun ini tidak terhubung ke data pegawai."),
        "history_empty": _("Belum ada data untuk bulan ini."),
        "load_error": _("Data tidak dapat dimuat."),
        "result_title_accepted": _("Presensi diterima"),
        "result_title_rejected": _("Presensi ditolak"),
        "result_title_queued": _("Presensi disimpan di HP"),
        "logout_pending": _("Masih ada {n} presensi yang belum terkirim. Tetap keluar? Presensi itu akan dikirim "
                            "saat Anda masuk lagi di HP ini."),
        "distance_unknown": _("Jarak belum diketahui"),
        "map_unavailable": _("Peta tidak tersedia (luring); jarak tetap dihitung dari GPS."),
        "validity_pending": _("menunggu persetujuan atasan"),
        "validity_invalid": _("dinyatakan tidak valid oleh atasan"),
        "totals": _("Total terlambat {late} menit · pulang cepat {early} menit"),
        "device_info": _("HP ini terdaftar sebagai perangkat presensi Anda sejak {date}."),
        "shared_device": _("Perangkat ini juga terdaftar untuk pegawai lain dan ditandai untuk diperiksa."),
        "push_on": _("Pemberitahuan aktif di HP ini."),
        "push_denied": _("Pemberitahuan ditolak oleh peramban; izinkan di pengaturan situs."),
    }


def _config(request: HttpRequest) -> dict[str, Any]:
    return {
        "lang": get_language() or "id",
        "api": {
            "today": "/api/presence/today",
            "history": "/api/presence/history",
            "checkin": "/api/presence/checkins",
            "batch": "/api/presence/checkins/batch",
            "me": "/api/org/me",
            "device": "/api/mobile/device",
            "push_key": "/api/notifications/push-key",
            "push_subscribe": "/api/notifications/push-subscriptions",
        },
        "urls": {
            "app": reverse("mobile:app"),
            "history": reverse("mobile:history"),
            "login": reverse("mobile:login"),
            "sw": reverse("mobile:sw"),
            "shell": reverse("mobile:shell"),
        },
        "tile_url": getattr(settings, "HADIR_TILE_URL", DEFAULT_TILE_URL),
        "tile_attribution": getattr(settings, "HADIR_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        "geo_sample_ms": int(getattr(settings, "HADIR_GEO_SAMPLE_MS", 4000)),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "messages": js_messages(),
    }


def _render_shell(request: HttpRequest) -> HttpResponse:
    response = render(request, "mobile/app.html", {"config": _config(request)})
    response["Cache-Control"] = "no-cache"
    response["X-Hadir-Shell"] = "1"  # the service worker refreshes its offline copy from these
    return response


@require_GET
@ensure_csrf_cookie
def app(request: HttpRequest) -> HttpResponse:
    """Today's card and check-in (/m/) and this month's history (/m/riwayat/): one shell, two views."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('mobile:login')}?next={request.path}")
    return _render_shell(request)


@require_GET
@ensure_csrf_cookie
def shell(request: HttpRequest) -> HttpResponse:
    """The same shell without the login redirect: what the service worker caches for offline starts."""
    return _render_shell(request)


class MobileLoginView(LoginView):
    """Login that also binds this phone: the page sends the app's device key with the password."""

    template_name = "mobile/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("mobile:app")

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        emp = employee_of(user)
        key = self.request.POST.get("device_key", "")
        if emp is not None and is_valid_device_key(key):
            result = bind_device(emp, key, user_agent=self.request.headers.get("User-Agent", ""))
            if result.status == "refused":
                # Refused before login(): no session is made for a phone that is not the bound one.
                notify_refused_device(emp, self.request.headers.get("User-Agent", ""))
                return self.render_to_response(self.get_context_data(form=form, device_refusal=result.message))
        return super().form_valid(form)


@lru_cache(maxsize=1)
def _asset_version_cached() -> str:
    return _asset_version()


def _asset_version() -> str:
    digest = hashlib.sha256()
    templates = Path(__file__).parent / "templates" / "mobile"
    paths = [finders.find(name) for name in SHELL_STATIC] + [templates / "app.html", templates / "sw.js"]
    for path in paths:
        if path:
            digest.update(Path(str(path)).read_bytes())
    return digest.hexdigest()[:12]


def asset_version() -> str:
    return _asset_version() if settings.DEBUG else _asset_version_cached()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    precache = [reverse("mobile:shell"), reverse("mobile:manifest"), *[static(p) for p in SHELL_STATIC]]
    body = render(
        request,
        "mobile/sw.js",
        {
            "version": asset_version(),
            "precache_json": json.dumps(precache),
            "queue_js": static("mobile/js/queue.js"),
            "shell_url": reverse("mobile:shell"),
            "scope": reverse("mobile:app"),
        },
        content_type="application/javascript; charset=utf-8",
    )
    # Browsers re-check the worker at most daily anyway; never let a proxy pin an old one.
    body["Cache-Control"] = "no-cache"
    body["Service-Worker-Allowed"] = reverse("mobile:app")
    return body


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": f"Hadir — {settings.HADIR_INSTANSI}",
        "short_name": "Hadir",
        "description": _("Presensi elektronik pegawai: absen masuk dan pulang dari HP, juga saat tanpa sinyal."),
        "lang": get_language() or "id",
        "start_url": reverse("mobile:app"),
        "scope": reverse("mobile:app"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f4f6f9",
        "theme_color": "#0b5ed7",
        "icons": [
            {"src": static("mobile/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("mobile/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("mobile/icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


never_cache_login = never_cache(MobileLoginView.as_view())


@login_required(login_url="mobile:login")
@ensure_csrf_cookie
def corrections(request: HttpRequest) -> HttpResponse:
    """Koreksi presensi from the phone: the form (date, masuk/pulang, time, reason, evidence) and the employee's own
    corrections with their status. Filing needs a connection (the evidence is uploaded at once)."""
    employee = employee_of(request.user)
    if employee is None:
        return redirect("home")
    form_error, form_field, filed = "", "", None
    values = {"date": "", "kind": "masuk", "time": "", "reason": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            data = approval_corrections.CorrectionInput(
                date=_parse(dt.date.fromisoformat, values["date"], "date"), kind=values["kind"],
                time=_parse(dt.time.fromisoformat, values["time"], "time"), reason=values["reason"][:300],
                evidence=request.FILES.get("evidence"))
            filed = approval_corrections.file_correction(employee, request.user, data)
            values = {"date": "", "kind": "masuk", "time": "", "reason": ""}
        except DomainError as exc:
            form_error, form_field = exc.message, exc.field or ""
    mine = approval_corrections.corrections_for(request.user).filter(employee=employee)[:30]
    return render(request, "mobile/corrections.html", {
        "values": values, "form_error": form_error, "form_field": form_field, "filed": filed, "mine": mine,
        "limit": approval_corrections.monthly_limit(employee),
    }, status=400 if form_error else 200)


def _parse(parse: Any, raw: str, field: str) -> Any:
    try:
        return parse(raw)
    except ValueError:
        message = _("Tanggal tidak valid (YYYY-MM-DD).") if field == "date" else _("Jam tidak valid (JJ:MM).")
        raise InvalidRequest(message, field=field, code="invalid") from None
