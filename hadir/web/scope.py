"""Which day it is for a dashboard scope: the zone most of its work locations use.

Who sees which part of the organisation (BoardScope, board_scope) is hadir.org.scoping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from hadir.org.scoping import BoardScope


def scope_zone(scope: BoardScope) -> zoneinfo.ZoneInfo:
    """The zone most of the scope's work locations use (WIB unless the locations say otherwise)."""
    key = "board:zone:" + hashlib.sha1(scope.key.encode()).hexdigest()
    name = cache.get(key)
    if name is None:
        zones = Counter(scope.locations().values_list("timezone", flat=True)[:500])
        name = zones.most_common(1)[0][0] if zones else settings.TIME_ZONE
        cache.set(key, name, 300)
    return zoneinfo.ZoneInfo(name)


def scope_today(scope: BoardScope) -> dt.date:
    return timezone.localdate(timezone=scope_zone(scope))
