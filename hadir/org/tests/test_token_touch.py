"""API tokens' last_used_at: what an admin reads to tell a live token from a forgotten one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from hadir import auth
from hadir.auth import issue_token
from hadir.db import redis_client
from hadir.org.models import ApiToken
from hadir.org.tasks import flush_token_touches
from hadir.testing import Clock

pytestmark = [pytest.mark.django_db, pytest.mark.clock(dt.datetime(2026, 11, 23, 0, 10, tzinfo=dt.UTC))]



def get_today(key: str) -> int:
    response = Client().get("/api/presence/today", headers={"Authorization": f"Bearer {key}"})
    return int(response.status_code)


def last_used(key: str) -> dt.datetime | None:
    value: dt.datetime | None = ApiToken.objects.get(key_hash=auth.hash_token(key)).last_used_at
    return value


@pytest.fixture
def deferred(redis_db: str, settings: Any) -> None:
    settings.HADIR_TOKEN_TOUCH = "deferred"


def test_direct_touch_writes_at_most_every_five_minutes(org: Any, settings: Any, clock: Clock) -> None:
    settings.HADIR_TOKEN_TOUCH = "direct"
    key = issue_token(org.staf.user, "hp")
    assert last_used(key) is None
    assert get_today(key) == 200
    first = clock.now
    assert last_used(key) == first
    clock.set(first + dt.timedelta(seconds=auth.TOKEN_TOUCH_SECONDS))  # not yet stale
    assert get_today(key) == 200 and last_used(key) == first
    clock.set(first + dt.timedelta(seconds=auth.TOKEN_TOUCH_SECONDS + 1))
    assert get_today(key) == 200 and last_used(key) == clock.now


def test_deferred_touch_waits_in_redis_until_the_flush(org: Any, deferred: None, clock: Clock) -> None:
    staf, kabid = issue_token(org.staf.user, "hp"), issue_token(org.kabid.user, "hp")
    assert get_today(staf) == 200 and get_today(kabid) == 200
    assert last_used(staf) is None and last_used(kabid) is None  # the request itself wrote nothing
    assert flush_token_touches() == 2
    assert last_used(staf) == clock.now and last_used(kabid) == clock.now
    assert flush_token_touches() == 0  # drained


def test_deferred_flush_survives_a_deleted_token(org: Any, deferred: None, clock: Clock) -> None:
    gone, kept = issue_token(org.staf.user, "lama"), issue_token(org.kabid.user, "hp")
    assert get_today(gone) == 200 and get_today(kept) == 200
    ApiToken.objects.filter(key_hash=auth.hash_token(gone)).delete()
    assert flush_token_touches() == 2
    assert last_used(kept) == clock.now


def test_redis_down_falls_back_to_a_direct_write(org: Any, settings: Any, clock: Clock) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.HADIR_TOKEN_TOUCH = "deferred"
    redis_client.cache_clear()
    try:
        key = issue_token(org.staf.user, "hp")
        assert get_today(key) == 200
        assert last_used(key) == clock.now
    finally:
        redis_client.cache_clear()


def test_revoked_token_is_refused_and_not_touched(org: Any, settings: Any) -> None:
    settings.HADIR_TOKEN_TOUCH = "direct"
    key = issue_token(org.staf.user, "hp")
    ApiToken.objects.filter(key_hash=auth.hash_token(key)).update(revoked=True)
    assert get_today(key) == 401
    assert last_used(key) is None


@pytest.mark.django_db(transaction=True)  # autocommit, as in production: the follow-up trigger runs in the request
def test_a_check_in_takes_its_token_touch_along_in_one_redis_round_trip(
        org: Any, deferred: None, settings: Any, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    """Batched follow-up + deferred touch: the check-in request talks to Redis once (flag + touch, pipelined)."""
    import redis

    from hadir.presence import followup

    settings.HADIR_STATUS_REFRESH = "batched"
    queued: list[float] = []
    monkeypatch.setattr(followup.flush, "apply_async", lambda countdown: queued.append(countdown))
    clock.set(dt.datetime(2026, 11, 23, 0, 15, tzinfo=dt.UTC))  # 07:15 WIB
    trips: list[str] = []
    real_command, real_execute = redis.Redis.execute_command, redis.client.Pipeline.execute

    def command(self: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(str(args[0]))
        return real_command(self, *args, **kwargs)

    def execute(self: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append("pipeline")
        return real_execute(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", command)
    monkeypatch.setattr(redis.client.Pipeline, "execute", execute)
    key = issue_token(org.staf.user, "hp")
    body = {"kind": "masuk", "client_uuid": "6f1c1f4e-8d57-4a34-9b1e-2f8f6e0c1a01", "latitude": -3.7956312,
            "longitude": 102.2592718, "accuracy_m": 9}
    response = Client().post("/api/presence/checkins", body, content_type="application/json",
                             headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201, response.content
    assert response.json()["verdict"] == "accepted"
    assert trips == ["pipeline"] and queued == [followup.delay_seconds()]
    token_id = ApiToken.objects.get(key_hash=auth.hash_token(key)).pk
    assert redis_client().hget(auth.TOUCH_KEY, str(token_id)) is not None
    assert redis_client().get(followup.FLAG_KEY) is not None
