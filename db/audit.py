"""The audit triggers: every change to a tracked table, inside an operation, leaves its before and after image in
`changes` (and a deleted picture's bytes in `_undo_blobs`) so that undo can reverse it; a write outside an
operation is refused."""

from __future__ import annotations

import sqlite3

# Tables that are bookkeeping, not the secretary's data: never audited, never undone.
UNTRACKED = {"ops", "changes"}


_blob_cache: dict[tuple[int, str], set[str]] = {}


def _blob_columns(conn: sqlite3.Connection, tbl: str) -> set[str]:
    key = (id(conn), tbl)
    if key not in _blob_cache:
        _blob_cache[key] = {
            r[1] for r in conn.execute(f'PRAGMA table_info("{tbl}")') if str(r[2]).upper() == "BLOB"
        }
    return _blob_cache[key]


def _tracked_tables(conn: sqlite3.Connection) -> list[str]:
    """The audited tables: every table with an `id` primary key, not named `_…`, not the operations log."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
        if r[0] not in UNTRACKED
    ]


def audit_trigger_sql(conn: sqlite3.Connection) -> list[str]:
    """Guard + audit triggers for every tracked table (all tables with an `id` primary key, not named `_…`)."""
    stmts: list[str] = []
    keep_blobs = (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_undo_blobs'").fetchone()
        is not None
    )
    for tbl in _tracked_tables(conn):
        info = list(conn.execute(f'PRAGMA table_info("{tbl}")'))
        cols = [r[1] for r in info]
        pk = [r[1] for r in info if r[5]]
        if pk != ["id"]:
            raise RuntimeError(f"table {tbl} must have `id INTEGER PRIMARY KEY` to be audited")
        plain = [r[1] for r in info if str(r[2]).upper() != "BLOB"]

        def obj(prefix: str, plain: list[str] = plain) -> str:
            return "json_object(" + ", ".join(f"'{c}', {prefix}.\"{c}\"" for c in plain) + ")"

        guard = "SELECT RAISE(ABORT, 'write outside an operation') WHERE current_op() IS NULL"
        for ev in ("INSERT", "UPDATE", "DELETE"):
            stmts.append(
                f'CREATE TRIGGER "audit_guard_{tbl}_{ev.lower()}" BEFORE {ev} ON "{tbl}" BEGIN {guard}; END'
            )
        stmts.append(
            f'CREATE TRIGGER "audit_{tbl}_insert" AFTER INSERT ON "{tbl}" BEGIN '
            f"INSERT INTO changes(op_id, tbl, row_id, action, before, after) "
            f"VALUES (current_op(), '{tbl}', NEW.id, 'I', NULL, {obj('NEW')}); END"
        )
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in cols) or "0"
        stmts.append(
            f'CREATE TRIGGER "audit_{tbl}_update" AFTER UPDATE ON "{tbl}" WHEN {changed} BEGIN '
            f"INSERT INTO changes(op_id, tbl, row_id, action, before, after) "
            f"VALUES (current_op(), '{tbl}', NEW.id, 'U', {obj('OLD')}, {obj('NEW')}); END"
        )
        stmts.append(
            f'CREATE TRIGGER "audit_{tbl}_delete" AFTER DELETE ON "{tbl}" BEGIN '
            f"INSERT INTO changes(op_id, tbl, row_id, action, before, after) "
            f"VALUES (current_op(), '{tbl}', OLD.id, 'D', {obj('OLD')}, NULL); END"
        )
        if keep_blobs:
            for col in (r[1] for r in info if str(r[2]).upper() == "BLOB"):
                keep = (
                    "INSERT OR IGNORE INTO _undo_blobs(op_id, tbl, row_id, col, data) "
                    f"VALUES (current_op(), '{tbl}', OLD.id, '{col}', OLD.\"{col}\")"
                )
                stmts.append(
                    f'CREATE TRIGGER "audit_{tbl}_blob_{col}_delete" AFTER DELETE ON "{tbl}" '
                    f'WHEN OLD."{col}" IS NOT NULL BEGIN {keep}; END'
                )
                stmts.append(
                    f'CREATE TRIGGER "audit_{tbl}_blob_{col}_update" AFTER UPDATE OF "{col}" ON "{tbl}" '
                    f'WHEN OLD."{col}" IS NOT NEW."{col}" BEGIN {keep}; END'
                )
    return stmts


def install_audit_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the audit triggers; called inside the migration transaction."""
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'audit\\_%' ESCAPE '\\'"
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    for stmt in audit_trigger_sql(conn):
        conn.execute(stmt)
