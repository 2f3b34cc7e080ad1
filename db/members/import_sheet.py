"""Bring in the Excel roster a secretary already keeps (issue 2 §5; RULES.md §7.1, §7.2).

The sheet is read by the shared tolerant reader (db/sheets: header row below any title rows, on one row or two,
header variants, merged cells, the real extent whatever the `<dimension>` tag says, damaged files and oversized
sheets refused); columns we do not know are listed to the secretary. Every row is read into a `Member`
(sheet_row.py) and checked with `members.validate` (ID checksum and agreement, 加入 after the 18th birthday,
转正 only for 正式党员) and for duplicate 公民身份号码 within the sheet and against the ledger. Problems name the
sheet's own row number and header text. A dry run writes nothing; an import writes every row or none, as one
operation ("ImportMembers").

党小组 named in the sheet that the ledger does not have yet are created in the same operation (a secretary
whose sheet says "第一党小组" expects to find that group afterwards); the dry run lists them as warnings.

A 党费交至/党费缴至 column (the opening balance of issue #15 §1) is recognised as `dues_paid_to` and listed as
not imported until the opening balances exist; `DUES_PAID_TO` is the hook.

`overrides` {(row, header): text} replaces what a cell holds: the GUI feeds the secretary's in-place fixes
through it and validates again, without touching the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from db import clock, members
from db.errors import Problem
from db.members.sheet_row import member_from
from db.sheets import SheetRow, SheetSpec, cell_text, norm_header, read_table
from db.sheets.result import SheetImport

if TYPE_CHECKING:
    from db.connection import Ledger

# field -> the header texts that mean it (normalised: no spaces, no "*", no bracketed notes).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "身份证"),
    "birth_date": ("出生日期", "出生年月"),
    "education": ("学历", "文化程度", "最高学历"),
    "category": ("人员类别", "党员类别", "类别"),
    "joined_on": ("加入党组织日期", "入党时间", "入党日期", "加入党组织时间"),
    "full_on": ("转为正式党员日期", "转正时间", "转正日期", "转为正式党员时间"),
    "job": ("工作岗位", "职务", "工作单位及职务", "工作单位及职务职称"),
    "post": ("党内职务", "现任党内职务"),
    "occupation": ("职业",),
    "frontline": ("生产工作一线", "是否生产工作一线"),
    "phone": ("手机号", "联系电话", "手机号码", "手机", "移动电话"),
    "landline": ("固定电话", "座机"),
    "address": ("家庭住址", "住址", "家庭地址"),
    "status": ("党籍状态",),
    "status_changed_on": ("状态变更日期", "党籍状态变更日期", "停止党籍日期"),
    "group": ("党小组", "所在党小组"),
    "lost_contact": ("是否为失联党员", "是否失联党员", "失联党员"),
    "lost_contact_since": ("失去联系日期", "失联日期", "失去联系时间"),
    "is_mobile": ("是否为流动党员", "是否流动党员", "流动党员"),
    "mobile_destination": ("外出流向", "流向"),
    "notes": ("备注",),
}
# 党费已交至 (issue #15 §1): recognised so the opening balance can be taken from the roster sheet once the
# ledger keeps opening balances; until then the column is listed as not imported.
DUES_PAID_TO = ("党费交至", "党费缴至", "党费已交至", "党费已缴至", "党费交至月份")
MAX_HEADER_SCAN = 30

_LOOKUP = {norm_header(v): k for k, vs in HEADERS.items() for v in vs}


def _classify(text: str) -> str | None:
    return _LOOKUP.get(text)


ROSTER = SheetSpec(
    what="花名册",
    classify=_classify,
    accepts=lambda keys: "name" in keys and len(keys) >= 2,
    header_hint="表头行应含“姓名”，以及“性别”“公民身份号码”“出生日期”“加入党组织日期”等列名（顺序不限）。",
    row_noun="名党员",
)


@dataclass
class ImportResult(SheetImport):
    groups_created: list[str] = field(default_factory=list)


def read_sheet(path: Path, overrides: Mapping[tuple[int, str], str] | None = None) -> ImportResult:
    """Read the sheet into rows by header text (no validation yet). File problems come back as errors."""
    table = read_table(path, ROSTER, overrides)
    res: ImportResult = ImportResult.of(table, kind="members")
    if res.header_row is not None and not res.errors and "id_number" not in res.fields:
        res.warnings.append(
            Problem("表中没有“公民身份号码”列，无法核对身份证号和重复人员", row=res.header_row, file=res.file)
        )
    return res


def import_members(
    ledger: Ledger,
    path: Path,
    dry_run: bool = False,
    *,
    overrides: Mapping[tuple[int, str], str] | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Check (dry_run) or import a roster sheet. All rows or none; problems by the sheet's row and header."""
    from db import branch

    res = read_sheet(path, overrides)
    res.dry_run = dry_run
    if res.errors:
        return res
    if not res.records:
        res.errors.append(
            Problem(f"“{res.file}”的表头下面没有党员数据行。", row=res.header_row, file=res.file)
        )
        return res
    today = today or clock.today()
    fields = res.fields
    raws = res.raw_rows
    groups = {g.name.strip(): g.id for g in branch.list_groups(ledger)}
    new_groups: dict[str, int] = {}  # name -> first row
    existing_ids = {
        r[0]: r[1] for r in ledger.query("SELECT id_number, name FROM members WHERE id_number <> ''")
    }
    existing_names = {r[0] for r in ledger.query("SELECT name FROM members")}
    seen_ids: dict[str, int] = {}
    parsed: list[tuple[SheetRow, members.Member, str | None]] = []

    for rec in res.records:
        m, group_name, problems, warnings = member_from(rec, raws[rec.row], fields, today)
        for p in problems + warnings:
            p.row, p.file = rec.row, res.file
        res.errors += problems
        res.warnings += warnings
        if group_name and group_name not in groups and group_name not in new_groups:
            new_groups[group_name] = rec.row
        if m is None:
            continue
        if m.id_number:
            if m.id_number in seen_ids:
                res.errors.append(
                    Problem(
                        f"与第{seen_ids[m.id_number]}行的公民身份号码重复",
                        row=rec.row,
                        column=fields.get("id_number"),
                        file=res.file,
                        value=m.id_number,
                    )
                )
            else:
                seen_ids[m.id_number] = rec.row
            if m.id_number in existing_ids:
                res.errors.append(
                    Problem(
                        f"台账中已有此公民身份号码的党员“{existing_ids[m.id_number]}”",
                        row=rec.row,
                        column=fields.get("id_number"),
                        file=res.file,
                    )
                )
        elif m.name in existing_names:
            res.warnings.append(
                Problem(
                    f"台账中已有同名党员“{m.name}”（本行无身份证号，无法判断是否同一人）",
                    row=rec.row,
                    column=fields.get("name"),
                    file=res.file,
                )
            )
        parsed.append((rec, m, group_name))

    for gname, row in new_groups.items():
        res.warnings.append(
            Problem(
                f"台账中还没有党小组“{gname}”，导入时将新建",
                row=row,
                column=fields.get("group"),
                file=res.file,
            )
        )
    res.groups_created = list(new_groups)
    if res.errors or dry_run:
        return res

    with ledger.operation("ImportMembers", f"从 Excel 导入 {len(parsed)} 名党员（{res.file}）") as op:
        for new_name in new_groups:
            groups[new_name] = branch.save_group(ledger, branch.PartyGroup(name=new_name))
        for _rec, m, group_name in parsed:
            m.group_id = groups.get(group_name) if group_name else None
            members.insert(ledger, m, validate_first=False)
        op.value = len(parsed)
    res.imported = len(parsed)
    return res


def sheet_headers() -> Iterable[tuple[str, tuple[str, ...]]]:
    """For the guide and the dialog's help: each item and the header texts accepted for it."""
    return HEADERS.items()


__all__ = [
    "HEADERS",
    "ROSTER",
    "ImportResult",
    "SheetRow",
    "cell_text",
    "import_members",
    "norm_header",
    "read_sheet",
    "sheet_headers",
]
