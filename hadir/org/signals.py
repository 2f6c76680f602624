"""Signals sent by the org app (a lower layer wakes the apps above it only through signals).

`import_finished` — sent by hadir.org.importing.run.run_import after every import run, written or refused, with
kwargs `user` (None from the command line), `report` (ImportReport: kind, rows, created, updated, errors),
`filename` and `sha256` (of the uploaded file). hadir.audit records one entry per run.
"""

from django.dispatch import Signal

import_finished = Signal()
