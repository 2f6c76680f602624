"""Device binding: first login binds, another device is refused until an admin resets, sharing is flagged."""

from __future__ import annotations

import types
from typing import Any

import pytest
from django.contrib.admin.sites import AdminSite
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory
from django.utils import timezone

from hadir.mobile.admin import DeviceBindingAdmin, SharedDeviceBindingAdmin, reset_bindings
from hadir.mobile.models import SharedDeviceBinding
from hadir.mobile.services import bind_device, describe_user_agent, reset_binding, touch_bindings
from hadir.org.models import DeviceBinding, hash_device_key, is_valid_device_key
from hadir.presence.checks import check_device, device_refusal
from hadir.presence.hotpath import load_context
from hadir.testing import PASSWORD, Org

KEY_A = "A" * 43
KEY_B = "b-" + "B" * 41
KEY_C = "c_" + "C" * 41
ANDROID_UA = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        (KEY_A, True),
        ("x" * 16, True),
        ("x" * 15, False),  # too short to be random enough
        ("x" * 129, False),
        ("abc def ghi jkl mno", False),  # spaces
        ("a/b+c=" * 4, False),  # base64 but not base64url
        ("", False),
    ],
)
def test_device_key_format(key: str, valid: bool) -> None:
    assert is_valid_device_key(key) is valid


@pytest.mark.parametrize(
    ("ua", "label"),
    [
        (ANDROID_UA, "Chrome di Android"),
        ("Mozilla/5.0 (Linux; Android 12) SamsungBrowser/21.0 Chrome/110 Mobile Safari/537.36", "Samsung Internet di Android"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605 Version/17.0 Mobile Safari/604.1", "Safari di iPhone"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "Firefox di Linux"),
        ("", "perangkat tidak dikenal"),
    ],
)
def test_user_agent_is_described_in_indonesian(ua: str, label: str) -> None:
    assert describe_user_agent(ua) == label


def test_first_bind_then_known_then_refused(org: Org) -> None:
    first = bind_device(org.staf, KEY_A, user_agent=ANDROID_UA)
    assert first.status == "bound" and first.binding is not None
    assert first.binding.key_hash == hash_device_key(KEY_A) != KEY_A  # only the hash is stored
    assert bind_device(org.staf, KEY_A).status == "known"
    other = bind_device(org.staf, KEY_B)
    assert other.status == "refused"
    assert "sudah terikat ke perangkat lain" in other.message
    assert "Chrome di Android" in other.message
    assert "mereset" in other.message
    assert DeviceBinding.objects.filter(employee=org.staf).count() == 1


def test_reset_lets_the_next_device_bind_and_keeps_history(org: Org) -> None:
    old = bind_device(org.staf, KEY_A).binding
    assert old is not None
    assert reset_binding(old, org.operator_dinkes, "HP hilang") is True
    assert reset_binding(old, org.operator_dinkes) is False  # already reset
    old.refresh_from_db()
    assert old.revoked_at is not None and old.revoked_by == org.operator_dinkes and old.revoke_reason == "HP hilang"
    from hadir.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="mobile.device_reset")
    assert entry.target_id == str(old.pk) and entry.actor_id == org.operator_dinkes.pk and entry.reason == "HP hilang"
    assert bind_device(org.staf, KEY_B).status == "bound"
    assert bind_device(org.staf, KEY_A).status == "refused"  # the old phone is not the bound one any more
    assert DeviceBinding.objects.filter(employee=org.staf).count() == 2
    assert DeviceBinding.objects.active().filter(employee=org.staf).get().key_hash == hash_device_key(KEY_B)


def test_one_device_for_several_employees_is_flagged(org: Org) -> None:
    assert bind_device(org.staf, KEY_A).shared is False
    second = bind_device(org.kabid, KEY_A)
    assert second.status == "bound" and second.shared is True
    assert bind_device(org.staf, KEY_A).shared is True
    assert set(DeviceBinding.objects.shared().values_list("employee_id", flat=True)) == {org.staf.pk, org.kabid.pk}
    bind_device(org.guru, KEY_C)
    assert not DeviceBinding.objects.shared().filter(employee=org.guru).exists()


