"""The `meetings` and `planned_meetings` sections of the interchange document (CONTRACT.md §3): each meeting
with its kinds, agenda, decisions, attendance, exclusions, 补学, amendments and attachments (base64, checked
against their sha256), dumped and loaded with ids kept; the load rebuilds the search index.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from db.dates import from_iso, iso
from db.errors import InputRefused, Problem
from db.interchange import insert_row, section
from db.meetings.attachments import _insert_attachment, _sha256
from db.meetings.attendance import RosterCache
from db.meetings.fulltext import rebuild_index
from db.meetings.plans import list_plans
from db.meetings.store import read_meetings
from db.rules.meetings import KINDS

if TYPE_CHECKING:
    from db.connection import Ledger
    from db.meetings.model import Meeting


MEETING_KEYS = [
    "id",
    "date",
    "start_time",
    "end_time",
    "place",
    "host_id",
    "recorder_id",
    "group_id",
    "topic",
    "lecturer",
    "lecture_title",
    "minutes",
    "leftover",
    "observers",
    "notes",
    "source",  # "paper": 补录（据纸质记录）, issue #15
    "expected_count",
    "present_count",
]


def _dump_meeting(r: Any, m: Meeting, attachments: list[Any]) -> dict[str, Any]:
    """One meeting of the document: its row `r` (MEETING_KEYS, entered_on, finalized_on), the meeting as
    read_meetings gives it and its attachment rows."""
    d: dict[str, Any] = {"id": r["id"], "kinds": m.kinds}
    d.update({k: r[k] for k in MEETING_KEYS if k != "id"})
    d["agenda"] = [
        {
            "title": it.title,
            "minutes": it.minutes,
            "speeches": [
                {"speaker_id": s.speaker_id, "speaker_name": s.speaker_name, "gist": s.gist}
                for s in it.speeches
            ],
        }
        for it in m.agenda
    ]
    d["decisions"] = [
        {
            "text": x.text,
            "method": x.method,
            "yes": x.yes,
            "no": x.no,
            "abstain": x.abstain,
            "written": x.written,
            "passed": x.passed,
            "item": x.item,
        }
        for x in m.decisions
    ]
    d["attendance"] = [
        {"member_id": a.member_id, "status": a.status, "reason": a.reason, "category": a.category}
        for a in m.attendance
    ]
    d["excluded"] = [{"member_id": x.member_id, "reason": x.reason} for x in m.excluded]
    d["makeups"] = [{"member_id": k.member_id, "done_on": iso(k.done_on), "note": k.note} for k in m.makeups]
    d["amendments"] = [
        {
            "amended_on": a.amended_on.isoformat(),
            "field": a.field,
            "before": a.before,
            "after": a.after,
            "reason": a.reason,
        }
        for a in m.amendments
    ]
    d["attachments"] = [
        {
            "id": a["id"],
            "kind": a["kind"],
            "name": a["name"],
            "mime": a["mime"],
            "size": a["size"],
            "sha256": a["sha256"],
            "added_on": a["added_on"],
            "deleted_at": a["deleted_at"],
            "data": base64.b64encode(bytes(a["data"])).decode("ascii"),
        }
        for a in attachments
    ]
    d["entered_on"] = r["entered_on"]
    d["finalized_on"] = r["finalized_on"]
    return d


@section("meetings", order=50)
def dump_meetings(ledger: Ledger) -> list[dict[str, Any]]:
    """Every meeting in date order, read together: each table once for all of them (one meeting at a time read
    the roster and eight tables again per meeting: 3.5 s of a 500-member, 20-year package's 1,148 meetings)."""
    rows = ledger.query(
        f"SELECT {', '.join(MEETING_KEYS)}, entered_on, finalized_on FROM meetings ORDER BY date, id"
    )
    read = {m.id: m for m in read_meetings(ledger, "SELECT id FROM meetings")}
    # the files one meeting at a time, as before: all of them at once would hold every photo twice
    with_files = {r[0] for r in ledger.rows("SELECT DISTINCT meeting_id FROM meeting_attachments")}
    return [
        _dump_meeting(
            r,
            read[r["id"]],
            ledger.query("SELECT * FROM meeting_attachments WHERE meeting_id=? ORDER BY id", (r["id"],))
            if r["id"] in with_files
            else [],
        )
        for r in rows
    ]


@dump_meetings.loader  # type: ignore[attr-defined,untyped-decorator]
def load_meetings(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    problems: list[Problem] = []
    loaded: list[int] = []
    cache: RosterCache | None = None
    for i, raw in enumerate(value):
        where = f"meetings[{i}]"
        d = from_iso(raw.get("date"))
        if d is None:
            problems.append(Problem("会议缺少日期", column=where))
            continue
        data = {k: raw.get(k) for k in MEETING_KEYS}
        data["entered_on"] = raw.get("entered_on") or d.isoformat()
        data["finalized_on"] = raw.get("finalized_on")
        insert_row(ledger, "meetings", data)
        mid = int(raw["id"])
        c = ledger.conn
        for k in KINDS:
            if k in (raw.get("kinds") or []):
                c.execute("INSERT INTO meeting_kinds(meeting_id, kind) VALUES (?, ?)", (mid, k))
        for j, it in enumerate(raw.get("agenda") or [], start=1):
            cur = c.execute(
                "INSERT INTO meeting_items(meeting_id, seq, title, minutes) VALUES (?,?,?,?)",
                (mid, j, it.get("title") or "", it.get("minutes")),
            )
            for s_i, s in enumerate(it.get("speeches") or [], start=1):
                c.execute(
                    "INSERT INTO meeting_speeches(item_id, seq, speaker_id, speaker_name, gist) "
                    "VALUES (?,?,?,?,?)",
                    (cur.lastrowid, s_i, s.get("speaker_id"), s.get("speaker_name"), s.get("gist") or ""),
                )
        for j, x in enumerate(raw.get("decisions") or [], start=1):
            passed = x.get("passed")
            c.execute(
                "INSERT INTO meeting_decisions(meeting_id, seq, item_seq, text, method, yes, no, abstain, written, "
                "passed) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    mid,
                    j,
                    x.get("item"),
                    x.get("text") or "",
                    x.get("method"),
                    x.get("yes"),
                    x.get("no"),
                    x.get("abstain"),
                    x.get("written"),
                    None if passed is None else int(bool(passed)),
                ),
            )
        roster_cat: dict[int, str] | None = None
        for a in raw.get("attendance") or []:
            cat = a.get("category")
            if cat is None:
                if roster_cat is None:
                    cache = cache or RosterCache(ledger)
                    roster_cat = {r.id: r.category for r in cache.on(d)}
                cat = roster_cat.get(a["member_id"], "full")
            c.execute(
                "INSERT INTO meeting_attendance(meeting_id, member_id, status, reason, category) "
                "VALUES (?,?,?,?,?)",
                (mid, a["member_id"], a.get("status") or "present", a.get("reason"), cat),
            )
        for x in raw.get("excluded") or []:
            c.execute(
                "INSERT INTO meeting_excluded(meeting_id, member_id, reason) VALUES (?,?,?)",
                (mid, x["member_id"], x.get("reason") or "（未写原因）"),
            )
        makeups = raw.get("makeups")
        if makeups is None:  # a document without follow-ups: each absentee gets an open one
            makeups = [
                {"member_id": a["member_id"]}
                for a in raw.get("attendance") or []
                if a.get("status") in ("leave", "absent")
            ]
        for k in makeups:
            c.execute(
                "INSERT INTO meeting_makeups(meeting_id, member_id, done_on, note) VALUES (?,?,?,?)",
                (mid, k["member_id"], k.get("done_on"), k.get("note")),
            )
        for a in raw.get("amendments") or []:
            c.execute(
                "INSERT INTO meeting_amendments(meeting_id, amended_on, field, before, after, reason) "
                "VALUES (?,?,?,?,?,?)",
                (mid, a["amended_on"], a["field"], a.get("before"), a.get("after"), a.get("reason") or ""),
            )
        for j, a in enumerate(raw.get("attachments") or []):
            try:
                blob = base64.b64decode(a["data"], validate=True)
            except (ValueError, KeyError):
                problems.append(Problem("附件数据不是有效的 base64", column=f"{where}.attachments[{j}]"))
                continue
            if a.get("sha256") and _sha256(blob) != a["sha256"]:
                problems.append(
                    Problem(
                        f"附件“{a.get('name')}”的校验值不符（文件已损坏或被改动）",
                        column=f"{where}.attachments[{j}]",
                    )
                )
                continue
            _insert_attachment(
                ledger,
                mid,
                a.get("name") or "附件",
                blob,
                a.get("kind") or "photo",
                a.get("mime"),
                from_iso(a.get("added_on")) or d,
                a.get("deleted_at"),
                a.get("id"),
            )
        loaded.append(mid)
    if problems:
        raise InputRefused(problems, "交换文件中的会议记录有误，未写入任何内容")
    rebuild_index(ledger)


@section("planned_meetings", order=55)
def dump_plans(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "date": iso(p.date),
            "kinds": [k for k in KINDS if k in p.kinds],
            "topic": p.topic,
            "group_id": p.group_id,
            "notes": p.notes,
        }
        for p in list_plans(ledger)
    ]


@dump_plans.loader  # type: ignore[attr-defined,untyped-decorator]
def load_plans(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for p in value:
        insert_row(
            ledger,
            "planned_meetings",
            {
                "id": p.get("id"),
                "date": p["date"],
                "kinds": ",".join(k for k in KINDS if k in (p.get("kinds") or [])),
                "topic": p.get("topic"),
                "group_id": p.get("group_id"),
                "notes": p.get("notes"),
            },
        )
