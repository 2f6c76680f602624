"""The TPP demo: a rule set naming its basis, bases, last month computed and closed, this month computed."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model

from hadir.org.models import Employee
from hadir.presence.demo import seed as presence_seed
from hadir.testing import Clock, Org
from hadir.tpp.demo import seed
from hadir.tpp.models import Base, Period, Result, RuleSet

pytestmark = pytest.mark.django_db


def test_demo_closes_last_month_and_computes_this_one(org: Org, clock: Clock) -> None:
    today = dt.date(2026, 11, 20)
    clock.set(dt.datetime(2026, 11, 20, 18, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    get_user_model().objects.create_superuser("superadmin", password="x")
    presence_seed(random.Random(7), today)
    lines = seed(random.Random(7), today)
    assert "ditutup" in lines[1], lines
    rs = RuleSet.objects.get()
    assert "Perbup" in rs.legal_basis and rs.leave_rules.count() == 11
    assert Base.objects.count() == Employee.objects.filter(tpp_base__gt=0).count() > 0
    assert set(Period.objects.filter(month=dt.date(2026, 10, 1)).values_list("opd_id", flat=True)) >= {
        org.dinkes.pk, org.disdik.pk}
    october = Result.objects.filter(month=dt.date(2026, 10, 1))
    assert october.count() == 7 and all(october.values_list("closed", flat=True))
    assert Result.objects.filter(month=dt.date(2026, 11, 1), closed=False).count() == 7
    assert seed(random.Random(7), today) == ["tpp: aturan TPP sudah ada; dilewati"]
