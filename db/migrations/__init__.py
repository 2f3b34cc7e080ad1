"""Numbered schema migrations, tracked in `PRAGMA user_version`.

Each step is a file `NNNN_name.sql` (statements) or `NNNN_name.py` (with `upgrade(conn)`) in this folder.
Steps are applied in order inside one exclusive transaction; the caller snapshots the file first and runs
`integrity_check` after. Released steps are never edited: a change is a new step.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(sql|py)$")


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    path: Path


def _discover() -> list[Step]:
    steps = []
    for p in HERE.iterdir():
        m = _NAME.match(p.name)
        if m:
            steps.append(Step(int(m.group(1)), m.group(2), p))
    steps.sort(key=lambda s: s.version)
    versions = [s.version for s in steps]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migration steps share a number: {versions}")
    return steps


STEPS = _discover()
LATEST = STEPS[-1].version if STEPS else 0


def split_sql(script: str) -> list[str]:
    """Split a script into complete statements (triggers with inner semicolons stay whole)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise RuntimeError(f"incomplete SQL statement at end of migration: {buf[:80]!r}")
    return out


def apply_step(conn: sqlite3.Connection, step: Step) -> None:
    if step.path.suffix == ".sql":
        for stmt in split_sql(step.path.read_text(encoding="utf-8")):
            conn.execute(stmt)
    else:
        module = importlib.import_module(f"db.migrations.{step.path.stem}")
        module.upgrade(conn)


def migrate(conn: sqlite3.Connection, goal: int = LATEST) -> list[int]:
    """Bring the file from its user_version up to `goal` in one exclusive transaction."""
    from db.connection import install_audit_triggers

    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    todo = [s for s in STEPS if current < s.version <= goal]
    if not todo:
        return []
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("BEGIN EXCLUSIVE")
    try:
        for step in todo:
            apply_step(conn, step)
        install_audit_triggers(conn)
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key problems after migration: {problems[:5]}")
        conn.execute(f"PRAGMA user_version={goal}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
    return [s.version for s in todo]
