"""What the write step shares: the writer a kind's check returns, the progress callback, and the tree writer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from .checks import Context, Row

# progress(items, description, total) -> items; the command line passes a tqdm bar
Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]

# writer(progress, create_accounts, initial_password): saves the checked rows; run inside the import's transaction
Writer = Callable[[Progress, bool, str], None]


class ImportAborted(Exception):
    """Raised inside the write transaction to roll everything back."""


def write_parent_first(
    ctx: Context, progress: Progress, planned: dict[str, tuple[Row, dict[str, Any]]],
    done: dict[str, Any], save: Callable[[str, Row, dict[str, Any], Any], Any],
) -> None:
    """Save tree rows (units, positions) parents before children; `save(code, row, plan, parent)` writes one.

    `done` starts with the rows already in the database and collects what is saved, so a child finds its
    parent whether it came from the file or was there before."""
    remaining = dict(planned)
    bar = iter(progress(range(len(remaining)), _("Menyimpan"), len(remaining)))
    while remaining:
        ready = [c for c, (_r, p) in remaining.items() if not p["parent"] or p["parent"] not in remaining]
        if not ready:
            raise ImportAborted
        for code in ready:
            row, plan = remaining.pop(code)
            parent = done.get(plan["parent"]) if plan["parent"] else None
            done[code] = save(code, row, plan, parent)
            if plan["existing"]:
                ctx.report.updated += 1
            else:
                ctx.report.created += 1
            next(bar, None)
