"""Who has no vote on a day though a 正式党员 on the roster (RULES.md §1.2): a member under 留党察看 (JG15: no
表决权、选举权、被选举权 for its period) and a 流动党员 left out of 应到有表决权 by a 党员大会 decision with the
上级's consent (LD03). The attendance of a meeting carries the reason (`Attendance.no_vote`), so 应到有表决权,
the quorum and the vote follow it; the elections read the same list for 选举权/被选举权."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.connection import Ledger


def no_vote_ids(ledger: Ledger, day: dt.date) -> dict[int, str]:
    """Member id -> why they have no vote on that day (留党察看 first, then 流动)."""

    def build() -> dict[int, str]:
        from db.honors.store import list_sanctions, probation_ids
        from db.mobility.store import list_outings, vote_withheld_ids

        # the records read once per state of the ledger, not once per meeting date
        outings = ledger.memo_reads("meetings.no_vote.outings", lambda: list_outings(ledger))
        sanctions = ledger.memo_reads("meetings.no_vote.sanctions", lambda: list_sanctions(ledger))
        out = dict(vote_withheld_ids(ledger, day, outings))
        out.update(probation_ids(ledger, day, sanctions))
        return out

    got: dict[int, str] = ledger.memo(f"meetings.no_vote.{day.isoformat()}", build)
    return dict(got)
