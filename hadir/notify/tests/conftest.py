from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # make_org creates ten users; the default PBKDF2 cost dominates these tests' run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    # A test-client request with Accept-Language: en leaves English active in this thread (LocaleMiddleware
    # activates, nothing deactivates); later tests that call gettext outside a request would see English.
    yield
    translation.deactivate()
