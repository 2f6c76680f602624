from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # make_org() creates ~10 users; the production PBKDF2 cost dominates test time otherwise.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _indonesian(settings: Any) -> Iterator[None]:
    # A request with Accept-Language: en leaves English active in the thread; messages here are Indonesian.
    with translation.override(settings.LANGUAGE_CODE):
        yield
