"""学时 from a sheet (XS01): the lists 党校 and online platforms hand out — 姓名, 日期, 名称, 学时 and optionally 形式,
组织单位, 佐证 — read by their Chinese headers in any order, checked row by row, imported all or nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import members as members_mod
from db.dates import DateParseError, parse_date
from db.errors import InputRefused, Problem
from db.members.import_sheet import cell_text
from db.rules.orglife import STUDY_FORM_LABELS, to_hours
from db.study.model import StudyRecord
from db.study.store import validate_record, write_record

if TYPE_CHECKING:
    from db.connection import Ledger

HEADERS = {
    "name": ("姓名", "党员姓名"),
    "held_on": ("日期", "培训日期", "学习日期", "时间"),
    "title": ("名称", "培训名称", "课程名称", "学习内容", "培训班名称"),
    "hours": ("学时", "学时数", "课时"),
    "form": ("形式", "培训形式", "学习形式"),
    "organizer": ("组织单位", "主办单位", "举办单位"),
    "evidence": ("佐证", "佐证材料", "证明材料", "备注"),
}
REQUIRED = ("name", "held_on", "title", "hours")
FORMS = {label: code for code, label in STUDY_FORM_LABELS.items()}


def _norm(text: object) -> str:
    return re.sub(r"[\s*＊:：]", "", str(text or ""))


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    lookup = {_norm(v): k for k, vs in HEADERS.items() for v in vs}
    for i, row in enumerate(rows[:10]):
        found = {lookup[_norm(c)]: j for j, c in enumerate(row) if _norm(c) in lookup}
        if all(k in found for k in REQUIRED):
            return i, found
    return None


def read_sheet(ledger: Ledger, path: Path) -> list[StudyRecord]:
    """The records of the sheet; every problem at once (file, row, column) as InputRefused."""
    import openpyxl

    name = path.name
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb.active
        rows = [list(r) for r in ws.iter_rows(values_only=True)] if ws is not None else []
        wb.close()
    except Exception:
        raise InputRefused(
            [Problem("无法作为 Excel 工作簿（.xlsx）读取；请在 Excel 中另存为 .xlsx 后再试", file=name)]
        ) from None
    head = _header(rows)
    if head is None:
        raise InputRefused([Problem("找不到表头：须有“姓名”“日期”“名称”“学时”四列", file=name)])
    at, cols = head
    people = {m.id: m for m in members_mod.list_members(ledger) if m.id}
    by_name: dict[str, list[int]] = {}
    for mid, m in people.items():
        by_name.setdefault(m.name, []).append(mid)
    labels = {k: HEADERS[k][0] for k in HEADERS}
    out: list[StudyRecord] = []
    problems: list[Problem] = []
    for i, row in enumerate(rows[at + 1 :], start=at + 2):
        cell = {k: (row[j] if j < len(row) else None) for k, j in cols.items()}
        text = {k: cell_text(v) for k, v in cell.items()}
        if not any(text.values()):
            continue
        here: list[Problem] = []
        ids = by_name.get(text["name"], [])
        if len(ids) != 1:
            why = "花名册中没有此人" if not ids else "花名册中有同名党员，请在程序中逐条登记"
            here.append(Problem(f"“{text['name']}”：{why}", row=i, column=labels["name"], file=name))
        try:
            day = parse_date(cell["held_on"]) if text["held_on"] else None
            if day is None:
                here.append(Problem("请填写日期", row=i, column=labels["held_on"], file=name))
        except DateParseError as e:
            day = None
            here.append(Problem(str(e), row=i, column=labels["held_on"], file=name))
        form = FORMS.get(text.get("form") or "", "central" if not text.get("form") else "")
        if not form:
            allowed = "、".join(STUDY_FORM_LABELS.values())
            here.append(Problem(f"形式只能是{allowed}", row=i, column=labels["form"], file=name))
        try:
            hours = to_hours(text["hours"])
        except ValueError as e:
            hours = None
            here.append(Problem(str(e), row=i, column=labels["hours"], file=name))
        if not text["title"]:
            here.append(Problem("请填写名称", row=i, column=labels["title"], file=name))
        if here or day is None or hours is None:
            problems += here
            continue
        rec = StudyRecord(
            ids[0],
            day,
            text["title"],
            hours,
            form,
            text.get("organizer") or None,
            text.get("evidence") or None,
        )
        for p in validate_record(ledger, rec, people):
            p.row, p.file = i, name
            problems.append(p)
        out.append(rec)
    if problems:
        raise InputRefused(problems, "学时表有误，未导入任何记录")
    if not out:
        raise InputRefused([Problem("表中没有学时记录", file=name)])
    return out


def import_records(ledger: Ledger, path: Path, *, dry_run: bool = False) -> int:
    """ImportStudyRecords: all rows or none."""
    records = read_sheet(ledger, path)
    if dry_run:
        return len(records)
    with ledger.operation("ImportStudyRecords", f"导入学时表 {path.name}（{len(records)}条）"):
        for r in records:
            write_record(ledger, r)
    return len(records)
