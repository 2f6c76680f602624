"""Signals sent by the schedules app (a lower layer wakes the apps above it only through signals).

`schedule_changed` (kwargs `day`: dt.date, `employee_ids`: list[int] | None — None means everyone) is sent after a
holiday, a roster line or a rotation changed the work day of those employees on that date, inside the transaction
of the change. hadir.presence marks those employee-days stale in its outbox, so their daily status is recomputed.
Only dates up to tomorrow are sent: later ones are computed on their day.
"""

from django.dispatch import Signal

schedule_changed = Signal()
