"""Who may approve whom, on the real models: the tiers as regencies run them, across bidang and OPD
forbidden, nobody approves themself; acting heads by date; vacant superiors escalate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hadir.approvals.models import ApprovalItem, ApprovalMode, ApprovalPolicy, Delegation, ItemStatus
from hadir.approvals.services import can_decide, decide, escalate_overdue, inbox
from hadir.audit.models import AuditEntry
from hadir.errors import DomainError
from hadir.presence.models import CheckIn, Validity
from hadir.testing import Org

from .helpers import extend_org, store_checkin

# (approver, subject, allowed)
MATRIX = [
    ("kadis", "sekretaris", True),
    ("kadis", "kabid", True),
    ("kadis", "kabid2", True),
    ("sekretaris", "staf", True),  # staf sekretariat
    ("sekretaris", "kasubag", True),  # kepala subbagian (derived from the unit tree)
    ("kasubag", "staf_subbag", True),
    ("kabid", "staf_bidang", True),  # staf bidang
    ("kabid", "kasi", True),  # kepala seksi
    ("kasi", "staf_seksi", True),
    ("kadis", "staf", False),  # not the atasan langsung (no skipping tiers)
    ("kadis", "staf_bidang", False),
    ("sekretaris", "staf_bidang", False),  # across units
    ("sekretaris", "kabid", False),  # peers
    ("kabid", "staf", False),
    ("kabid", "staf_bidang2", False),  # across bidang
    ("kabid2", "staf_bidang", False),
    ("kabid", "sekretaris", False),
    ("staf", "sekretaris", False),  # upwards
    ("staf_bidang", "kabid", False),
    ("kadisdik", "staf", False),  # across OPD
    ("kadisdik", "sekretaris", False),
    ("kadis", "guru", False),
    ("kadisdik", "guru", True),
    ("kabid", "kabid", False),  # self
    ("kadis", "kadis", False),
    ("op_dinkes", "staf", False),  # an operator is not an atasan
    ("bkpsdm", "staf", False),  # nor is BKPSDM while an atasan exists
    ("bkpsdm", "kadis", True),  # head of OPD: no atasan in Hadir → BKPSDM decides
    ("op_dinkes", "kadis", False),
]


def _user(org: Org, extra: dict, name: str):  # type: ignore[no-untyped-def,type-arg]
    if name in ("op_dinkes", "bkpsdm"):
        return org.operator_dinkes if name == "op_dinkes" else org.admin_bkpsdm
    emp = extra.get(name) or getattr(org, {"staf_bidang": "staf_bidang"}.get(name, name))
    return emp.user


def _emp(org: Org, extra: dict, name: str):  # type: ignore[no-untyped-def,type-arg]
    return extra.get(name) or getattr(org, name)


@pytest.mark.django_db
def test_approval_matrix(org: Org) -> None:
    extra = extend_org(org)
    items = {}
    for _approver, subject, _allowed in MATRIX:
        if subject not in items:
            items[subject] = ApprovalItem.objects.get(checkin=store_checkin(_emp(org, extra, subject)))
    wrong: list[tuple[object, ...]] = []
    for approver, subject, allowed in MATRIX:
        item = ApprovalItem.objects.select_related("employee__unit").get(pk=items[subject].pk)
        if can_decide(_user(org, extra, approver), item) is not allowed:
            wrong.append((approver, subject, allowed))
        in_inbox = inbox(_user(org, extra, approver)).filter(pk=item.pk).exists()
        if in_inbox is not allowed:
            wrong.append(("inbox", approver, subject, allowed))
    assert wrong == []


def test_self_decision_refused_even_via_api_service(org: Org) -> None:
    item = ApprovalItem.objects.get(checkin=store_checkin(org.kabid))
    with pytest.raises(DomainError) as exc:
        decide(item.pk, org.kabid.user, True)
    assert exc.value.status == 403


def test_delegation_dates(org: Org) -> None:
    """A Plh for the kepala bidang decides only from start to end date inclusive."""
    item = ApprovalItem.objects.get(checkin=store_checkin(org.staf_bidang))
    assert org.kabid.position is not None
    start = dt.date(2026, 12, 1)
    Delegation.objects.create(position=org.kabid.position, delegate=org.sekretaris, kind="plh",
                              start_date=start, end_date=start + dt.timedelta(days=4))
    table = [(start - dt.timedelta(days=1), False), (start, True), (start + dt.timedelta(days=4), True),
             (start + dt.timedelta(days=5), False)]
    for day, allowed in table:
        assert can_decide(org.sekretaris.user, item, day) is allowed, day
        assert inbox(org.sekretaris.user, day).filter(pk=item.pk).exists() is allowed, day
    assert can_decide(org.kabid.user, item, start)  # the holder keeps deciding


def test_acting_head_never_approves_themself(org: Org) -> None:
    """The sekretaris as Plt kepala dinas: their own check-in goes past the kadis position to BKPSDM."""
    assert org.kadis.position is not None
    today = timezone.localdate()
    kadis_position = org.kadis.position
    org.kadis.position_id = None
    org.kadis.save()  # the kepala dinas position is vacant
    Delegation.objects.create(position=kadis_position, delegate=org.sekretaris, kind="plt", start_date=today,
                              end_date=today)
    own = ApprovalItem.objects.get(checkin=store_checkin(org.sekretaris))
    assert own.approver_position_id is None
    assert not can_decide(org.sekretaris.user, own, today)
    assert can_decide(org.admin_bkpsdm, own, today)
    kabid_item = ApprovalItem.objects.get(checkin=store_checkin(org.kabid))
    assert can_decide(org.sekretaris.user, kabid_item, today)  # but the Plt approves the kabid


def test_vacant_superior_escalates_one_level(org: Org) -> None:
    org.kabid.position_id = None
    org.kabid.save()  # kepala bidang position vacant, no Plt
    item = ApprovalItem.objects.get(checkin=store_checkin(org.staf_bidang))
    assert org.kadis.position_id is not None and item.approver_position_id == org.kadis.position_id
    assert can_decide(org.kadis.user, item)


def test_policy_modes_decide_which_checkins_wait(org: Org) -> None:
    # default (settings): flagged
    assert store_checkin(org.staf, flags=[]).validity == Validity.NOT_REQUIRED
    assert store_checkin(org.staf, flags=["mock_location"]).validity == Validity.PENDING
    assert store_checkin(org.staf, flags=[], source="offline").validity == Validity.PENDING
    assert store_checkin(org.staf, verdict="rejected").validity == Validity.NOT_REQUIRED
    # regency-wide: all; Dinas Pendidikan overrides with none
    ApprovalPolicy.objects.create(unit=org.pemda, mode=ApprovalMode.ALL)
    ApprovalPolicy.objects.create(unit=org.disdik, mode=ApprovalMode.NONE)
    assert store_checkin(org.staf, flags=[]).validity == Validity.PENDING
    assert store_checkin(org.guru, flags=["mock_location"]).validity == Validity.NOT_REQUIRED
    ApprovalPolicy.objects.filter(unit=org.pemda).update(mode=ApprovalMode.APEL)
    assert store_checkin(org.staf, kind="apel_pagi", flags=[]).validity == Validity.PENDING
    assert store_checkin(org.staf, kind="masuk", flags=["mock_location"]).validity == Validity.NOT_REQUIRED


def test_pipeline_pending_overridden_by_policy_none(org: Org) -> None:
    ApprovalPolicy.objects.create(unit=org.dinkes, mode=ApprovalMode.NONE)
    row = store_checkin(org.staf, source="offline", validity=Validity.PENDING)
    assert row.validity == Validity.NOT_REQUIRED and not ApprovalItem.objects.filter(checkin=row).exists()


def test_handled_once_per_checkin(org: Org) -> None:
    from hadir.approvals.services import open_checkin_items

    row = store_checkin(org.staf)
    open_checkin_items([row])  # a second announcement of the same row (a retried batch)
    fresh = CheckIn.objects.get(pk=row.pk)
    open_checkin_items([fresh, fresh])
    assert ApprovalItem.objects.filter(checkin=row).count() == 1


def test_a_batch_is_handled_set_based(org: Org) -> None:
    """Flagged rows of one batch get items and pending; an unflagged one stays not-required."""
    from hadir.approvals.services import open_checkin_items

    def bare(emp: Any, flags: list[str]) -> CheckIn:
        return CheckIn.objects.bulk_create([CheckIn(
            employee=emp, kind="masuk", occurred_at=timezone.now(), local_date=timezone.localdate(),
            verdict="accepted", fraud_flags=flags)])[0]  # bulk_create: no post_save, as the pipeline stores them

    rows = [bare(org.staf, ["mock_location"]), bare(org.kabid, ["shared_device"]), bare(org.sekretaris, [])]
    items = open_checkin_items(rows)
    assert {i.checkin_id for i in items} == {rows[0].pk, rows[1].pk}
    assert [CheckIn.objects.get(pk=r.pk).validity for r in rows] == [
        Validity.PENDING, Validity.PENDING, Validity.NOT_REQUIRED]
    assert open_checkin_items(rows) == []  # a retried batch opens nothing twice
    assert ApprovalItem.objects.count() == 2


def test_invalid_marks_checkin_and_is_audited(org: Org) -> None:
    row = store_checkin(org.staf)
    item = ApprovalItem.objects.get(checkin=row)
    decide(item.pk, org.sekretaris.user, False, "Lokasi palsu terdeteksi")
    row.refresh_from_db()
    assert (row.validity, row.validated_by, row.validity_reason) == (
        Validity.INVALID, org.sekretaris.user, "Lokasi palsu terdeteksi")
    entry = AuditEntry.objects.get(action="checkin.invalid")
    assert entry.before["validity"] == "pending" and entry.after["validity"] == "invalid"
    assert entry.reason == "Lokasi palsu terdeteksi"
    from hadir.notify.models import Notification

    note = Notification.objects.get(user=org.staf.user)
    assert "tidak valid" in note.subject and "Lokasi palsu terdeteksi" in note.body
    with pytest.raises(DomainError) as again:
        decide(item.pk, org.sekretaris.user, True)
    assert again.value.status == 409


def test_bulk_is_all_or_nothing(org: Org) -> None:
    mine = [ApprovalItem.objects.get(checkin=store_checkin(org.staf)).pk for _ in range(3)]
    other = ApprovalItem.objects.get(checkin=store_checkin(org.staf_bidang)).pk  # the kabid's
    with pytest.raises(DomainError) as exc:
        from hadir.approvals.services import decide_many

        decide_many([*mine, other], org.sekretaris.user, True)
    assert exc.value.status == 403 and str(other) in exc.value.message
    assert ApprovalItem.objects.filter(pk__in=mine, status=ItemStatus.PENDING).count() == 3
    from hadir.approvals.services import decide_many

    decided = decide_many(mine, org.sekretaris.user, True)
    assert [i.status for i in decided] == [ItemStatus.APPROVED] * 3
    assert CheckIn.objects.filter(approval_item__pk__in=mine, validity=Validity.VALID).count() == 3


def test_overdue_items_escalate(org: Org) -> None:
    ApprovalPolicy.objects.create(unit=org.pemda, mode=ApprovalMode.FLAGGED, escalate_after_days=2)
    item = ApprovalItem.objects.get(checkin=store_checkin(org.staf))
    assert item.approver_position_id == org.sekretaris.position_id
    now = timezone.now()
    assert escalate_overdue(now + dt.timedelta(days=1)) == 0
    assert escalate_overdue(now + dt.timedelta(days=2, minutes=1)) == 1
    item.refresh_from_db()
    assert (item.escalation_level, item.approver_position_id) == (1, org.kadis.position_id)
    assert can_decide(org.kadis.user, item) and not can_decide(org.sekretaris.user, item)
    assert escalate_overdue(now + dt.timedelta(days=3)) == 0  # still level 1
    # the kepala dinas is the top of the staff member's chain: the item stays there (BKPSDM is not an atasan)
    assert escalate_overdue(now + dt.timedelta(days=4, minutes=1)) == 0
    assert escalate_overdue(now + dt.timedelta(days=30)) == 0
    item.refresh_from_db()
    assert (item.escalation_level, item.approver_position_id) == (1, org.kadis.position_id)
    assert not can_decide(org.admin_bkpsdm, item)
    assert AuditEntry.objects.filter(action="approval.escalate").count() == 1


def test_routing_cost_does_not_grow_with_the_opd(org: Org, django_assert_max_num_queries: Any) -> None:
    from hadir.approvals.services import resolve_for
    from hadir.org.models import Position

    bidang = org.dinkes_bidang
    Position.objects.bulk_create([Position(unit=bidang, name=f"Pelaksana {i}", code=f"BULK{i}",
                                           parent=org.kabid.position) for i in range(400)])
    with django_assert_max_num_queries(8):
        result = resolve_for(org.staf_bidang)
    assert result.position_id == org.kabid.position_id and result.approver_ids == {org.kabid.pk}


def test_staff_without_a_jabatan_go_to_the_head_of_their_unit(org: Org) -> None:
    from hadir.testing import make_employee

    honorer = make_employee(org.dinkes_bidang, "Honorer Bidang", kind="tkk", locations=[org.loc_dinkes],
                            username="honorer")
    item = ApprovalItem.objects.get(checkin=store_checkin(honorer))
    assert item.approver_position_id == org.kabid.position_id
    assert can_decide(org.kabid.user, item) and not can_decide(org.kadis.user, item)
    pkm_staff = make_employee(org.puskesmas, "Staf Puskesmas", kind="tkk", locations=[org.loc_puskesmas])
    pkm_item = ApprovalItem.objects.get(checkin=store_checkin(pkm_staff))
    assert pkm_item.approver_position_id == org.kadis.position_id  # no kepala puskesmas: next head up


def test_escalation_notifies_each_new_approver_once(org: Org) -> None:
    from hadir.notify.models import Notification

    ApprovalPolicy.objects.create(unit=org.pemda, mode=ApprovalMode.FLAGGED, escalate_after_days=1)
    for _ in range(3):
        store_checkin(org.staf)
    Notification.objects.all().delete()
    assert escalate_overdue(timezone.now() + dt.timedelta(days=1, minutes=1)) == 3
    notes = Notification.objects.filter(user=org.kadis.user)
    assert notes.count() == 1 and "3 item" in notes.get().subject


def test_vacated_approvers_reroute_at_once_with_one_summary_each(org: Org) -> None:
    """The sekretaris moves away: the items waiting for them go to the kepala dinas in the next run, without
    waiting out the escalation period, as one notification; with the kepala dinas gone too, nobody in the chain
    can act and BKPSDM gets them — again one notification, in the reader's language."""
    from django.utils import translation

    from hadir.notify.models import Notification

    for _ in range(3):
        store_checkin(org.staf)
    store_checkin(org.kabid)  # already with the kepala dinas: not part of the summary
    org.sekretaris.position = None
    org.sekretaris.save()
    with translation.override("en"):
        assert escalate_overdue() == 3
    items = ApprovalItem.objects.filter(employee=org.staf)
    assert {(i.approver_position_id, i.escalation_level) for i in items} == {(org.kadis.position_id, 0)}
    note = Notification.objects.get(user=org.kadis.user)
    assert note.subject == "Approvals escalated: 3 items"
    assert "0 not decided in time" in note.body and "3 because the approver's position is vacant" in note.body
    assert f"{org.staf.name} (3)" in note.body
    assert escalate_overdue() == 0  # nothing more to do

    org.kadis.position = None
    org.kadis.save()
    assert escalate_overdue() == 4  # the staf's 3 and the kabid's 1: nobody above can act
    assert set(ApprovalItem.objects.values_list("approver_position_id", flat=True)) == {None}
    summary = Notification.objects.get(user=org.admin_bkpsdm)
    assert "4 item" in summary.subject and f"{org.staf.name} (3), {org.kabid.name} (1)" in summary.body
    assert Notification.objects.filter(user=org.kadis.user).count() == 1


def test_items_flooded_to_bkpsdm_return_to_the_top_of_their_chain(org: Org) -> None:
    """Items the old job pushed past the kepala dinas ("dieskalasi 9×" at BKPSDM) go back to the kepala dinas at
    the top level of a 2-level chain: "dieskalasi 1×"."""
    item = ApprovalItem.objects.get(checkin=store_checkin(org.staf))
    ApprovalItem.objects.filter(pk=item.pk).update(approver_position=None, escalation_level=9)
    assert escalate_overdue() == 1
    item.refresh_from_db()
    assert (item.approver_position_id, item.escalation_level) == (org.kadis.position_id, 1)
    assert can_decide(org.kadis.user, item) and not can_decide(org.admin_bkpsdm, item)


def test_the_escalation_reads_pending_items_in_batches_without_an_open_cursor(org: Org) -> None:
    from hadir.approvals.services import _pending_in_batches

    ids = [ApprovalItem.objects.get(checkin=store_checkin(org.staf)).pk for _ in range(5)]
    ApprovalItem.objects.filter(pk=ids[2]).update(status=ItemStatus.APPROVED)
    assert [i.pk for i in _pending_in_batches(size=2)] == [ids[0], ids[1], ids[3], ids[4]]
