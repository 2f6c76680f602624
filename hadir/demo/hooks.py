"""Every app's demo data, in the order `hadir demo` runs it after the organisation is seeded (hadir.org.seed).

Each entry is the app's `demo.seed(rng, today) -> list[str]` (the lines it reports). An app that adds demo data
writes its `demo.py` and lists it here: one explicit list, no discovery. The order follows the layers, so each
hook finds the data of those before it (schedules before check-ins, check-ins before approvals and leave, …).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from hadir.approvals import demo as approvals_demo
from hadir.discipline import demo as discipline_demo
from hadir.integrity import demo as integrity_demo
from hadir.leave import demo as leave_demo
from hadir.mobile import demo as mobile_demo
from hadir.presence import demo as presence_demo
from hadir.schedules import demo as schedules_demo
from hadir.terminals import demo as terminals_demo
from hadir.tpp import demo as tpp_demo

DemoHook = Callable[[random.Random, dt.date], list[str]]

DEMO_HOOKS: list[tuple[str, DemoHook]] = [
    ("hadir.schedules", schedules_demo.seed),
    ("hadir.presence", presence_demo.seed),
    ("hadir.terminals", terminals_demo.seed),
    ("hadir.approvals", approvals_demo.seed),
    ("hadir.leave", leave_demo.seed),
    ("hadir.discipline", discipline_demo.seed),
    ("hadir.tpp", tpp_demo.seed),
    ("hadir.mobile", mobile_demo.seed),
    ("hadir.integrity", integrity_demo.seed),
]