def test_operators_of_the_opd_are_told_about_a_shared_phone(org: Org) -> None:
    from hadir.notify.models import Notification

    bind_device(org.staf, KEY_A)
    assert not Notification.objects.exists()
    bind_device(org.kabid, KEY_A, user_agent=ANDROID_UA)
    notes = list(Notification.objects.all())
    assert [n.user for n in notes] == [org.operator_dinkes]  # not the Disdik operator
    assert "Budi Santoso" in notes[0].subject and "Dewi Lestari" in notes[0].body
    assert notes[0].kind == "warning" and notes[0].url == "/admin/mobile/shareddevicebinding/"
    bind_device(org.kabid, KEY_A)  # known device again: no second notice
    assert Notification.objects.count() == 1


# (binding of the employee, device_id sent, source, required setting) → expected reason_code or None
CHECK_CASES = [
    ("none", "", "mobile", False, None),  # not bound yet: allowed, the app binds at login
    ("none", KEY_A, "mobile", False, None),
    ("none", KEY_A, "mobile", True, "device_unbound"),
    ("A", KEY_A, "mobile", False, None),
    ("A", KEY_A, "offline", False, None),
    ("A", KEY_B, "mobile", False, "device_mismatch"),
    ("A", KEY_B, "offline", False, "device_mismatch"),
    ("A", "", "mobile", False, "device_missing"),
    ("A", "", "terminal", False, None),  # fingerprint terminals are not phones
    ("A", KEY_B, "manual", False, None),
    ("revoked", KEY_A, "mobile", False, None),  # after a reset nothing is enforced until the next bind
]


@pytest.mark.parametrize(("bound", "device_id", "source", "required", "expected"), CHECK_CASES)
def test_check_device_rules(org: Org, settings: Any, bound: str, device_id: str, source: str, required: bool,
                            expected: str | None) -> None:
    settings.HADIR_DEVICE_BINDING_REQUIRED = required
    if bound in {"A", "revoked"}:
        binding = bind_device(org.staf, KEY_A).binding
        assert binding is not None
        if bound == "revoked":
            reset_binding(binding, None)
    active = DeviceBinding.objects.active().filter(employee=org.staf).first()
    outcome = device_refusal(source, device_id, active.key_hash if active else None)
    assert (outcome[0] if outcome else None) == expected
    if outcome:
        assert outcome[1]  # always a sentence for the person


def device_validator(attempt: Any, employee: Any) -> tuple[str, str] | None:
    """The pipeline's device check for `attempt`, with the binding read by the check-in's context query."""
    ctx = load_context(employee.pk, timezone.now(), device_id=attempt.device_id)
    return check_device(attempt, ctx)


def test_validator_reads_the_attempt(org: Org) -> None:
    bind_device(org.staf, KEY_A)
    attempt = types.SimpleNamespace(device_id=KEY_B, source="mobile", terminal_sn="", flags=[])
    assert device_validator(attempt, org.staf) is not None
    assert device_validator(types.SimpleNamespace(device_id=KEY_A, source="mobile", terminal_sn="", flags=[]),
                            org.staf) is None
    terminal = types.SimpleNamespace(device_id="", source="terminal", terminal_sn="CQZ7232260001", flags=[])
    assert device_validator(terminal, org.staf) is None


def test_last_seen_follows_accepted_phone_checkins(org: Org) -> None:
    """The follow-up pass stamps the binding (to the minute) from the batch's accepted phone check-ins."""
    import datetime as dt

    from hadir.presence.models import CheckIn

    binding = bind_device(org.staf, KEY_A).binding
    assert binding is not None
    DeviceBinding.objects.filter(pk=binding.pk).update(last_seen_at=None)
    at = dt.datetime(2026, 11, 23, 0, 5, 42, tzinfo=dt.UTC)

    def row(verdict: str, minutes: int, source: str = "mobile") -> CheckIn:
        return CheckIn(employee=org.staf, kind="masuk", occurred_at=at + dt.timedelta(minutes=minutes),
                       device_id=KEY_A, verdict=verdict, source=source)

    assert touch_bindings([row("rejected", 30), row("accepted", 0), row("accepted", 3, "terminal")]) == 1
    binding.refresh_from_db()
    assert binding.last_seen_at == at.replace(second=0)  # the rejected and the terminal rows do not count
    assert touch_bindings([row("accepted", -60)]) == 0  # never moved backwards
    assert touch_bindings([row("accepted", 10)]) == 1
    binding.refresh_from_db()
    assert binding.last_seen_at == dt.datetime(2026, 11, 23, 0, 15, tzinfo=dt.UTC)


