"""A month of unattended approvals, replayed: nobody decides anything for 30 days while the escalation job runs
every hour (as beat and the demo scheduler run it) and the clock moves on. Each item must end where the rule
(hadir.approvals.routing, `route`) puts it, and each approver must have been told once per run that brought them
items — not once per item, and never BKPSDM for items an atasan in the OPD can decide.

The OPD (Dinas Kesehatan, escalation after 3 days; the regency's policy says 5):

    kepala dinas ─┬─ sekretaris ── kepala subbagian ── staf subbagian      (3 levels; the kasubag moves away on day 15)
                  │             └─ staf sekretariat                        (2 levels)
                  ├─ kepala bidang ─┬─ kepala seksi ── staf seksi          (3 levels)
                  │                 └─ staf bidang                         (2 levels)
                  └─ (the kepala bidang's own items: 1 level; the kepala dinas's own: BKPSDM)
    Dinas Pendidikan: guru → kepala dinas pendidikan (1 level); the kepala dinas pendidikan's own: BKPSDM

Check-ins are stored at 07:30 on their day; the job runs at hh:15 (the clock starts Monday 07:15 WIB), so an item
of day d that nobody decides moves on day d+3 at 08:15 and again on day d+6 at 08:15 when there is a level left.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.test import Client

from hadir.approvals import tasks
from hadir.approvals.models import ApprovalItem, ApprovalMode, ApprovalPolicy, ItemStatus
from hadir.audit.models import AuditEntry
from hadir.notify.models import Notification
from hadir.testing import MONDAY_0715, Clock, Org

from .helpers import extend_org, store_checkin

DAYS = 30
VACATED = (15, dt.time(12, 0))  # the kepala subbagian moves to another post (their position falls vacant)

# (employee, day the check-in is stored) → (who decides at the end, escalation level shown)
EXPECTED: list[tuple[str, int, str, int]] = [
    # 3 levels, the first vacated on day 15: from then on the chain that can act is sekretaris → kepala dinas
    ("staf_subbag", 0, "kadis", 1),  # sekretaris day 3, kepala dinas day 6 (level 2); level 1 once the chain shrank
    ("staf_subbag", 13, "kadis", 1),  # at the kasubag until day 15 12:15: re-routed to the sekretaris at once,
    #                                   who waits the full 3 days again: kepala dinas on day 18 12:15
    ("staf_subbag", 20, "kadis", 1),  # opened at the sekretaris (the kasubag is gone), kepala dinas on day 23
    ("staf_subbag", 27, "sekretaris", 0),  # 3 days would be day 30 08:15, after the end
    # 3 levels
    ("staf_seksi", 0, "kadis", 2),  # kepala bidang day 3, kepala dinas day 6, then stays: the top
    ("staf_seksi", 24, "kabid", 1),  # kepala bidang day 27; day 30 08:15 is after the end
    ("staf_seksi", 26, "kabid", 1),
    ("staf_seksi", 29, "kasi", 0),
    # 2 levels
    ("staf", 1, "kadis", 1),  # kepala dinas on day 4, then 25 more days at the top: never BKPSDM
    ("staf", 27, "sekretaris", 0),
    ("staf_bidang", 5, "kadis", 1),
    # 1 level: the atasan langsung is the top
    ("kabid", 2, "kadis", 0),
    ("kabid", 20, "kadis", 0),
    ("guru", 0, "kadisdik", 0),
    # nobody in the OPD above: BKPSDM from the start, and nothing moves
    ("kadis", 3, "bkpsdm", 0),
    ("kadisdik", 10, "bkpsdm", 0),
]

# how many escalation notifications each person received (one per run that brought them items)
EXPECTED_NOTIFICATIONS = {
    "sekretaris": 2,  # day 3 (staf subbagian, day 0) and day 15 (re-routed: staf subbagian, day 13)
    "kabid": 3,  # days 3, 27 and 29 (staf seksi)
    "kadis": 5,  # day 4 (staf), day 6 (staf subbagian + staf seksi: ONE notification of 2 items), day 8
    #              (staf bidang), day 18 and day 23 (staf subbagian)
    "kasubag": 0, "kasi": 0, "kadisdik": 0, "bkpsdm": 0,
}


def _people(org: Org, extra: dict[str, Any]) -> dict[str, Any]:
    names = ["kadis", "sekretaris", "kabid", "staf", "staf_bidang", "guru", "kadisdik"]
    return {**{n: getattr(org, n) for n in names}, **extra}


@pytest.mark.django_db
def test_a_month_of_unattended_approvals(org: Org, clock: Clock) -> None:
    extra = extend_org(org)
    people = _people(org, extra)
    ApprovalPolicy.objects.create(unit=org.pemda, mode=ApprovalMode.FLAGGED, escalate_after_days=5)
    ApprovalPolicy.objects.create(unit=org.dinkes, mode=ApprovalMode.FLAGGED, escalate_after_days=3)
    start = MONDAY_0715
    kasubag_position = people["kasubag"].position

    events: list[tuple[dt.datetime, str, int]] = [
        (start.replace(hour=7, minute=30) + dt.timedelta(days=day), name, day) for name, day, _who, _lvl in EXPECTED
    ]
    events.append((start.replace(hour=VACATED[1].hour, minute=VACATED[1].minute)
                   + dt.timedelta(days=VACATED[0]), "", -1))
    events.sort(key=lambda e: e[0])
    items: dict[tuple[str, int], int] = {}
    levels_seen: Counter[int] = Counter()
    runs = 0
    for hour in range(1, DAYS * 24 + 1):
        tick = start + dt.timedelta(hours=hour)
        while events and events[0][0] <= tick:
            when, name, day = events.pop(0)
            clock.set(when)
            if not name:
                kasubag = people["kasubag"]
                kasubag.position = None
                kasubag.save()
                continue
            row = store_checkin(people[name], day=when.date(), occurred_at=when)
            items[(name, day)] = ApprovalItem.objects.get(checkin=row).pk
        clock.set(tick)
        tasks.escalate_overdue()
        runs += 1
        levels_seen.update(ApprovalItem.objects.values_list("escalation_level", flat=True))
    assert runs == DAYS * 24 and not events

    approvers = {people[name].position_id: name for name in ("kadis", "sekretaris", "kabid", "kasi", "kadisdik")}
    approvers[kasubag_position.pk] = "kasubag"
    approvers[None] = "bkpsdm"
    ended = {}
    for name, day, _who, _level in EXPECTED:
        item = ApprovalItem.objects.get(pk=items[(name, day)])
        assert item.status == ItemStatus.PENDING
        ended[(name, day)] = (approvers[item.approver_position_id], item.escalation_level)
    assert ended == {(name, day): (who, level) for name, day, who, level in EXPECTED}
    assert max(levels_seen) == 2  # never past a chain's top: "dieskalasi 2×" only for the 3-level chains

    users = {name: people[name].user for name in EXPECTED_NOTIFICATIONS if name != "bkpsdm"}
    users["bkpsdm"] = org.admin_bkpsdm
    received = {name: Notification.objects.filter(user=user, kind="approval").count() for name, user in users.items()}
    assert received == EXPECTED_NOTIFICATIONS
    two = Notification.objects.get(user=org.kadis.user, subject__contains="2 item")
    assert extra["staf_subbag"].name in two.body and extra["staf_seksi"].name in two.body
    audited = Counter(AuditEntry.objects.filter(action__startswith="approval.").values_list("action", flat=True))
    # 10 moves up; 1 re-route (the vacated kasubag); 1 level corrected without a move (the staf subbagian's day-0
    # item at the kepala dinas: level 2 of a chain that now has 2 levels)
    assert audited == {"approval.escalate": 10, "approval.reroute": 1, "approval.relevel": 1}

    # the inbox of the kepala dinas shows the level plainly
    client = Client()
    assert org.kadis.user is not None
    client.force_login(org.kadis.user)
    page = client.get("/persetujuan/").content.decode()
    assert "dieskalasi 1×" in page and "dieskalasi 2×" in page and "dieskalasi 3×" not in page
