"""Two shapes every record kind's store repeats: writing a record (insert when new, update when it has an id)
and the dated filter of a list (of a year, up to a day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.connection import Ledger


def write(ledger: Ledger, table: str, values: Mapping[str, Any], row_id: int | None) -> int:
    """INSERT the values as a new row (row_id None) or UPDATE row `row_id` with them; the row's id. Runs in the
    caller's operation. `table` and the keys are the store's own names, never input."""
    cols = list(values)
    if row_id is None:
        cur = ledger.conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            list(values.values()),
        )
        return int(cur.lastrowid or 0)
    ledger.conn.execute(
        f"UPDATE {table} SET {', '.join(f'{k}=?' for k in cols)} WHERE id=?", [*values.values(), row_id]
    )
    return row_id


def dated(column: str, year: int | None, until: dt.date | None) -> tuple[list[str], list[object]]:
    """WHERE terms and their parameters: `column` (an ISO date) in `year`, and on or before `until`."""
    where: list[str] = ["1=1"]
    params: list[object] = []
    if year is not None:
        where.append(f"{column} BETWEEN ? AND ?")
        params += [f"{year}-01-01", f"{year}-12-31"]
    if until is not None:
        where.append(f"{column} <= ?")
        params.append(until.isoformat())
    return where, params
