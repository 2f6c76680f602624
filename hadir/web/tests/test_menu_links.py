"""Every link in the navigation and on the landing page answers 200, for every role of the demo.

One small seeded regency (hadir.org.seed, once for the module). Each role logs in, opens `/` (its landing
page: the dashboard, or the app for staff) and the notification inbox (a page every role reaches), and
follows every link in the header/menu of each page it reaches, and every link on the landing page and on
the pages the menu leads to.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from hadir.org.models import Employee
from hadir.org.seed import seed_regency

TODAY = dt.date(2026, 11, 23)
START_PAGES = ("/", "/notifikasi/")
LEAF_PREFIXES = ("/admin/",)  # the Django admin has its own menus: its pages are checked, not explored


class LinkParser(HTMLParser):
    """Collects `<a href>`, noting whether each sits in the page header or a `<nav>`."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, bool]] = []
        self._menu_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("header", "nav"):
            self._menu_depth += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append((href, self._menu_depth > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("header", "nav") and self._menu_depth:
            self._menu_depth -= 1


def page_links(html: str, page_url: str) -> list[tuple[str, bool]]:
    """(absolute path + query, in menu) of the page's links to this site, fragments dropped."""
    parser = LinkParser()
    parser.feed(html)
    out = []
    for href, in_menu in parser.links:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urldefrag(urljoin(f"http://testserver{page_url}", href)).url
        parts = urlsplit(url)
        if parts.netloc != "testserver" or parts.path.startswith(("/static/", "/media/")):
            continue
        out.append((parts.path + (f"?{parts.query}" if parts.query else ""), in_menu))
    return out


@dataclass
class Visit:
    status: int
    final_url: str
    html: str


def visit(client: Client, url: str) -> Visit:
    response = client.get(url, follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    is_html = response.get("Content-Type", "").startswith("text/html")
    html = response.content.decode() if is_html and not response.streaming else ""
    return Visit(response.status_code, final, html)


def crawl(client: Client) -> tuple[dict[str, int], list[str]]:
    """Status of every link on the landing page, in the menu of any page reached, and on the pages the menu
    leads to (one click further); and the failures."""
    statuses: dict[str, int] = {}
    expanded: set[str] = set()
    pending: list[tuple[str, bool]] = [(start, True) for start in START_PAGES]
    while pending:
        url, from_menu = pending.pop()
        if url in statuses and (not from_menu or url in expanded):
            continue
        page = visit(client, url)
        statuses[url] = page.status
        if page.status != 200 or urlsplit(page.final_url).path.startswith(LEAF_PREFIXES):
            continue
        links = page_links(page.html, page.final_url)
        pending += [(link, True) for link, in_menu in links if in_menu]
        if from_menu:
            expanded.add(url)
            pending += [(link, False) for link, in_menu in links if not in_menu]
    return statuses, [f"{url} → {status}" for url, status in sorted(statuses.items()) if status != 200]


@pytest.fixture(scope="module")
def regency(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Kabupaten Contoh with 250 employees (every OPD head and a few sub-unit heads), rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_regency(random.Random(7), TODAY, employees=250)
        heads = Employee.objects.filter(position__is_head=True, user__isnull=False).select_related("position", "user")
        kadis = heads.get(unit__code="DINKES", position__parent__isnull=True)
        # an atasan below the OPD head who has someone to approve
        approver = next(e for e in heads.filter(position__parent__isnull=False).order_by("pk")
                        if Employee.objects.filter(position__parent=e.position).exists())
        staff = (Employee.objects.filter(position__is_head=False, user__isnull=False, unit__opd__code="DINKES")
                 .select_related("user").order_by("pk").first())
        assert staff is not None
        users = get_user_model().objects
        yield {
            "employee": staff.user,
            "approver": approver.user,
            "opd_head": kadis.user,
            "operator_opd": users.get(username="operator.dinkes"),
            "admin_bkpsdm": users.get(username="admin.bkpsdm"),
            "super_admin": users.get(username="superadmin"),
        }
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_menu_and_landing_link_answers_200_for_every_role(regency: dict[str, Any]) -> None:
    failures: list[str] = []
    reached: dict[str, dict[str, int]] = {}
    for role, user in regency.items():
        cache.clear()
        client = Client()
        client.force_login(user)
        statuses, failed = crawl(client)
        reached[role] = statuses
        failures += [f"{role}: {line}" for line in failed]
    assert not failures, "links that do not answer 200:\n" + "\n".join(failures)
    counts = {role: len(statuses) for role, statuses in reached.items()}
    # a landing page's table rows are links too: the regency dashboard lists every OPD
    assert counts["admin_bkpsdm"] > 60 and counts["employee"] >= 5, counts
    # "Izin/cuti" is the employee's own leave page; an admin without an employee record gets the overview of the
    # leave and DL requests in their scope (BKPSDM: the regency) instead
    assert "/cuti/" in reached["employee"] and "/cuti/" in reached["opd_head"]
    assert "/cuti/" not in reached["admin_bkpsdm"] and "/cuti/" not in reached["operator_opd"]
    for role in ("admin_bkpsdm", "operator_opd", "super_admin"):
        assert "/cuti/ikhtisar/" in reached[role], role
    assert "/cuti/ikhtisar/" not in reached["employee"]
