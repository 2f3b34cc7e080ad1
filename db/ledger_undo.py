"""The change log of a ledger: its operations' history, each one's changes, and undo from the before-images
(the pictures a change removed or replaced kept in `_undo_blobs`). `Ledger.history`, `changes_of`, `undoable`
and `undo_last` are these."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.audit import _blob_columns
from db.errors import LedgerError
from db.ledger_file import _is_disk_fault

if TYPE_CHECKING:
    from db.ledger import Ledger, OpResult


@dataclass
class OpInfo:
    id: int
    name: str
    label: str
    at: str
    undone: bool
    undo_of: int | None
    changes: int


def history(ledger: Ledger, limit: int = 200) -> list[OpInfo]:
    rows = ledger.query(
        """SELECT o.id, o.name, o.label, o.at, o.undone_by, o.undo_of,
                  (SELECT count(*) FROM changes c INDEXED BY changes_op WHERE c.op_id=o.id) AS n
           FROM ops o ORDER BY o.id DESC LIMIT ?""",
        (limit,),
    )
    return [OpInfo(r[0], r[1], r[2], r[3], r[4] is not None, r[5], r[6]) for r in rows]


def changes_of(ledger: Ledger, op_id: int) -> list[sqlite3.Row]:
    return ledger.query(
        "SELECT id, tbl, row_id, action, before, after FROM changes INDEXED BY changes_op WHERE op_id=? "
        "ORDER BY id",
        (op_id,),
    )


def undoable(ledger: Ledger) -> OpInfo | None:
    row = ledger.query_one(
        f"""SELECT o.id FROM ops o WHERE o.undone_by IS NULL AND o.undo_of IS NULL {not_failed(ledger)}
           AND EXISTS (SELECT 1 FROM changes c WHERE c.op_id=o.id) ORDER BY o.id DESC LIMIT 1"""
    )
    if row is None:
        return None
    return op_info(ledger, int(row[0]))


def op_info(ledger: Ledger, op_id: int) -> OpInfo:
    """One operation as `history` lists it (without reading the whole log)."""
    r = ledger.query_one(
        """SELECT o.id, o.name, o.label, o.at, o.undone_by, o.undo_of,
                  (SELECT count(*) FROM changes c INDEXED BY changes_op WHERE c.op_id=o.id) AS n
           FROM ops o WHERE o.id=?""",
        (op_id,),
    )
    assert r is not None
    return OpInfo(r[0], r[1], r[2], r[3], r[4] is not None, r[5], r[6])


def has(ledger: Ledger, table: str, column: str | None = None) -> bool:
    if column is None:
        return (
            ledger.query_one("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,))
            is not None
        )
    return any(r[1] == column for r in ledger.conn.execute(f'PRAGMA table_info("{table}")'))


def not_failed(ledger: Ledger) -> str:
    return "AND o.undo_failed IS NULL" if has(ledger, "ops", "undo_failed") else ""


def kept_blobs(ledger: Ledger, op_id: int, tbl: str, row_id: int) -> dict[str, Any]:
    if not has(ledger, "_undo_blobs"):
        return {}
    rows = ledger.query(
        "SELECT col, data FROM _undo_blobs WHERE op_id=? AND tbl=? AND row_id=?", (op_id, tbl, row_id)
    )
    return {r[0]: r[1] for r in rows}


def undo_last(ledger: Ledger) -> OpResult | None:
    """Reverse the last operation that is not yet undone, from its before-images (and the pictures its
    changes removed or replaced, kept in `_undo_blobs`). An undo that fails is rolled back whole, the
    operation is marked as not undoable (with the reason) and skipped from then on: one failed undo never
    blocks the earlier ones. Raises LedgerError saying so."""
    target = undoable(ledger)
    if target is None:
        return None
    try:
        with ledger.operation("Undo", f"撤销：{target.label}") as op:
            reverse(ledger, target.id)
            ledger.conn.execute("UPDATE ops SET undo_of=? WHERE id=?", (target.id, op.id))
            ledger.conn.execute("UPDATE ops SET undone_by=? WHERE id=?", (op.id, target.id))
            if has(ledger, "_undo_blobs"):
                ledger.conn.execute("DELETE FROM _undo_blobs WHERE op_id IN (?, ?)", (target.id, op.id))
    except sqlite3.Error as e:
        if _is_disk_fault(e) or not has(ledger, "ops", "undo_failed"):
            raise
        reason = f"撤销时数据不一致（{e}）"
        with contextlib.suppress(sqlite3.Error):
            ledger.conn.execute("UPDATE ops SET undo_failed=? WHERE id=?", (reason, target.id))
        raise LedgerError(
            f"“{target.label}”不能撤销：{reason}。台账保持原样；这一步已标记为不能撤销，"
            "再按撤销会处理更早的操作。要回到这一步之前的状态，请用“文件 → 从快照恢复”。"
        ) from e
    return ledger.last_result


def reverse(ledger: Ledger, op_id: int) -> None:
    ledger.conn.execute("PRAGMA defer_foreign_keys=ON")
    # The rows the operation inserted are deleted in the same order as one at a time, each run of them in one
    # table by one `executemany` (a month recorded for 500 members is 500 inserted payments in a row).
    inserted: list[tuple[Any]] = []
    into = ""

    def delete_inserted() -> None:
        if inserted:
            ledger.conn.executemany(f'DELETE FROM "{into}" WHERE id=?', inserted)
            inserted.clear()

    for ch in reversed(changes_of(ledger, op_id)):
        tbl, row_id, action = ch["tbl"], ch["row_id"], ch["action"]
        if action == "I":
            if tbl != into:
                delete_inserted()
                into = tbl
            inserted.append((row_id,))
            continue
        delete_inserted()
        before = json.loads(ch["before"])
        blobs = _blob_columns(ledger.conn, tbl)
        values = {c: v for c, v in before.items() if c not in blobs}
        if blobs:
            values.update(kept_blobs(ledger, op_id, tbl, row_id))
        cols = list(values)
        if action == "U":
            sets = ", ".join(f'"{c}"=?' for c in cols)
            ledger.conn.execute(f'UPDATE "{tbl}" SET {sets} WHERE id=?', [values[c] for c in cols] + [row_id])
        else:  # "D"
            names = ", ".join(f'"{c}"' for c in cols)
            marks = ", ".join("?" for _ in cols)
            ledger.conn.execute(f'INSERT INTO "{tbl}" ({names}) VALUES ({marks})', [values[c] for c in cols])
    delete_inserted()
