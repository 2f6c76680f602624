"""Signals sent by the check-in pipeline.

`checkins_recorded` is sent by the follow-up pass (hadir.presence.followup) for each batch of NEW CheckIn
rows stored by the pipeline (never for a replayed client UUID), with kwarg `checkins`: the list of rows.
It runs inside the follow-up's transaction, after the check-ins themselves were committed and
acknowledged: a receiver that raises makes the batch retry later (so receivers must be idempotent) but
never loses a check-in. Receivers should work set-based: a batch can hold thousands of rows.
"""

from django.dispatch import Signal

checkins_recorded = Signal()
