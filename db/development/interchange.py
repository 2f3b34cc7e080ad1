"""The interchange section `applicants` (CONTRACT.md §3): every person with personal fields, stage, roster
link, steps (a date, or an object with the date and the step's actor and facts) and the extension; dumped and
loaded in one piece, all or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from db.dates import DateParseError, from_iso, iso, parse_date
from db.development.model import _PERSON, _RECORD, Applicant, StepEntry, _with_entry, validate
from db.development.person import person_of
from db.development.store import _params, list_applicants
from db.errors import InputRefused, Problem
from db.interchange import section
from db.rules import development as rules
from db.rules.development import REPEATABLE, STEP_KEYS

if TYPE_CHECKING:
    from db.connection import Ledger


# In the interchange file the actor of these steps is called `by` (CONTRACT.md: `talked` (`by`)).
ACTOR_KEY = {"talked": "by", "upper_talk": "by", "evaluations": "by", "probation_evaluations": "by"}


KEYS = ["id", *_PERSON, *_RECORD, "notes"]


def _dump_entry(e: StepEntry) -> Any:
    extra: dict[str, Any] = {}
    if e.actor:
        extra[ACTOR_KEY.get(e.key, "actor")] = e.actor
    extra.update(e.facts)
    if e.meeting_id is not None:
        extra["meeting_id"] = e.meeting_id
    if e.override_codes:
        extra["override"] = {"codes": list(e.override_codes), "reason": e.override_reason}
    if not extra:
        return e.date.isoformat()
    return {"date": e.date.isoformat(), **extra}


@section("applicants", order=70)
def dump_applicants(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for a in list_applicants(ledger):
        d: dict[str, Any] = {}
        for k in KEYS:
            v = getattr(a, k)
            d[k] = v.isoformat() if isinstance(v, dt.date) else v
        steps: dict[str, Any] = {}
        for key in STEP_KEYS:
            entries = a.entries(key)
            if not entries:
                continue
            steps[key] = [_dump_entry(e) for e in entries] if key in REPEATABLE else _dump_entry(entries[0])
        d["steps"] = steps
        d["extension"] = (
            None
            if a.ext_decided_on is None
            else {
                "decided_on": iso(a.ext_decided_on),
                "months": a.ext_months,
                "approved_on": iso(a.ext_approved_on),
                "reason": a.ext_reason,
                "override_reason": a.ext_override,
            }
        )
        out.append(d)
    return out


def _parse_entry(key: str, raw: Any, where: str, problems: list[Problem], seq: int = 0) -> StepEntry | None:
    obj = raw if isinstance(raw, dict) else {"date": raw}
    day_raw = obj.get("date")
    if day_raw is None and key == "training":
        day_raw = obj.get("end") or obj.get("start")
    try:
        day = parse_date(day_raw)
    except DateParseError as e:
        problems.append(Problem(str(e), column=where))
        return None
    if day is None:
        problems.append(Problem("缺少日期", column=where))
        return None
    actor_key = ACTOR_KEY.get(key, "actor")
    facts = {k: v for k, v in obj.items() if k not in ("date", actor_key, "meeting_id", "override")}
    if key in ("contacts_assigned", "sponsors_assigned") and facts.get("member_ids") is None:
        facts.pop("member_ids", None)
    override = obj.get("override") or {}
    codes = tuple(str(c) for c in override.get("codes") or [])
    return StepEntry(
        key, day, seq, obj.get(actor_key), facts, obj.get("meeting_id"), codes, override.get("reason")
    )


@dump_applicants.loader  # type: ignore[attr-defined,untyped-decorator]
def load_applicants(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    problems: list[Problem] = []
    rows: list[tuple[Applicant, list[StepEntry]]] = []
    for i, raw in enumerate(value):
        where = f"applicants[{i}]"
        data: dict[str, Any] = {k: raw.get(k) for k in KEYS if k != "id"}
        for k in ("birth_date", "leaving_on", "stopped_on"):
            data[k] = from_iso(data[k])
        data["frontline"] = bool(data["frontline"])
        a = Applicant(id=raw.get("id"), **data)
        a.stage = a.stage or "applicant"
        given_id, given_gender, given_birth = a.id_number, a.gender, a.birth_date
        for p in validate(a, strict_id=False):
            problems.append(Problem(f"{a.name or '（无姓名）'}：{p.message}", column=where))
        a.id_number, a.gender, a.birth_date = given_id, given_gender or a.gender, given_birth or a.birth_date
        ext = raw.get("extension")
        if ext:
            a.ext_decided_on, a.ext_months = from_iso(ext.get("decided_on")), ext.get("months")
            a.ext_approved_on, a.ext_reason = from_iso(ext.get("approved_on")), ext.get("reason")
            a.ext_override = ext.get("override_reason")
        entries: list[StepEntry] = []
        for key, v in (raw.get("steps") or {}).items():
            if v is None:
                continue
            if key in REPEATABLE:
                for n, item in enumerate(v, start=1):
                    e = _parse_entry(key, item, f"{where}.steps.{key}[{n - 1}]", problems, n)
                    if e:
                        entries.append(e)
            else:
                e = _parse_entry(key, v, f"{where}.steps.{key}", problems)
                if e:
                    entries.append(e)
        if raw.get("stage") is None:
            b = _applicant_like(a, entries)
            a.stage = rules.derive_stage(person_of(ledger, b))
        rows.append((a, entries))
    if problems:
        raise InputRefused(problems, "交换文件中的发展党员信息有误，未写入任何内容")
    for a, entries in rows:
        params = _params(a)
        cols = ["id", *params] if a.id is not None else list(params)
        params["id"] = a.id
        cur = ledger.conn.execute(
            f"INSERT INTO applicants({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})", params
        )
        aid = a.id if a.id is not None else int(cur.lastrowid or 0)
        for e in entries:
            ledger.conn.execute(
                "INSERT INTO applicant_steps(applicant_id, step, seq, date, actor, facts, meeting_id, override_codes,"
                " override_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    aid,
                    e.key,
                    e.seq,
                    iso(e.date),
                    e.actor,
                    json.dumps(e.facts, ensure_ascii=False) if e.facts else None,
                    e.meeting_id,
                    ",".join(e.override_codes) or None,
                    e.override_reason,
                ),
            )


def _applicant_like(a: Applicant, entries: list[StepEntry]) -> Applicant:
    from dataclasses import replace

    b = replace(a, steps={}, evaluations=[], probation_evaluations=[])
    for e in entries:
        b = _with_entry(b, e)
    return b
