"""Signals sent by the check-in pipeline.

`checkin_recorded` is sent after the transaction that stored a NEW CheckIn row commits (never for a
replayed client UUID), with kwargs `checkin` (the row) and `created` (always True today; kept so
receivers written against the contract need no change if replays are ever announced).
Receivers must not raise: the check-in is already acknowledged; failures are logged and swallowed.
"""

from django.dispatch import Signal

checkin_recorded = Signal()
