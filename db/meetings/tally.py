"""A meeting's attendance as the checks count it (`Tally`): whether any is recorded, who is listed, the absentees
with their reasons, and the 应到/实到/缺席 有表决权 counts the quorum and the vote are judged on (RULES.md §1.2).

`tally_of` counts it from a whole record (what the editor and 定稿 have in hand); `read_tallies` counts it for
many meetings in SQLite, reading back only the absentees and the rows of members without a vote on the day:
the findings check two years of meetings, on a 500-member branch some 34,000 attendance rows that need not
each become an `Attendance`. Both give the same Tally (tests/db/test_findings_fast.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.meetings.model import Attendance, Decision, Meeting
from db.meetings.rights import no_vote_ids
from db.rules import meetings as rules

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass(frozen=True)
class Tally:
    rows: int  # attendance rows recorded (列席 included)
    listed: frozenset[int]  # the member ids on the attendance list
    absentees: tuple[Attendance, ...]  # 请假 and 缺席, in the order recorded
    expected_voters: int  # 应到有表决权
    present_voters: int  # 实到有表决权
    absent_voters: int  # 请假/缺席 with a vote (their 书面意见 count)

    def verdict(self, d: Decision) -> rules.VoteVerdict:
        """`Meeting.verdict` from the counts."""
        return rules.judge_vote(
            self.expected_voters, self.present_voters, d.yes, d.no, d.abstain, d.written, self.absent_voters
        )


def tally_of(m: Meeting) -> Tally:
    """The tally of a whole record, from its attendance list."""
    absentees = tuple(m.absentees)
    return Tally(
        len(m.attendance),
        frozenset(a.member_id for a in m.attendance),
        absentees,
        m.expected_voters,
        m.present_voters,
        sum(1 for a in absentees if a.can_vote),
    )


def read_tallies(
    ledger: Ledger, dates: dict[int, Any], ids_sql: str, params: tuple[Any, ...], names: dict[int, str]
) -> dict[int, Tally]:
    """The tally of every meeting whose id `ids_sql` selects (`dates`: meeting id -> its date, for the no-vote
    lists), as `tally_of` gives it for the record `read_meetings` reads. Meetings without attendance are left
    out. Only 正式党员 rows (category 'full') can vote; of them, those without a vote on the meeting's day
    (rights.no_vote_ids) are taken back out of the counts from their own rows."""
    where = f"meeting_id IN ({ids_sql})"
    counts: dict[int, tuple[int, str, int, int]] = {
        r[0]: (r[1], r[2], r[3], r[4])
        for r in ledger.rows(
            "SELECT meeting_id, count(*), group_concat(member_id), "
            "count(CASE WHEN status <> 'observer' AND category = 'full' THEN 1 END), "
            "count(CASE WHEN status = 'present' AND category = 'full' THEN 1 END) "
            f"FROM meeting_attendance WHERE {where} GROUP BY meeting_id",
            params,
        )
    }
    withheld = {mid: no_vote_ids(ledger, day) for mid, day in dates.items() if mid in counts and day}
    absent: dict[int, list[Attendance]] = {}
    for meeting_id, member_id, status, reason, category in ledger.rows(
        f"SELECT meeting_id, member_id, status, reason, category FROM meeting_attendance WHERE {where} "
        "AND status IN ('leave', 'absent') ORDER BY id",
        params,
    ):
        no_vote = withheld.get(meeting_id, {}).get(member_id)
        absent.setdefault(meeting_id, []).append(
            Attendance(member_id, status, reason, category, names.get(member_id, ""), no_vote)
        )
    out: dict[int, Tally] = {}
    for meeting_id, (n, ids, expected, present) in counts.items():
        listed = frozenset(map(int, ids.split(",")))  # in C: 34,000 ids at 500 members, 20 years
        no_vote_then = withheld.get(meeting_id, {})
        away = tuple(absent.get(meeting_id, ()))
        if no_vote_then and not listed.isdisjoint(no_vote_then):
            # the rows of those who cannot vote that day: out of the counts the SQL made
            held = [i for i in no_vote_then if i in listed]
            for status, category in ledger.rows(
                f"SELECT status, category FROM meeting_attendance WHERE meeting_id=? "
                f"AND member_id IN ({', '.join('?' * len(held))})",
                (meeting_id, *held),
            ):
                if category == "full":
                    expected -= status != "observer"
                    present -= status == "present"
        out[meeting_id] = Tally(n, listed, away, expected, present, sum(1 for a in away if a.can_vote))
    return out