def test_shared_device_is_flagged_by_the_validator(org: Org) -> None:
    bind_device(org.staf, KEY_A)
    bind_device(org.kabid, KEY_A)
    bind_device(org.guru, KEY_C)

    def attempt(key: str) -> Any:
        return types.SimpleNamespace(device_id=key, source="mobile", terminal_sn="", flags=["clock_skew"])

    shared = attempt(KEY_A)
    assert device_validator(shared, org.staf) is None  # allowed (it is staf's own bound phone) but flagged
    assert shared.flags == ["clock_skew", "shared_device"]
    own = attempt(KEY_C)
    assert device_validator(own, org.guru) is None and own.flags == ["clock_skew"]


def test_validator_costs_no_query_of_its_own(org: Org, django_assert_num_queries: Any) -> None:
    """The binding is read by the check-in's one context query."""
    bind_device(org.staf, KEY_A)
    bind_device(org.kabid, KEY_A)
    shared = types.SimpleNamespace(device_id=KEY_A, source="mobile", terminal_sn="", flags=[])
    with django_assert_num_queries(1):
        assert device_validator(shared, org.staf) is None
    assert shared.flags == ["shared_device"]


# ---------- API ----------

def _client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_api_binds_then_refuses_another_device(org: Org) -> None:
    c = _client("staf")
    r = c.post("/api/mobile/device", {"device_key": KEY_A, "label": "HP Samsung A14"}, content_type="application/json",
               headers={"user-agent": ANDROID_UA})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "bound" and body["device"] == "HP Samsung A14" and body["shared"] is False
    assert body["bound_at_display"]  # e.g. "23 November 2026"
    again = c.post("/api/mobile/device", {"device_key": KEY_A}, content_type="application/json")
    assert again.status_code == 200 and again.json()["status"] == "known"
    refused = c.post("/api/mobile/device", {"device_key": KEY_B}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "device_mismatch"
    assert "HP Samsung A14" in refused.json()["message"]
    from hadir.notify.models import Notification

    assert Notification.objects.filter(user=org.staf.user, subject="Upaya masuk dari perangkat lain").count() == 1


def test_api_refusal_in_english(org: Org) -> None:
    c = _client("staf")
    c.post("/api/mobile/device", {"device_key": KEY_A}, content_type="application/json")
    r = c.post("/api/mobile/device", {"device_key": KEY_B}, content_type="application/json",
               headers={"accept-language": "en"})
    assert r.status_code == 409
    assert "another device" in r.json()["message"]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"device_key": "short"}, 422),
        ({"device_key": "x" * 200}, 422),
        ({"device_key": "has spaces in it, sadly"}, 422),
        ({}, 422),
    ],
)
def test_api_rejects_bad_keys(org: Org, payload: dict[str, str], status: int) -> None:
    r = _client("staf").post("/api/mobile/device", payload, content_type="application/json")
    assert r.status_code == status
    assert r.json()["message"]
    assert not DeviceBinding.objects.exists()


def test_api_needs_login_and_an_employee(org: Org) -> None:
    anon = Client().post("/api/mobile/device", {"device_key": KEY_A}, content_type="application/json")
    assert anon.status_code == 401
    admin_only = _client("bkpsdm").post("/api/mobile/device", {"device_key": KEY_A}, content_type="application/json")
    assert admin_only.status_code == 403
    assert admin_only.json()["code"] == "no_employee"


# ---------- mobile login ----------

def test_mobile_login_binds_and_a_second_device_is_refused(org: Org) -> None:
    r = Client().post("/m/masuk/", {"username": "staf", "password": PASSWORD, "device_key": KEY_A})
    assert r.status_code == 302 and r["Location"] == "/m/"
    assert DeviceBinding.objects.active().get(employee=org.staf).key_hash == hash_device_key(KEY_A)
    other = Client()
    refused = other.post("/m/masuk/", {"username": "staf", "password": PASSWORD, "device_key": KEY_B})
    assert refused.status_code == 200
    assert "sudah terikat ke perangkat lain" in refused.content.decode()
    assert "_auth_user_id" not in other.session  # not logged in
    from hadir.notify.models import Notification

    notice = Notification.objects.get(user=org.staf.user)  # the account's owner hears of it
    assert notice.subject == "Upaya masuk dari perangkat lain" and notice.kind == "warning"
    Client().post("/m/masuk/", {"username": "staf", "password": PASSWORD, "device_key": KEY_C})
    assert Notification.objects.filter(user=org.staf.user).count() == 1  # once a day, not per attempt
    ok = Client().post("/m/masuk/", {"username": "staf", "password": PASSWORD, "device_key": KEY_A, "next": "/m/riwayat/"})
    assert ok.status_code == 302 and ok["Location"] == "/m/riwayat/"


