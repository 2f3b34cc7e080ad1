"""The masked profile (脱敏版): which keys are personal, `sensitive_values` that collects every personal value of
a full dump, `masked_document` (data.json with those fields set to null and any value in free text replaced by
its masked form) and `redact_report`, the safety net for a report that forgot `masked`.
"""

from __future__ import annotations

import re
from typing import Any

from exports.report import Images, KeyValues, Paragraph, Report, Table

# Keys whose values are personal data: set to null anywhere in data.json of the masked profile.
SENSITIVE_KEYS = frozenset(
    {
        "id_number",
        "phone",
        "landline",
        "address",
        "base",
        "income",
        "salary",
        "annual_income",
        "monthly_income",
        "income_base",
        "annual_salary",
        # issue #18: the personal reasons and contacts of 流动党员, 纪律处分/组织处置 and 关怀 (db/mobility, db/honors,
        # db/care) — where a member went is kept, why and how to reach them is not
        "away_reason",
        "contact",
        "host_contact",
        "log_note",
        "sanction_reason",
        "disposition_reason",
        "outcome",
        "hardship_detail",
    }
)
# Sections whose free-text `notes` may hold a personal reason (a 处分, a 困难, an illness): set to null there.
PERSONAL_NOTES_SECTIONS = ("mobility", "honors", "discipline", "care")
# Whole blocks of income detail: dropped (set to null) in the masked profile, whatever their shape. The
# 党费核定 worksheet lists basic pay, allowances, bonus, pension, housing fund and income tax per member.
SENSITIVE_BLOCKS = frozenset({"worksheet"})

# Templates that list a dues amount per member: the amount (a fixed share of the after-tax pay) lets a reader
# infer the member's income bracket. Left out of a package built with `totals_only`.
PER_MEMBER_AMOUNT_TEMPLATES = frozenset({"dues-base", "dues", "dues-notice"})
# Interchange sections that carry per-member dues amounts: emptied with `totals_only`.
PER_MEMBER_AMOUNT_SECTIONS = ("dues_bases", "dues_payments")
TOTALS_ONLY_NOTE = "（只报送合计：本条涉及的个人党费金额未列出）"

# Fields whose values are also searched for in free text (notes, findings) and in every report cell.
TEXT_SCRUB_KEYS = ("id_number", "phone", "landline", "address")


def sensitive_values(doc: dict[str, Any]) -> dict[str, str]:
    """Every personal value in a full dump (ID numbers, phones, landlines, addresses) -> its masked form."""
    from db.rules import idcard

    out: dict[str, str] = {}

    def add(key: str, value: Any) -> None:
        if not isinstance(value, str):
            return
        v = value.strip()
        if len(v) < 5:
            return
        if key == "id_number":
            out[v] = idcard.mask(v)
        elif key in ("phone", "landline"):
            out[v] = idcard.mask_phone(v)
        else:
            out[v] = "（已隐去）"

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in TEXT_SCRUB_KEYS:
                    add(k, v)
                else:
                    walk(v)
            if node.get("field") in TEXT_SCRUB_KEYS:  # member history: old values of personal fields
                for k in ("from_value", "to_value"):
                    add(str(node["field"]), node.get(k))
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    return out


