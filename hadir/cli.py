"""The `hadir` console command: a thin wrapper around Django's manage.py."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hadir", *(sys.argv[1:] if argv is None else argv)])
    return 0
