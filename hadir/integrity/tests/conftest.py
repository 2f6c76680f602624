"""The check-in API clients of the presence tests, for playing check-ins through the public API."""

from hadir.presence.tests.conftest import api_for  # noqa: F401  (a fixture)