def test_mobile_login_wrong_password_binds_nothing(org: Org) -> None:
    r = Client().post("/m/masuk/", {"username": "staf", "password": "salah", "device_key": KEY_A})
    assert r.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in r.content.decode()
    assert not DeviceBinding.objects.exists()


# ---------- admin ----------

def _admin_request(user: Any) -> Any:
    request = RequestFactory().post("/admin/org/devicebinding/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_admin_reset_is_scoped_to_the_operators_opd(org: Org) -> None:
    for user in (org.operator_dinkes, org.operator_disdik):
        user.is_staff = True
        user.save()
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(content_type__model__in=["devicebinding", "shareddevicebinding"])
    for user in (org.operator_dinkes, org.operator_disdik):
        user.user_permissions.set(perms)
    staf = bind_device(org.staf, KEY_A).binding
    guru = bind_device(org.guru, KEY_B).binding
    assert staf and guru
    model_admin = DeviceBindingAdmin(DeviceBinding, AdminSite())
    op = type(org.operator_dinkes).objects.get(pk=org.operator_dinkes.pk)
    request = _admin_request(op)
    assert set(model_admin.get_queryset(request)) == {staf}  # the disdik teacher is not visible
    reset_bindings(model_admin, request, DeviceBinding.objects.all())  # even if a forged id list reaches it
    staf.refresh_from_db()
    guru.refresh_from_db()
    assert staf.revoked_at is not None and staf.revoked_by == op
    assert guru.revoked_at is None
    assert not model_admin.has_delete_permission(request, staf)
    assert not model_admin.has_add_permission(request)


def test_admin_lists_shared_devices(org: Org) -> None:
    bind_device(org.staf, KEY_A)
    bind_device(org.kabid, KEY_A)
    bind_device(org.guru, KEY_C)
    model_admin = SharedDeviceBindingAdmin(SharedDeviceBinding, AdminSite())
    request = _admin_request(type(org.admin_bkpsdm).objects.get(pk=org.admin_bkpsdm.pk))
    rows = list(model_admin.get_queryset(request))
    assert {r.employee_id for r in rows} == {org.staf.pk, org.kabid.pk}
    assert model_admin.shared_count(rows[0]) == 2


def test_admin_pages_render(org: Org) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    bind_device(org.staf, KEY_A, user_agent=ANDROID_UA)
    bind_device(org.kabid, KEY_A)
    c = _client("root")
    for url in ("/admin/org/devicebinding/", "/admin/mobile/shareddevicebinding/", "/admin/org/devicebinding/?aktif=1"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert "Dewi Lestari" in r.content.decode()


def test_demo_seed_binds_devices_and_leaves_demo_logins_free(org: Org) -> None:
    import datetime as dt
    import random

    from hadir.mobile import demo

    lines = demo.seed(random.Random(1), dt.date(2026, 11, 23))
    assert lines and "perangkat terikat" in lines[0]
    assert DeviceBinding.objects.active().exists()
    # one active binding per employee even with resets in the history
    from django.db.models import Count

    per_employee = DeviceBinding.objects.active().values("employee").annotate(n=Count("id"))
    assert max(row["n"] for row in per_employee) == 1


def test_binding_and_reset_are_in_the_audit_trail(org: Org) -> None:
    from hadir.audit.models import AuditEntry

    binding = bind_device(org.staf, KEY_A, user_agent=ANDROID_UA).binding
    assert binding is not None
    bind_device(org.staf, KEY_A)  # known device: nothing new
    reset_binding(binding, org.operator_dinkes, "HP hilang")
    entries = list(AuditEntry.objects.filter(target_id=str(binding.pk)).order_by("seq"))
    assert [e.action for e in entries] == ["mobile.device_bind", "mobile.device_reset"]
    assert entries[0].after["device"] == "Chrome di Android" and entries[0].actor_id == org.staf.user_id
    assert entries[1].reason == "HP hilang" and entries[1].actor_id == org.operator_dinkes.pk
