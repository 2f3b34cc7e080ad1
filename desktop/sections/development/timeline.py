"""The per-person timeline of the 25 steps: the status word of a step (已超期 for an open step past its
latest date) and its colour."""

from __future__ import annotations

import datetime as dt

from db import development as dev
from desktop.style import OK_GREEN, TEXT_MUTED

STATUS_COLORS = {"done": OK_GREEN, "open": "#1565C0", "waiting": TEXT_MUTED, "stopped": TEXT_MUTED}


def timeline_status(row: dev.TimelineRow, as_of: dt.date) -> str:
    """已完成 / 可办理 / 已超期 / 待前序步骤 / 已终止: an open step past its latest date says so."""
    if row.status == "open" and row.clock is not None and row.clock.overdue(as_of):
        return "已超期"
    return row.status_label
