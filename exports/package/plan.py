"""What a package holds: every periodic template of the registry (xlsx and pdf, numbered under 报表/) and the
per-record templates (会议记录, 发展党员纪实表: one pdf per record of the year, `record_ids`), each with its
relative path in the folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from exports.package.manifest import REPORTS_DIR, safe_name

if TYPE_CHECKING:
    from exports.registry import Template


# Per-record templates that are blank forms printed before the event, not records of it.
PER_RECORD_SKIP = frozenset({"sign-in"})


ACTIVE_STAGES = frozenset({"applicant", "activist", "candidate", "probationary"})


def _dates_in(node: Any) -> Iterator[str]:
    if isinstance(node, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _dates_in(v)
    elif isinstance(node, list):
        for v in node:
            yield from _dates_in(v)


def record_ids(doc: dict[str, Any], need: str, year: int) -> list[int]:
    """The records of the year a per-record template is made for.

    meeting: the meetings held in the year whose record is finalised (all of the year if the ledger keeps no
    finalisation date). applicant: everyone with a development step dated in the year, or still in the process
    (申请人 to 预备党员) and started by the end of the year.
    """
    y = str(year)
    if need == "meeting":
        meetings = [m for m in doc.get("meetings") or [] if str(m.get("date") or "")[:4] == y]
        if any("finalized_on" in m for m in meetings):
            meetings = [m for m in meetings if m.get("finalized_on")]
        return [int(m["id"]) for m in sorted(meetings, key=lambda m: (m.get("date") or "", m["id"]))]
    if need == "applicant":
        out = []
        for a in doc.get("applicants") or []:
            dates = sorted(_dates_in(a.get("steps") or {}))
            in_year = any(d.startswith(y) for d in dates)
            ongoing = a.get("stage") in ACTIVE_STAGES and bool(dates) and dates[0] <= f"{y}-12-31"
            if in_year or ongoing:
                out.append(int(a["id"]))
        return out
    return []


def _record_label(doc: dict[str, Any], need: str, rid: int) -> str:
    if need == "meeting":
        for m in doc.get("meetings") or []:
            if m.get("id") == rid:
                return f"{m.get('date') or ''}_{safe_name(str(m.get('topic') or ''), 16)}_{rid}".strip("_")
    if need == "applicant":
        for a in doc.get("applicants") or []:
            if a.get("id") == rid:
                return f"{safe_name(str(a.get('name') or ''), 10)}_{rid}"
    return str(rid)


def _templates_plan(doc: dict[str, Any], year: int) -> list[tuple[Template, int | None, str, str]]:
    """(template, record id, relative path, format) for every file to render, in registry order."""
    from exports import registry

    plan: list[tuple[Template, int | None, str, str]] = []
    used: set[str] = set()
    n = 0
    for t in registry.templates():
        per_record = [x for x in t.needs if x in ("meeting", "applicant")]
        if not per_record:
            if not t.periodic:
                continue
            n += 1
            stem = f"{n:02d}_{safe_name(t.title, 30)}"
            if stem in used:
                stem = f"{stem}_{t.key}"
            used.add(stem)
            for fmt in t.formats:
                plan.append((t, None, f"{REPORTS_DIR}/{stem}.{fmt}", fmt))
        elif len(per_record) == 1 and t.key not in PER_RECORD_SKIP:
            need = per_record[0]
            sub = safe_name(t.title, 20)
            fmt = "pdf" if "pdf" in t.formats else t.formats[0]
            for rid in record_ids(doc, need, year):
                plan.append((t, rid, f"{sub}/{_record_label(doc, need, rid)}.{fmt}", fmt))
    return plan
