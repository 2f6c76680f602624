"""Periodic jobs of the org app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hadir.org.flush_token_touches", ignore_result=True)
def flush_token_touches() -> int:
    """Write the API tokens' deferred last-used times (hadir.auth); also done by every check-in follow-up flush."""
    from hadir.auth import flush_token_touches as flush

    return flush()
