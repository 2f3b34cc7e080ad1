"""Load checks of the issue #18 sections that a schema cannot say: a month of 党费 recorded once per member in
`mobility.dues_elsewhere`, and never both there and in `dues_payments` (LD08: each member-month in one org)."""

from __future__ import annotations

from typing import Any

from db.errors import Problem


def check(doc: Any) -> list[Problem]:
    if not isinstance(doc, dict) or not isinstance(doc.get("mobility"), dict):
        return []
    rows = doc["mobility"].get("dues_elsewhere")
    if not isinstance(rows, list):
        return []
    paid_here = {
        (p.get("member_id"), p.get("month")) for p in doc.get("dues_payments") or [] if isinstance(p, dict)
    }
    seen: dict[tuple[Any, Any], int] = {}
    out: list[Problem] = []
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            continue
        key = (r.get("member_id"), r.get("month"))
        where = f"mobility.dues_elsewhere[{i}].month"
        if key in seen:
            out.append(
                Problem(
                    f"党员 {key[0]} 的 {key[1]} 已在 mobility.dues_elsewhere[{seen[key]}] 中登记",
                    column=where,
                )
            )
        else:
            seen[key] = i
        if key in paid_here:
            out.append(
                Problem(
                    f"党员 {key[0]} 的 {key[1]} 党费已在 dues_payments 中登记为本支部收取，不能同时记为在流入地交纳（每月党费只在一处交纳）",
                    column=where,
                )
            )
    return out
