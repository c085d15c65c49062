"""Logging without noise for normal events: a refused request (403), a missing page (404) or a bad request (400)
is one line in the log ("Forbidden (Permission denied): /path"), never a traceback."""

from __future__ import annotations

import logging

ROUTINE_STATUSES = frozenset({400, 403, 404, 405})


class RoutineRefusals(logging.Filter):
    """On ``django.request``: drop the traceback of routine client errors; the line itself stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in ROUTINE_STATUSES:
            record.exc_info = None
            record.exc_text = None
        return True
