"""Fast password hashing: the `org` fixture creates ten users, and PBKDF2 would dominate the run."""

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
