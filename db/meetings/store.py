"""Meeting records in the ledger: reading one whole record (`get_meeting`) and the meeting list, and the named
write operations on a record — CreateMeeting, UpdateMeeting (a draft only), FinalizeMeeting (定稿, a complete
record only) and DeleteMeeting (a draft entered by mistake). Every write rewrites the record's child rows, syncs
its 补学 follow-ups (makeups.py) and keeps the untracked search index `_meetings_fts` (fulltext.py) in step
inside the same transaction. Amendments after 定稿 are in amendments.py.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import clock
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.meetings.attachments import attachments_of
from db.meetings.attendance import _expected_ids, _fill_categories, _names
from db.meetings.fulltext import _index_meeting, _mark_index
from db.meetings.makeups import _sync_makeups
from db.meetings.model import (
    PAPER_LABEL,
    AgendaItem,
    Amendment,
    AttachmentInfo,
    Attendance,
    Decision,
    Exclusion,
    Makeup,
    Meeting,
    Speech,
    _blank,
)
from db.meetings.rights import no_vote_ids
from db.meetings.validation import _refuse_if_invalid, completeness
from db.rules import meetings as rules
from db.rules.meetings import KIND_SHORT, KINDS

if TYPE_CHECKING:
    from db.connection import Ledger


# ------------------------------------------------------------------------------------------ reading


def get_meeting(ledger: Ledger, meeting_id: int, names: dict[int, str] | None = None) -> Meeting:
    """One meeting with everything recorded for it; `names` (member id -> name) saves reading the roster when
    many meetings are read in a row."""
    found = read_meetings(ledger, "SELECT id FROM meetings WHERE id=?", (meeting_id,), names)
    if not found:
        raise KeyError(meeting_id)
    return found[0]


def meetings_between(ledger: Ledger, start: dt.date, end: dt.date) -> dict[int, Meeting]:
    """Every meeting held from `start` to `end` (both included), id -> the whole record as `get_meeting` gives
    it: one read of each table for all of them (the 三会一课台账 lists a year's meetings)."""
    found = read_meetings(
        ledger, "SELECT id FROM meetings WHERE date BETWEEN ? AND ?", (iso(start), iso(end))
    )
    return {m.id: m for m in found if m.id is not None}


def read_meetings(
    ledger: Ledger,
    ids_sql: str,
    params: tuple[Any, ...] = (),
    names: dict[int, str] | None = None,
    *,
    whole: bool = True,
) -> list[Meeting]:
    """Every meeting whose id `ids_sql` selects, each as `get_meeting` gives it, in date and id order: one read
    of each table for all of them (the findings read two years of meetings at once). `whole=False`: without
    the agenda and speeches, the attendance, the amendments, the 补学 and the attachments (left empty) — what
    the checks do not read from the record (they count the attendance in SQLite, tally.py)."""
    names = _names(ledger) if names is None else names
    where = f"meeting_id IN ({ids_sql})"

    def child(sql: str, key: str = "meeting_id") -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {}
        for r in ledger.query(sql, params):
            out.setdefault(r[key], []).append(r)
        return out

    kinds = child(f"SELECT meeting_id, kind FROM meeting_kinds WHERE {where}")
    decisions = child(f"SELECT * FROM meeting_decisions WHERE {where} ORDER BY seq, id")
    excluded = child(f"SELECT * FROM meeting_excluded WHERE {where} ORDER BY id")
    items: dict[int, list[Any]] = {}
    speeches: dict[int, list[Any]] = {}
    attendance: dict[int, list[tuple[Any, ...]]] = {}  # the most rows by far: plain tuples
    amendments: dict[int, list[Any]] = {}
    makeups: dict[int, list[Any]] = {}
    attachments: dict[int, list[AttachmentInfo]] = {}
    if whole:
        items = child(f"SELECT * FROM meeting_items WHERE {where} ORDER BY seq, id")
        speeches = child(
            f"SELECT * FROM meeting_speeches WHERE item_id IN (SELECT id FROM meeting_items WHERE {where}) "
            "ORDER BY seq, id",
            "item_id",
        )
        for a in ledger.rows(
            "SELECT meeting_id, member_id, status, reason, category FROM meeting_attendance "
            f"WHERE {where} ORDER BY id",
            params,
        ):
            attendance.setdefault(a[0], []).append(a)
        amendments = child(f"SELECT * FROM meeting_amendments WHERE {where} ORDER BY id")
        makeups = child(f"SELECT * FROM meeting_makeups WHERE {where} ORDER BY id")
        attachments = attachments_of(ledger, ids_sql, params)
    out: list[Meeting] = []
    for r in ledger.query(f"SELECT * FROM meetings WHERE id IN ({ids_sql}) ORDER BY date, id", params):
        meeting_id = r["id"]
        m = Meeting(
            id=r["id"],
            date=from_iso(r["date"]),
            start_time=r["start_time"],
            end_time=r["end_time"],
            place=r["place"],
            host_id=r["host_id"],
            recorder_id=r["recorder_id"],
            group_id=r["group_id"],
            topic=r["topic"],
            lecturer=r["lecturer"],
            lecture_title=r["lecture_title"],
            minutes=r["minutes"],
            leftover=r["leftover"],
            observers=r["observers"],
            notes=r["notes"],
            entered_on=from_iso(r["entered_on"]),
            finalized_on=from_iso(r["finalized_on"]),
            source=r["source"],
            expected_count=r["expected_count"],
            present_count=r["present_count"],
            names=names,
        )
        got = {k["kind"] for k in kinds.get(meeting_id, ())}
        m.kinds = [k for k in KINDS if k in got]
        for it in items.get(meeting_id, ()):
            item = AgendaItem(it["title"], it["minutes"])
            for sp in speeches.get(it["id"], ()):
                item.speeches.append(Speech(sp["gist"], sp["speaker_id"], sp["speaker_name"]))
            m.agenda.append(item)
        for d in decisions.get(meeting_id, ()):
            m.decisions.append(
                Decision(
                    d["text"],
                    d["method"],
                    d["yes"],
                    d["no"],
                    d["abstain"],
                    d["written"],
                    None if d["passed"] is None else bool(d["passed"]),
                    d["item_seq"],
                )
            )
        rows = attendance.get(meeting_id)
        if rows:
            withheld = no_vote_ids(ledger, m.date) if m.date else {}
            m.attendance.extend(
                Attendance(a[1], a[2], a[3], a[4], names.get(a[1], ""), withheld.get(a[1])) for a in rows
            )
        for x in excluded.get(meeting_id, ()):
            m.excluded.append(Exclusion(x["member_id"], x["reason"], names.get(x["member_id"], "")))
        for a in amendments.get(meeting_id, ()):
            m.amendments.append(
                Amendment(
                    dt.date.fromisoformat(a["amended_on"]), a["field"], a["before"], a["after"], a["reason"]
                )
            )
        for k in makeups.get(meeting_id, ()):
            m.makeups.append(
                Makeup(
                    k["id"], k["member_id"], names.get(k["member_id"], ""), from_iso(k["done_on"]), k["note"]
                )
            )
        m.attachments = attachments.get(meeting_id, [])
        out.append(m)
    return out


@dataclass(frozen=True)
class MeetingRow:
    """One line of the meeting list."""

    id: int
    date: dt.date
    kinds: tuple[str, ...]
    topic: str
    group_id: int | None
    expected: int
    present: int
    finalized_on: dt.date | None
    entered_on: dt.date
    late: bool
    makeups_open: int
    attachments: int
    paper: bool = False  # 补录（据纸质记录）: expected/present are the counts from the paper record

    @property
    def kinds_label(self) -> str:
        return "、".join(KIND_SHORT[k] for k in KINDS if k in self.kinds)

    @property
    def state_label(self) -> str:
        if self.paper:
            return PAPER_LABEL
        s = "已定稿" if self.finalized_on else "草稿"
        return s + ("（补记）" if self.late else "")


def list_meetings(ledger: Ledger, year: int | None = None) -> list[MeetingRow]:
    """The meeting list, newest first (of one year when given). The whole list is kept until an operation
    changes a table it read (Ledger.memo_reads; the 工作台's start-up fill reads it in its thread after the
    findings, for the 三会一课 section's first visit): 1,148 meetings of a 20-year, 500-member ledger are 60-90 ms
    of counting their attendance."""
    if year is None:
        kept: list[MeetingRow] = ledger.memo_reads(
            "meetings.list",
            lambda: _read_list(ledger, None),
            lambda rows, changed, since: _updated_list(ledger, rows, changed, since),
        )
        return list(kept)  # the caller's own list (the rows are frozen)
    return _read_list(ledger, year)


# The tables whose rows name the meeting they belong to, and the field that does: what `_updated_list` follows.
_LIST_TABLES = {
    "meetings": "id",
    "meeting_kinds": "meeting_id",
    "meeting_attendance": "meeting_id",
    "meeting_makeups": "meeting_id",
    "meeting_attachments": "meeting_id",
}
_MOST_CHANGES = 5_000  # more changed rows than this: reading the whole list again costs about the same


def _updated_list(
    ledger: Ledger, rows: list[MeetingRow], changed: set[str], since: int
) -> list[MeetingRow] | None:
    """The kept list brought up to date after operations that changed meetings (saving a record, 定稿, a 补学,
    an attachment, their undo): the meetings whose rows changed are read again, the others kept. Saving one
    record of a 20-year, 500-member ledger read all 1,148 meetings' attendance again when the list was shown
    next: 60-130 ms. None (read afresh) when another table it read changed (the 补记 setting), or too much."""
    if not changed <= _LIST_TABLES.keys():
        return None
    ids: set[int] = set()
    for table in changed:
        images = ledger.changed_fields_since(since, table, (_LIST_TABLES[table],), _MOST_CHANGES)
        if images is None:
            return None
        ids.update(int(image[0]) for pair in images for image in pair if image is not None)
    if not ids:
        return rows
    fresh = _read_list(ledger, None, sorted(ids))
    out = [r for r in rows if r.id not in ids] + fresh
    out.sort(key=lambda r: (r.date, r.id), reverse=True)  # the order the list is read in
    return out


def _read_list(ledger: Ledger, year: int | None, ids: list[int] | None = None) -> list[MeetingRow]:
    late_days = int(ledger.setting("late_entry_days") or 30)
    where, params = "", []
    if year is not None:
        where, params = "WHERE m.date BETWEEN ? AND ?", [f"{year}-01-01", f"{year}-12-31"]
    elif ids is not None:
        where, params = "WHERE m.id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]
    rows = ledger.query(
        f"""SELECT m.id, m.date, m.topic, m.lecture_title, m.group_id, m.finalized_on, m.entered_on,
                  m.source, m.expected_count, m.present_count,
                  (SELECT group_concat(kind) FROM meeting_kinds k WHERE k.meeting_id=m.id) AS kinds,
                  (SELECT count(*) FILTER (WHERE a.status<>'observer') || ' ' || count(*) FILTER (WHERE a.status='present')
                   FROM meeting_attendance a WHERE a.meeting_id=m.id) AS counts,
                  (SELECT count(*) FROM meeting_makeups k WHERE k.meeting_id=m.id AND k.done_on IS NULL) AS mk,
                  (SELECT count(*) FROM meeting_attachments t WHERE t.meeting_id=m.id AND t.deleted_at IS NULL) AS att
           FROM meetings m {where} ORDER BY m.date DESC, m.id DESC""",
        params,
    )
    out = []
    for r in rows:
        # expected and present in one read of the meeting's attendance: two counts read each row of it twice
        # (status is not in the index), 44-63 → 28-36 ms for the 1,148 meetings of a 20-year, 500-member ledger
        exp, pres = map(int, r["counts"].split())
        kinds = tuple(k for k in KINDS if k in (r["kinds"] or "").split(","))
        d = dt.date.fromisoformat(r["date"])
        entered = dt.date.fromisoformat(r["entered_on"])
        out.append(
            MeetingRow(
                r["id"],
                d,
                kinds,
                r["topic"] or r["lecture_title"] or "",
                r["group_id"],
                r["expected_count"] or 0 if r["source"] == "paper" else exp,
                r["present_count"] or 0 if r["source"] == "paper" else pres,
                from_iso(r["finalized_on"]),
                entered,
                r["source"] != "paper" and rules.is_late(d, entered, late_days),
                r["mk"],
                r["att"],
                r["source"] == "paper",
            )
        )
    return out


def meeting_choices(ledger: Ledger) -> list[tuple[int, str]]:
    """(id, "2026年11月5日 支委会：主题") for the export dialog, newest first."""
    return [
        (r.id, f"{fmt_zh(r.date)} {r.kinds_label}" + (f"：{r.topic}" if r.topic else ""))
        for r in list_meetings(ledger)
    ]


# ------------------------------------------------------------------------------------------ writing


def _meeting_params(m: Meeting) -> dict[str, Any]:
    return {
        "date": iso(m.date),
        "start_time": m.start_time,
        "end_time": m.end_time,
        "place": _blank(m.place),
        "host_id": m.host_id,
        "recorder_id": m.recorder_id,
        "group_id": m.group_id,
        "topic": _blank(m.topic),
        "lecturer": _blank(m.lecturer),
        "lecture_title": _blank(m.lecture_title),
        "minutes": _blank(m.minutes),
        "leftover": _blank(m.leftover),
        "observers": _blank(m.observers),
        "notes": _blank(m.notes),
        "source": m.source,
        "expected_count": m.expected_count,
        "present_count": m.present_count,
    }


def _write_children(ledger: Ledger, meeting_id: int, m: Meeting) -> None:
    c = ledger.conn
    for t in ("meeting_kinds", "meeting_items", "meeting_decisions", "meeting_excluded"):
        c.execute(f"DELETE FROM {t} WHERE meeting_id=?", (meeting_id,))
    for k in KINDS:
        if k in m.kinds:
            c.execute("INSERT INTO meeting_kinds(meeting_id, kind) VALUES (?, ?)", (meeting_id, k))
    for i, it in enumerate(m.agenda, start=1):
        cur = c.execute(
            "INSERT INTO meeting_items(meeting_id, seq, title, minutes) VALUES (?,?,?,?)",
            (meeting_id, i, it.title.strip(), _blank(it.minutes)),
        )
        item_id = int(cur.lastrowid or 0)
        for j, s in enumerate(it.speeches, start=1):
            c.execute(
                "INSERT INTO meeting_speeches(item_id, seq, speaker_id, speaker_name, gist) VALUES (?,?,?,?,?)",
                (item_id, j, s.speaker_id, _blank(s.speaker_name), s.gist or ""),
            )
    for i, d in enumerate(m.decisions, start=1):
        c.execute(
            "INSERT INTO meeting_decisions(meeting_id, seq, item_seq, text, method, yes, no, abstain, written, passed) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                meeting_id,
                i,
                d.item,
                d.text.strip(),
                d.method,
                d.yes,
                d.no,
                d.abstain,
                d.written,
                None if d.passed is None else int(d.passed),
            ),
        )
    _write_attendance(ledger, meeting_id, m)
    for x in m.excluded:
        c.execute(
            "INSERT INTO meeting_excluded(meeting_id, member_id, reason) VALUES (?,?,?)",
            (meeting_id, x.member_id, x.reason.strip()),
        )
    _sync_makeups(ledger, meeting_id, m)
    _index_meeting(ledger, meeting_id)


