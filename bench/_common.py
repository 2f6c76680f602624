"""Shared by the benchmarks: they run as `python bench/NAME.py`, so this folder is on sys.path."""

from __future__ import annotations

import sys


def recreate_database(url: str) -> None:
    """Drop and create the scratch PostgreSQL database named by `url` (its name must contain "bench")."""
    import psycopg

    base, name = url.rsplit("/", 1)
    name = name.split("?", 1)[0]
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: use a scratch database whose name contains 'bench'")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
