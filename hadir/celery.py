"""Celery app: the task queue for recaps, exports, notifications and end-of-day closing.

Without a broker (REDIS_URL unset, e.g. the SQLite demo) tasks run eagerly in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")

app = Celery("hadir")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
