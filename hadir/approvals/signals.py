"""Signals sent by the approvals app (a lower layer wakes the apps above it only through signals).

`request_decided` — sent by hadir.approvals.services.decide_many for each decided LEAVE item, inside the decision's
transaction, with kwargs `item`, `by`, `approved`, `reason`. The leave workflow (a higher layer) applies the
decision to the request; a receiver that raises (e.g. the cuti quota is used up meanwhile) undoes the whole
decision.
"""

from django.dispatch import Signal

request_decided = Signal()