def _write_attendance(ledger: Ledger, meeting_id: int, m: Meeting) -> None:
    """The sign-in rows as the record has them. When the same members are listed in the same order (saving a
    draft whose topic or minutes changed), only the rows that differ are updated: a branch of 500 is not 1,000
    audited writes per save. Otherwise the rows are written afresh in the record's order."""
    c = ledger.conn
    wanted = [(a.member_id, a.status, _blank(a.reason), a.category) for a in m.attendance]
    have = c.execute(
        "SELECT id, member_id, status, reason, category FROM meeting_attendance WHERE meeting_id=? ORDER BY id",
        (meeting_id,),
    ).fetchall()
    if [h[1] for h in have] == [w[0] for w in wanted]:
        for h, w in zip(have, wanted, strict=True):
            if (h[2], h[3], h[4]) != w[1:]:
                c.execute(
                    "UPDATE meeting_attendance SET status=?, reason=?, category=? WHERE id=?", (*w[1:], h[0])
                )
        return
    c.execute("DELETE FROM meeting_attendance WHERE meeting_id=?", (meeting_id,))
    c.executemany(
        "INSERT INTO meeting_attendance(meeting_id, member_id, status, reason, category) VALUES (?,?,?,?,?)",
        [(meeting_id, *w) for w in wanted],
    )