class Scrubber:
    """`scrub_text` for one set of values, made once for a whole document or package: each personal value
    replaced everywhere in a text, longest first (a longer value is hidden whole before a shorter one inside
    it is looked for). One regular expression of all the values first says whether a text holds any of them
    at all, and each distinct text is scrubbed once: the plain loop sorted the values and searched each text
    for each of them, 48 million times a value for the 500-member ledger's package (three minutes)."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.ordered = sorted(values, key=len, reverse=True)
        self.probe = re.compile("|".join(re.escape(v) for v in self.ordered)) if self.ordered else None
        self.done: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        got = self.done.get(text)
        if got is None:
            got = text
            if self.probe is not None and self.probe.search(text) is not None:
                for raw in self.ordered:
                    if raw in got:
                        got = got.replace(raw, self.values[raw])
            self.done[text] = got
        return got


def scrubber(values: dict[str, str] | Scrubber) -> Scrubber:
    return values if isinstance(values, Scrubber) else Scrubber(values)


def scrub_text(text: str, values: dict[str, str] | Scrubber) -> str:
    """`text` with every personal value of `values` (value -> masked form) replaced, longest first."""
    return scrubber(values)(text)


def masked_document(doc: dict[str, Any], values: dict[str, str] | Scrubber | None = None) -> dict[str, Any]:
    """data.json of the masked profile: personal and income fields set to null, history of them dropped,
    and any personal value that slipped into free text replaced by its masked form."""
    scrub = scrubber(sensitive_values(doc) if values is None else values)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for k, v in node.items():
                if k in SENSITIVE_BLOCKS or (k in SENSITIVE_KEYS and not isinstance(v, (dict, list))):
                    out[k] = None
                elif k == "history" and isinstance(v, list):
                    out[k] = [
                        walk(h) for h in v if not (isinstance(h, dict) and h.get("field") in SENSITIVE_KEYS)
                    ]
                else:
                    out[k] = walk(v)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str):
            return scrub(node)
        return node

    # walk builds every dict and list anew (only strings, numbers and None are shared with `doc`), so the
    # changes below never reach the caller's document: no deep copy of it first (a second pass over a few
    # million objects of a ten-year ledger)
    result: dict[str, Any] = walk(doc)
    _appraisal_counts(result)
    _transfer_reasons(result)
    for key in PERSONAL_NOTES_SECTIONS:
        if key in result:
            result[key] = _drop_notes(result[key])
    return result


def _drop_notes(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (None if k == "notes" else _drop_notes(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_drop_notes(v) for v in node]
    return node


# 组织关系转接 (issue #18): the reason, notes and 档案 remarks are personal; the letter's facts (number, dates,
# organisations, 党费交到) stay.
TRANSFER_PERSONAL = ("reason", "notes", "archive_checked")


def _transfer_reasons(doc: dict[str, Any]) -> None:
    for t in doc.get("transfers") or []:
        if isinstance(t, dict):
            for k in TRANSFER_PERSONAL:
                if k in t:
                    t[k] = None


def _appraisal_counts(doc: dict[str, Any]) -> None:
    """民主评议: the masked profile carries each year's grades only as counts (issue #17), no name by a grade."""
    from db.appraisals.model import GRADES

    for a in doc.get("appraisals") or []:
        if not isinstance(a, dict):
            continue
        counts = dict.fromkeys((*GRADES, "probationary", "elsewhere", "absent", "ungraded"), 0)
        for r in a.pop("results", None) or []:
            if r.get("grade") in GRADES:
                counts[r["grade"]] += 1
            elif r.get("participation") in ("probationary", "elsewhere", "absent"):
                counts[r["participation"]] += 1
            else:
                counts["ungraded"] += 1
        a["grade_counts"] = counts


def redact_report(report: Report, values: dict[str, str] | Scrubber) -> int:
    """Replace any personal value left in a masked report (a template that forgot `masked`); count them."""
    scrub = scrubber(values)
    if not scrub.values:
        return 0
    count = 0

    def fix(v: Any) -> Any:
        nonlocal count
        if isinstance(v, (str, int)) and not isinstance(v, bool):
            s = str(v)
            new = scrub(s)
            if new != s:
                count += 1
                return new
        return v

    report.title = fix(report.title)
    report.subtitle = fix(report.subtitle)
    report.footer_note = fix(report.footer_note)
    for block in report.blocks:
        if isinstance(block, Table):
            block.rows = [[fix(c) for c in row] for row in block.rows]
            if block.totals:
                block.totals = [fix(c) for c in block.totals]
        elif isinstance(block, KeyValues):
            block.pairs = [(k, fix(v)) for k, v in block.pairs]
        elif isinstance(block, Paragraph):
            block.text = fix(block.text)
        elif isinstance(block, Images):
            for img in block.images:
                img.caption = fix(img.caption)
    return count


def totals_only_document(doc: dict[str, Any]) -> dict[str, Any]:
    """A masked data.json without any per-member dues amount: the dues sections emptied (the year's totals are
    in the manifest's summary)."""
    out = dict(doc)
    for key in PER_MEMBER_AMOUNT_SECTIONS:
        if key in out:
            out[key] = []
    return out


def totals_only_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dues findings (P…, R…) name a member's amounts: their text is replaced, code and severity stay."""
    out = []
    for f in findings:
        code = str(f.get("code") or "")
        if code[:1] in ("P", "R") and code[1:2].isdigit():
            f = {**f, "message": f"党费提醒{TOTALS_ONLY_NOTE}"}
            for k in ("detail", "details", "amount", "amounts"):
                f.pop(k, None)
        out.append(f)
    return out
