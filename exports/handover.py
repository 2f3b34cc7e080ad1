"""交接清单: the list the outgoing secretary hands to the incoming one (换届/书记交接), part of the `handover`
package. Open findings, pending development steps, arrears, undone 整改, the ledger copy handed over, and
signature lines for 原书记 and 新书记 (and the upper committee's witness)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from db.dates import fmt_zh
from exports.report import Column, KeyValues, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger
    from db.findings import Finding

NOT_IN_APP = "（本版本台账不记录此项）"


def _pick(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        v = d.get(k)
        if v not in (None, ""):
            return v
    return None


def _date(v: Any) -> Any:
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return v
    return v


def _dec(v: Any) -> Decimal:
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _call(module: str, fn: str, *args: Any) -> Any:
    import importlib

    try:
        return getattr(importlib.import_module(module), fn)(*args)
    except (ModuleNotFoundError, AttributeError):
        return None


def arrears_rows(ledger: Ledger, year: int, as_of: dt.date) -> list[list[Any]] | None:
    """Members who paid less than was due for the months of the year that have ended by `as_of` (from the dues
    report of CONTRACT.md §2): name, due, paid, arrears, the unpaid months."""
    report = _call("db.dues", "dues_report", ledger, year)
    if report is None:
        return None
    next_day = as_of + dt.timedelta(days=1)
    cutoff = f"{next_day.year:04d}-{next_day.month:02d}"  # months before this one have ended
    rows = []
    for m in report.get("members") or []:
        months = [x for x in m.get("months") or [] if str(x.get("month", "")) < cutoff]
        due = sum((_dec(x.get("due")) for x in months), Decimal(0))
        paid = sum((_dec(x.get("paid")) for x in months), Decimal(0))
        if due > paid:
            unpaid = [x["month"] for x in months if _dec(x.get("due")) > _dec(x.get("paid"))]
            span = (unpaid[0] if len(unpaid) == 1 else f"{unpaid[0]} 至 {unpaid[-1]}") if unpaid else ""
            rows.append(
                [m.get("name"), due, paid, due - paid, f"{span}（{len(unpaid)} 个月）" if unpaid else ""]
            )
    return rows


def handover_report(
    ledger: Ledger, year: int, as_of: dt.date, found: list[Finding], backup: dict[str, Any] | None = None
) -> Report:
    from db import branch, members

    b = branch.require_branch(ledger)
    counts = members.counts_on(ledger, as_of)
    sec_id = branch.secretary_on(ledger, as_of)
    sec_name = members.names(ledger).get(sec_id, "") if sec_id else ""
    blocks: list[Any] = [
        KeyValues(
            [
                ("党支部", b.name),
                ("上级党组织", b.upper_org or ""),
                ("党员人数", f"{counts['total']} 名（正式 {counts['full']}，预备 {counts['probationary']}）"),
                ("现任书记", sec_name or "（未记录）"),
                ("统计截至", as_of),
                ("交接日期", "　　年　　月　　日"),
                (
                    "台账密码",
                    "已设置：台账文件和交接包中的备份已加密，密码不在交接包中，请当面告知新书记"
                    if getattr(ledger, "encrypted", False)
                    else "未设置",
                ),
            ]
        )
    ]

    open_found = [f for f in found if f.severity in ("error", "warning")]
    blocks.append(
        Table(
            [
                Column("序号", 0.4, "center", "int"),
                Column("类别", 0.5, "center"),
                Column("方面", 0.8),
                Column("事项", 4.0),
                Column("期限", 1.0, "center", "date"),
            ],
            [
                [i, {"error": "问题", "warning": "提醒"}[f.severity], f.area, f.message, f.due]
                for i, f in enumerate(open_found, 1)
            ],
            heading=f"一、尚未解决的问题与提醒（{len(open_found)} 条）",
            empty_text="（无）",
        )
    )

    pending = _call("db.development", "pending_steps", ledger, as_of)
    rows = []
    for i, p in enumerate(pending or [], 1):
        rows.append(
            [
                i,
                _pick(p, "name", "person", "applicant_name", "applicant"),
                _pick(p, "stage_label", "stage"),
                _pick(p, "step_label", "next_step", "step", "label"),
                _date(_pick(p, "due", "due_date", "deadline")),
            ]
        )
    blocks.append(
        Table(
            [
                Column("序号", 0.4, "center", "int"),
                Column("姓名", 0.9, "center"),
                Column("阶段", 0.9, "center"),
                Column("下一步", 3.0),
                Column("期限", 1.0, "center", "date"),
            ],
            rows,
            heading=f"二、发展党员待办步骤（{len(rows)} 项）",
            empty_text=NOT_IN_APP if pending is None else "（无）",
        )
    )

    arrears = arrears_rows(ledger, year, as_of)
    blocks.append(
        Table(
            [
                Column("姓名", 0.9, "center"),
                Column("应交（元）", 1.0, "right", "money"),
                Column("实交（元）", 1.0, "right", "money"),
                Column("欠交（元）", 1.0, "right", "money"),
                Column("欠交月份", 2.2),
            ],
            arrears or [],
            heading=f"三、{year}年党费欠交（截至{fmt_zh(as_of)}已到期的月份，{len(arrears or [])} 人）",
            empty_text=NOT_IN_APP if arrears is None else "（无）",
        )
    )

    rect = _call("db.checklists", "open_rectifications", ledger, year)
    org_life = _call("db.rectifications", "handover_items", ledger, as_of)  # 组织生活会 整改 (issue #17)
    if org_life:
        rect = (rect or []) + org_life
    rrows = []
    for i, r in enumerate(rect or [], 1):
        title = _pick(r, "title", "item_title", "item", "key")
        parent = r.get("parent")
        rrows.append(
            [
                i,
                f"{parent}：{title}" if parent else title,
                _pick(r, "status_label", "status"),
                _pick(r, "rectification", "measure", "action", "problem", "text"),
                _date(_pick(r, "due", "deadline", "due_date")),
            ]
        )
    blocks.append(
        Table(
            [
                Column("序号", 0.4, "center", "int"),
                Column("项目", 2.4),
                Column("自查结果", 0.9, "center"),
                Column("整改措施", 2.6),
                Column("期限", 1.0, "center", "date"),
            ],
            rrows,
            heading=f"四、未完成的整改（{len(rrows)} 项）",
            empty_text=NOT_IN_APP if rect is None else "（无）",
        )
    )

    text = (
        f"随本清单移交：本交接包中 {year} 年度的全部报表、交换文件 data.json，以及台账文件备份"
        "（用支部台账“打开已有台账”即可打开，请先复制到电脑上再打开）。"
    )
    if backup:
        text += (
            f"台账备份文件：{backup['path']}，SHA-256：{backup['sha256'][:16]}…（完整值见 manifest.json）。"
        )
    text += "交接双方核对无误后签字，一份留支部，一份报上级党组织。"
    blocks.append(Paragraph(text, heading="五、移交的材料"))
    blocks.append(Signatures(["原书记", "新书记"]))
    blocks.append(Signatures(["监交人"]))
    return Report(
        title="支部书记工作交接清单",
        subtitle=f"{b.name}　　截至{fmt_zh(as_of)}",
        blocks=blocks,
        sheet_name="交接清单",
    )