def _op_label(verb: str, m: Meeting) -> str:
    return f"{verb} {fmt_zh(m.date)} {m.kinds_label}".strip()


def create_meeting(ledger: Ledger, m: Meeting) -> int:
    """CreateMeeting. `entered_on` is today unless given (a record entered late is 补记)."""
    _refuse_if_invalid(m)
    _fill_categories(ledger, m)
    entered = m.entered_on or clock.today()
    with ledger.operation("CreateMeeting", _op_label("新建会议记录", m)) as op:
        params = _meeting_params(m) | {"entered_on": entered.isoformat(), "finalized_on": iso(m.finalized_on)}
        cols = list(params)
        cur = ledger.conn.execute(
            f"INSERT INTO meetings({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [params[c] for c in cols],
        )
        mid = int(cur.lastrowid or 0)
        _write_children(ledger, mid, m)
        op.value = mid
    m.id = int(op.value)
    m.entered_on = entered
    return m.id


def _update_row(ledger: Ledger, meeting_id: int, m: Meeting) -> None:
    params = _meeting_params(m)
    sets = ", ".join(f"{k}=?" for k in params)
    ledger.conn.execute(f"UPDATE meetings SET {sets} WHERE id=?", [*params.values(), meeting_id])
    _write_children(ledger, meeting_id, m)


