"""Signals sent by the presence app (a lower layer wakes the apps above it only through signals).

`checkins_recorded` — sent by the outbox drain (hadir/presence/outbox.py) for each batch of NEW check-ins, with
kwarg `checkins` (the CheckIn rows). It runs inside the drain's transaction, after the check-ins themselves were
committed and acknowledged: a receiver that raises makes the batch retry later (so receivers must be idempotent)
but never loses a check-in. Receivers must work set-based: a batch can hold thousands of rows. (hadir.approvals:
approval items; hadir.mobile: the device's last-seen stamp.)


`checkin_photo_added` — sent after commit when a selfie taken offline arrives after its check-in
(POST /api/presence/checkins/{client_uuid}/photo), with kwarg `checkin`. (hadir.integrity: face match.)
"""

from django.dispatch import Signal

checkins_recorded = Signal()
checkin_photo_added = Signal()
