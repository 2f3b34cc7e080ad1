"""Plain record ↔ row mapping and the save/delete operations shared by the small record kinds of issue #18
(db/mobility, db/honors, db/care): a dataclass whose fields are the table's columns, dates as `dt.date`,
flags as `bool`. Each store names its own operations; this only spares them the same SQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

from db.dates import from_iso, iso

if TYPE_CHECKING:
    from db.connection import Ledger

T = TypeVar("T")


def columns(cls: type) -> list[str]:
    """The table columns of a record class: every field but `id` and those marked `metadata={"column": False}`."""
    return [f.name for f in dataclasses.fields(cls) if f.name != "id" and f.metadata.get("column", True)]


def from_row(cls: type[T], r: Any, dates: tuple[str, ...] = (), flags: tuple[str, ...] = ()) -> T:
    data: dict[str, Any] = {}
    present = set(r.keys())  # a sqlite3.Row: `in` would test its values
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in present:
            continue
        v = r[f.name]
        if f.name in dates:
            v = from_iso(v)
        elif f.name in flags:
            v = bool(v)
        data[f.name] = v
    return cls(**data)


def params(obj: Any, cols: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in cols:
        v = getattr(obj, k)
        if isinstance(v, dt.date):
            v = iso(v)
        elif isinstance(v, bool):
            v = int(v)
        elif isinstance(v, str):
            v = v.strip() or None
        out[k] = v
    return out


def save(ledger: Ledger, table: str, obj: Any, op_name: str, label: str) -> int:
    """Insert the record (no id) or update it, inside one named operation; sets and returns its id."""
    p = params(obj, columns(type(obj)))
    with ledger.operation(op_name, label) as op:
        if obj.id is None:
            cur = ledger.conn.execute(
                f"INSERT INTO {table} ({', '.join(p)}) VALUES ({', '.join('?' for _ in p)})", list(p.values())
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                f"UPDATE {table} SET {', '.join(f'{k}=?' for k in p)} WHERE id=?", [*p.values(), obj.id]
            )
            op.value = obj.id
    obj.id = int(op.value)
    return int(obj.id)


def delete(ledger: Ledger, table: str, row_id: int, op_name: str, label: str) -> None:
    with ledger.operation(op_name, label):
        ledger.conn.execute(f"DELETE FROM {table} WHERE id=?", (row_id,))


def dump_table(ledger: Ledger, table: str, keys: list[str], order: str = "id") -> list[dict[str, Any]]:
    return [dict(r) for r in ledger.query(f"SELECT {', '.join(keys)} FROM {table} ORDER BY {order}")]