def update_meeting(ledger: Ledger, m: Meeting) -> None:
    """UpdateMeeting: a draft only. After 定稿 a change is an amendment (amend_meeting)."""
    assert m.id is not None
    old = get_meeting(ledger, m.id)
    if old.is_final:
        raise InputRefused(
            [Problem(f"该记录已于{fmt_zh(old.finalized_on)}定稿，修改须作为更正记录（写明原因）")]
        )
    _refuse_if_invalid(m)
    _fill_categories(ledger, m)
    with ledger.operation("UpdateMeeting", _op_label("修改会议记录", m)):
        _update_row(ledger, m.id, m)


def finalize_meeting(ledger: Ledger, meeting_id: int, on: dt.date | None = None) -> None:
    """FinalizeMeeting (定稿): only a complete record; from then on changes are dated amendments."""
    m = get_meeting(ledger, meeting_id)
    if m.is_final:
        return
    lacking = completeness(ledger, m, _expected_ids(ledger, m))
    if lacking:
        raise InputRefused([Problem(x) for x in lacking], "记录还不完整，暂不能定稿")
    with ledger.operation("FinalizeMeeting", _op_label("定稿", m)):
        ledger.conn.execute(
            "UPDATE meetings SET finalized_on=? WHERE id=?", ((on or clock.today()).isoformat(), meeting_id)
        )


def delete_meeting(ledger: Ledger, meeting_id: int) -> None:
    """DeleteMeeting: a draft entered by mistake. A 定稿 record or one with attachments stays."""
    m = get_meeting(ledger, meeting_id)
    if m.is_final:
        raise InputRefused([Problem("已定稿的会议记录不能删除；如有错误请作更正记录")])
    if ledger.scalar("SELECT count(*) FROM meeting_attachments WHERE meeting_id=?", (meeting_id,)):
        raise InputRefused([Problem("该记录有附件（附件保存在台账中，只能标记删除），不能删除整条记录")])
    with ledger.operation("DeleteMeeting", _op_label("删除会议记录", m)):
        ledger.conn.execute("DELETE FROM meetings WHERE id=?", (meeting_id,))
        ledger.conn.execute("DELETE FROM _meetings_fts WHERE meeting_id=?", (meeting_id,))
        _mark_index(ledger)
