"""API tokens' last_used_at: what an admin reads to tell a live token from a forgotten one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from hadir.org.models import ApiToken
from hadir.org.tokens import TOKEN_TOUCH_SECONDS, hash_token, issue_token

pytestmark = [pytest.mark.django_db, pytest.mark.clock(dt.datetime(2026, 11, 23, 0, 10, tzinfo=dt.UTC))]


def get_today(key: str) -> int:
    response = Client().get("/api/presence/today", headers={"Authorization": f"Bearer {key}"})
    return int(response.status_code)


def last_used(key: str) -> dt.datetime | None:
    value: dt.datetime | None = ApiToken.objects.get(key_hash=hash_token(key)).last_used_at
    return value


def test_touch_writes_at_most_every_five_minutes(org: Any) -> None:
    key = issue_token(org.staf.user, "hp")
    assert last_used(key) is None
    first = dt.datetime(2026, 11, 23, 0, 10, tzinfo=dt.UTC)
    with time_machine.travel(first, tick=False) as clock:
        assert get_today(key) == 200
        assert last_used(key) == first
        clock.move_to(first + dt.timedelta(seconds=TOKEN_TOUCH_SECONDS))  # not yet stale
        assert get_today(key) == 200 and last_used(key) == first
        later = first + dt.timedelta(seconds=TOKEN_TOUCH_SECONDS + 1)
        clock.move_to(later)
        assert get_today(key) == 200 and last_used(key) == later


def test_token_lookup_is_one_query_and_a_fresh_token_writes_nothing(org: Any,
                                                                    django_assert_num_queries: Any) -> None:
    from hadir.org.tokens import user_for_token

    key = issue_token(org.staf.user, "hp")
    user_for_token(key)  # first use: touched
    with django_assert_num_queries(1):  # the token, its user and the user's employee in one query
        user = user_for_token(key)
        assert user.employee == org.staf


def test_revoked_token_is_refused_and_not_touched(org: Any) -> None:
    key = issue_token(org.staf.user, "hp")
    ApiToken.objects.filter(key_hash=hash_token(key)).update(revoked=True)
    assert get_today(key) == 401
    assert last_used(key) is None
