"""Full-text search over meeting records: the untracked index `_meetings_fts` (FTS5 trigram) of topics,
minutes, 议题, 发言, 决议 and 遗留问题, kept in step by every write inside its transaction, rebuilt when an undo
left it behind, and `search` with its snippets. (Named fulltext, not search, so the submodule does not shadow
the `search` function the package exports.)
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.meetings.model import CHILD_TABLES
from db.rules.meetings import KIND_SHORT, KINDS

if TYPE_CHECKING:
    from db.connection import Ledger


FTS_FIELDS = {
    "topic": "主题",
    "minutes": "会议内容",
    "item": "议题",
    "decision": "决议",
    "leftover": "遗留问题",
    "speech": "发言",
}


def _index_rows(ledger: Ledger, meeting_id: int) -> list[tuple[str, str]]:
    r = ledger.query_one(
        "SELECT topic, lecture_title, minutes, leftover FROM meetings WHERE id=?", (meeting_id,)
    )
    if r is None:
        return []
    out: list[tuple[str, str]] = []
    topic = "　".join(x for x in (r["topic"], r["lecture_title"]) if x)
    if topic:
        out.append(("topic", topic))
    if r["minutes"]:
        out.append(("minutes", r["minutes"]))
    if r["leftover"]:
        out.append(("leftover", r["leftover"]))
    for it in ledger.query(
        "SELECT id, title, minutes FROM meeting_items WHERE meeting_id=? ORDER BY seq", (meeting_id,)
    ):
        out.append(("item", it["title"] + ("：" + it["minutes"] if it["minutes"] else "")))
        for s in ledger.query("SELECT gist FROM meeting_speeches WHERE item_id=? ORDER BY seq", (it["id"],)):
            if s["gist"]:
                out.append(("speech", s["gist"]))
    for d in ledger.query(
        "SELECT text FROM meeting_decisions WHERE meeting_id=? ORDER BY seq", (meeting_id,)
    ):
        out.append(("decision", d["text"]))
    return out


def _mark_index(ledger: Ledger) -> None:
    op = ledger._op  # noqa: SLF001 - the index records which operation it reflects
    op_id = (
        op.id if op is not None else int(ledger.scalar("SELECT coalesce(max(op_id), 0) FROM changes") or 0)
    )
    ledger.conn.execute(
        "INSERT INTO _meetings_fts_state(id, op_id) VALUES (1, ?) "
        "ON CONFLICT(id) DO UPDATE SET op_id=excluded.op_id",
        (op_id,),
    )


def _index_meeting(ledger: Ledger, meeting_id: int) -> None:
    ledger.conn.execute("DELETE FROM _meetings_fts WHERE meeting_id=?", (meeting_id,))
    for fld, body in _index_rows(ledger, meeting_id):
        ledger.conn.execute(
            "INSERT INTO _meetings_fts(meeting_id, field, body) VALUES (?,?,?)", (meeting_id, fld, body)
        )
    _mark_index(ledger)


def rebuild_index(ledger: Ledger) -> None:
    """Rebuild the whole search index (after an undo or a load; cheap: a few thousand rows)."""
    ledger.conn.execute("DELETE FROM _meetings_fts")
    for (mid,) in ledger.query("SELECT id FROM meetings"):
        for fld, body in _index_rows(ledger, mid):
            ledger.conn.execute(
                "INSERT INTO _meetings_fts(meeting_id, field, body) VALUES (?,?,?)", (mid, fld, body)
            )
    _mark_index(ledger)


def _ensure_index(ledger: Ledger) -> None:
    """The index is untracked, so an undo of a meeting change leaves it behind: rebuild when stale."""
    marks = ",".join(f"'{t}'" for t in CHILD_TABLES)
    seen = ledger.scalar("SELECT op_id FROM _meetings_fts_state WHERE id=1")
    if seen is None:
        last = ledger.scalar(f"SELECT max(op_id) FROM changes WHERE tbl IN ({marks})")
    else:  # only the changes made since the index was marked, by the op_id index (not every meeting change)
        last = ledger.scalar(
            f"SELECT max(op_id) FROM changes INDEXED BY changes_op WHERE op_id > ? AND tbl IN ({marks})",
            (int(seen),),
        )
    if last is not None and (seen is None or int(last) > int(seen)):
        try:
            if ledger._op is None:  # noqa: SLF001
                ledger.conn.execute("BEGIN IMMEDIATE")
                try:
                    rebuild_index(ledger)
                    ledger.conn.execute("UPDATE _meetings_fts_state SET op_id=? WHERE id=1", (int(last),))
                    ledger.conn.execute("COMMIT")
                except BaseException:
                    ledger.conn.execute("ROLLBACK")
                    raise
            else:
                rebuild_index(ledger)
        except sqlite3.OperationalError:  # a read-only reader: search what is there
            pass


@dataclass(frozen=True)
class SearchHit:
    meeting_id: int
    date: dt.date
    kinds: tuple[str, ...]
    topic: str
    field: str
    snippet: str
    spans: tuple[tuple[int, int], ...]  # (start, length) of each match inside `snippet`

    @property
    def field_label(self) -> str:
        return FTS_FIELDS.get(self.field, self.field)

    @property
    def kinds_label(self) -> str:
        return "、".join(KIND_SHORT[k] for k in KINDS if k in self.kinds)


def make_snippet(body: str, terms: list[str], width: int = 24) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A piece of text around the first match, with the (start, length) of every match in it."""
    low = body.lower()
    first = min((low.find(t.lower()) for t in terms if low.find(t.lower()) >= 0), default=0)
    start = max(0, first - width)
    end = min(len(body), first + width * 2)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    text = prefix + body[start:end].replace("\n", " ") + suffix
    spans: list[tuple[int, int]] = []
    tl = text.lower()
    for t in terms:
        t = t.lower()
        i = tl.find(t)
        while i >= 0 and t:
            spans.append((i, len(t)))
            i = tl.find(t, i + len(t))
    return text, tuple(sorted(spans))


def search(ledger: Ledger, text: str, limit: int = 200) -> list[SearchHit]:
    """Search topics, minutes, speeches and decisions. Terms of three characters or more use the FTS5 trigram
    index; one or two characters (which trigram cannot find) use LIKE. Every term must occur in the same field."""
    terms = [t for t in text.split() if t]
    if not terms:
        return []
    _ensure_index(ledger)
    if all(len(t) >= 3 for t in terms):
        query = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
        where, params = "f.body MATCH ?", [query]
    else:
        where = " AND ".join("f.body LIKE ? ESCAPE '\\'" for _ in terms)
        params = ["%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in terms]
    rows = ledger.query(
        f"""SELECT f.meeting_id, f.field, f.body, m.date, m.topic, m.lecture_title,
                   (SELECT group_concat(kind) FROM meeting_kinds k WHERE k.meeting_id=m.id) AS kinds
            FROM _meetings_fts f JOIN meetings m ON m.id = f.meeting_id
            WHERE {where}
            ORDER BY m.date DESC, m.id DESC LIMIT ?""",
        [*params, limit],
    )
    out = []
    for r in rows:
        snippet, spans = make_snippet(r["body"], terms)
        kinds = tuple(k for k in KINDS if k in (r["kinds"] or "").split(","))
        out.append(
            SearchHit(
                r["meeting_id"],
                dt.date.fromisoformat(r["date"]),
                kinds,
                r["topic"] or r["lecture_title"] or "",
                r["field"],
                snippet,
                spans,
            )
        )
    return out
