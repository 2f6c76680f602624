"""The whole API fuzzed from its own OpenAPI document (schemathesis, in-process over WSGI): every operation, with
generated valid and invalid input, answers without a server error and with the body its schema describes.

Signed in as a regular employee and as a BKPSDM admin (the two ends of the scopes). Examples per operation:
HADIR_FUZZ_EXAMPLES (default 8 in the suite; `HADIR_FUZZ_EXAMPLES=100 pytest hadir/web/tests/test_api_fuzz.py`
for a long run). Derandomized: a failure found once is found again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from hadir.testing import PASSWORD, Org
from hadir.wsgi import application

EXAMPLES = int(os.environ.get("HADIR_FUZZ_EXAMPLES", "8"))


pytestmark = pytest.mark.django_db
# Read from the running app, as a generated client would (the document needs no database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


def bearer(username: str) -> dict[str, str]:
    answer = Client().post("/api/auth/token", {"username": username, "password": PASSWORD},
                           content_type="application/json")
    assert answer.status_code == 201, answer.content
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.fixture
def employee(org: Org, settings_overrides: None) -> dict[str, str]:
    return bearer("staf")


@pytest.fixture
def bkpsdm(org: Org, settings_overrides: None) -> dict[str, str]:
    return bearer(org.admin_bkpsdm.get_username())


@pytest.fixture
def direct_wsgi() -> Iterator[None]:
    """schemathesis calls the WSGI app itself, whose request signals close the database connection — the test's
    transaction with it. Django's test client disconnects that handler the same way (and connects it again after
    each of its requests: so this fixture comes after the ones that sign in through the test client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def settings_overrides(settings: Any) -> None:
    # the fuzzer is one client making thousands of calls: no rate limit or login lockout in its way
    settings.HADIR_API_USER_RATE = ""
    settings.HADIR_API_TOKEN_RATE = ""
    settings.AXES_ENABLED = False
    cache.clear()


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_as_an_employee(case: Any, employee: dict[str, str], direct_wsgi: None) -> None:
    case.call_and_validate(headers=employee, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_as_bkpsdm(case: Any, bkpsdm: dict[str, str], direct_wsgi: None) -> None:
    case.call_and_validate(headers=bkpsdm, checks=CHECKS)
