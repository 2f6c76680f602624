from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # The org fixture creates ten accounts; PBKDF2 at production strength would cost seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _indonesian_by_default() -> Iterator[None]:
    # LocaleMiddleware leaves the last request's language active in the thread; an English request in an
    # earlier test must not turn the next test's messages English.
    translation.activate("id")
    yield
    translation.deactivate()
