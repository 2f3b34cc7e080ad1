"""Interchange section `scorecards`: every stored scheme (the scheme file's fields, with its `id`) and the
secretary's checks per year (`checks[]`: `year`, `item_key`, `met`, `score`, `evidence`, `checked_on`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section
from db.scorecards.schemes import _write_scheme, list_schemes, scheme_from_json, scheme_to_json

if TYPE_CHECKING:
    from db.connection import Ledger

CHECK_KEYS = ("year", "item_key", "met", "score", "evidence", "checked_on")


@section("scorecards", order=133)
def dump_scorecards(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for s in list_schemes(ledger):
        d = scheme_to_json(s)
        del d["format"], d["version"]
        checks = []
        for r in ledger.query("SELECT * FROM scorecard_checks WHERE scheme_id=? ORDER BY year, id", (s.id,)):
            c = {k: r[k] for k in CHECK_KEYS}
            c["met"] = None if c["met"] is None else bool(c["met"])
            checks.append(c)
        out.append({"id": s.id, **d, "checks": checks})
    return out


@dump_scorecards.loader  # type: ignore[attr-defined,untyped-decorator]
def load_scorecards(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    from db.scorecards.schemes import FILE_FORMAT

    for i, entry in enumerate(value):
        s = scheme_from_json({**entry, "format": FILE_FORMAT}, source=f"scorecards[{i}]")
        sid = _write_scheme(ledger, s, entry.get("id"))
        for c in entry.get("checks") or []:
            data = {k: c.get(k) for k in CHECK_KEYS}
            if isinstance(data["met"], bool):
                data["met"] = int(data["met"])
            insert_row(ledger, "scorecard_checks", {"scheme_id": sid, **data})
