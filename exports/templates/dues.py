"""党费 templates (RULES.md §6.2): `dues-base` 月交纳党费数额核定表, `dues` 党费收缴登记表, `dues-notice` 党费收缴公示.

Amounts come from db.dues (the same numbers `ledger dues` prints). Incomes (pay items, deductions, the 税后 base)
are personal data: `dues-base` and `dues` leave them out when masked; `dues-notice` never has them, nor any ID
number.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db import branch, clock, dues
from db.dates import fmt_zh
from db.rules.dues import DEDUCTIONS, KIND_LABELS, PAY_ITEMS, ZERO, month_zh, rate_percent
from exports.registry import Params, Template, register
from exports.report import Column, KeyValues, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger


def _year(p: Params) -> int:
    return p.year or clock.today().year


def _as_of(p: Params, year: int) -> dt.date:
    if p.as_of:
        return p.as_of
    today = clock.today()
    return min(today, dt.date(year, 12, 31) + dt.timedelta(days=1))


def _remark(row: dues.YearRow, rows_of_member: list[dues.DuesBase]) -> str:
    notes: list[str] = []
    b = row.base
    if b is not None and b.kind != "employed":
        notes.append(KIND_LABELS.get(b.kind, b.kind))
        if b.kind == "annual_salary":
            notes.append("按当月实际收入计算")
    if b is not None and b.approval_ref:
        notes.append(f"批准：{b.approval_ref}")
    if b is not None and b.quarterly:
        notes.append("经支部同意按季交纳")
    for change in rows_of_member:
        if change.valid_from:
            notes.append(
                f"{month_zh(change.valid_from)}起每月{change.amount or ZERO:,.2f}元（{change.reason or '调整'}）"
            )
    if b is not None and b.cap_confirmed_on:
        notes.append(f"超过1000元，{fmt_zh(b.cap_confirmed_on)}经书记确认")
    first = next((c for c in row.months if c.belongs), None)
    last = next((c for c in reversed(row.months) if c.belongs), None)
    if first and first.month[5:] != "01":
        notes.append(f"{month_zh(first.month)}起交纳")
    if last and last.month[5:] != "12":
        notes.append(f"交至{month_zh(last.month)}")
    return "；".join(notes)


# ------------------------------------------------------------------------------------------ dues-base


def build_base(ledger: Ledger, p: Params) -> Report:
    year = _year(p)
    bname = branch.branch_name(ledger)
    rows_out: list[list[Any]] = []
    all_bases = dues.bases_of_year(ledger, year)
    money_cols = len(PAY_ITEMS) + len(DEDUCTIONS) + 1
    sums = [ZERO] * money_cols
    total_month = total_year = ZERO
    for i, r in enumerate(dues.year_rows(ledger, year, as_of=_as_of(p, year)), start=1):
        b = r.base
        mine = [x for x in all_bases if x.member_id == r.member_id]
        line: list[Any] = [i, r.name]
        if not p.masked:
            ws = b.worksheet if b else None
            values: list[Decimal | None] = [ws.items.get(k) if ws else None for k, _ in PAY_ITEMS]
            values += [ws.deductions.get(k) if ws else None for k, _ in DEDUCTIONS]
            values.append(b.base if b else None)
            for j, v in enumerate(values):
                if v is not None:
                    sums[j] += v
            line += values
        line += [rate_percent(r.rate) if b else "未核定", r.monthly_due, r.total_due, _remark(r, mine)]
        total_month += r.monthly_due
        total_year += r.total_due
        rows_out.append(line)
    cols = [Column("序号", 0.4, "center", "int"), Column("姓名", 0.75, "center")]
    if not p.masked:
        cols += [Column(label, 0.8, "right", "money") for _, label in PAY_ITEMS]
        cols += [Column(label, 0.75, "right", "money") for _, label in DEDUCTIONS]
        cols.append(Column("税后工资总额（计算基数）", 0.95, "right", "money"))
    cols += [
        Column("交纳比例", 0.55, "center"),
        Column("每月应交纳党费金额", 0.8, "right", "money"),
        Column("共交纳党费（全年应交）", 0.85, "right", "money"),
        Column("备注", 1.6),
    ]
    totals: list[Any] = ["", "合计"] + ([*sums] if not p.masked else []) + ["", total_month, total_year, ""]
    note = (
        f"计算基数为税后工资：应计项目（{'、'.join(label for _, label in PAY_ITEMS)}）减去个人缴纳的社会保险、"
        "住房公积金、企业（职业）年金和个人所得税（中组部办公厅2017年党费工作通知）。在职党员：3000元及以下0.5%，3000元以上至5000元1%，"
        "5000元以上至10000元1.5%，10000元以上2%；离退休：5000元及以下0.5%，以上1%；全额累进，计算到分、四舍五入。"
    )
    if p.masked:
        note += "本表已隐去工资收入明细和计算基数。"
    return Report(
        title="月交纳党费数额核定表",
        subtitle=f"{bname}　　{year}年度",
        orientation="landscape",
        blocks=[
            Table(
                cols,
                rows_out,
                totals=totals if rows_out else None,
                font_size=6.5 if not p.masked else 9,
                empty_text=f"{year}年还没有党费核定",
            ),
            KeyValues(
                [("填报单位（盖章）", bname), ("审核人", ""), ("填报人", ""), ("联系电话", ""), ("日期", "")],
                columns=3,
            ),
        ],
        footer_note=note,
        sheet_name="党费核定表",
    )


# ------------------------------------------------------------------------------------------ dues


def build_register(ledger: Ledger, p: Params) -> Report:
    year = _year(p)
    as_of = _as_of(p, year)
    bname = branch.branch_name(ledger)
    rows_out: list[list[Any]] = []
    month_sums = [ZERO] * 12
    total_due = total_paid = total_short = ZERO
    any_opening = False
    for i, r in enumerate(dues.year_rows(ledger, year, as_of=as_of), start=1):
        line: list[Any] = [i, r.name]
        if not p.masked:
            line.append(r.base.base if r.base and r.base.base is not None else None)
        line += [rate_percent(r.rate) if r.base else "未核定", r.monthly_due]
        for k, c in enumerate(r.months):
            if c.paid:
                line.append(c.paid)
                month_sums[k] += c.paid
            elif not c.belongs:
                line.append("—")
            elif c.opening is not None:  # settled on paper (issue #15)
                line.append({"paid": "期初已交", "elsewhere": "流入地交"}.get(c.opening, "期初"))
                any_opening = True
            elif c.past and c.due > 0:
                line.append("未交")
            else:
                line.append("")
        short = sum((c.short for c in r.months if c.past and not (c.opening and not c.paid)), ZERO)
        total_due += r.total_due
        total_paid += r.total_paid
        total_short += short
        remark = f"交至{month_zh(up)}" if (up := _paid_up_to_in(r)) else ""
        line += [r.total_due, r.total_paid, short if short else None, remark]
        rows_out.append(line)
    cols = [Column("序号", 0.35, "center", "int"), Column("党员姓名", 0.7, "center")]
    if not p.masked:
        cols.append(Column("月工资收入（基数）", 0.8, "right", "money"))
    cols += [Column("执行标准", 0.5, "center"), Column("月应缴", 0.62, "right", "money")]
    cols += [Column(f"{m}月", 0.58, "right", "money") for m in range(1, 13)]
    cols += [
        Column("全年应缴", 0.72, "right", "money"),
        Column("全年实缴", 0.72, "right", "money"),
        Column("欠缴", 0.6, "right", "money"),
        Column("备注", 0.9),
    ]
    totals: list[Any] = (
        ["", "合计"] + ([""] if not p.masked else []) + ["", ""] + [s or None for s in month_sums]
    )
    totals += [total_due, total_paid, total_short or None, ""]
    note = (
        "“—”表示该月不在本支部（尚未接收为预备党员、尚未转入或已转出），“未交”表示该月已过而未交纳。"
        + (
            "“期初”为电子台账起始日期之前、记在纸质台账上的月份，“期初已交”为据纸质台账已交的月份。"
            if any_opening
            else ""
        )
        + f"统计截至{fmt_zh(as_of)}。每笔党费同时记入党员的《党费证》（交纳时间、金额、收款人）。"
    )
    if p.masked:
        note += "本表已隐去工资收入（计算基数）。"
    return Report(
        title="党费收缴登记表",
        subtitle=f"{bname}　　{year}年度",
        orientation="landscape",
        blocks=[
            Table(
                cols,
                rows_out,
                totals=totals if rows_out else None,
                font_size=6.3,
                empty_text=f"{year}年还没有党费记录",
            ),
            Signatures(["收款人", "支部书记"]),
        ],
        footer_note=note,
        sheet_name="党费收缴登记表",
    )


def _paid_up_to_in(r: dues.YearRow) -> str | None:
    """The last month of the year up to which every owed month was paid."""
    up: str | None = None
    for c in r.months:
        if not c.belongs or c.due == 0:
            continue
        if c.paid >= c.due or c.opening == "paid":  # 期初已交: paid on paper
            up = c.month
        else:
            break
    return up


# ------------------------------------------------------------------------------------------ dues-notice


def build_notice(ledger: Ledger, p: Params) -> Report:
    """The yearly 公示 to members: names and amounts only — never ID numbers or incomes."""
    year = _year(p)
    as_of = _as_of(p, year)
    bname = branch.branch_name(ledger)
    rows_out: list[list[Any]] = []
    total_due = total_paid = due_so_far = unpaid = ZERO
    for i, r in enumerate(dues.year_rows(ledger, year, as_of=as_of), start=1):
        up = _paid_up_to_in(r)
        owed_yet = any(c.past and c.due > 0 for c in r.months)
        rows_out.append(
            [
                i,
                r.name,
                r.monthly_due,
                r.total_due,
                r.total_paid,
                f"已交至{month_zh(up)}" if up else ("本年未交" if owed_yet else "尚未到期"),
            ]
        )
        total_due += r.total_due
        total_paid += r.total_paid
        # only months that are over are owed: the current month (a quarterly payer's quarter) is not yet 未收
        due_so_far += sum((c.due for c in r.months if c.past), ZERO)
        unpaid += sum((c.short for c in r.months if c.past), ZERO)
    cols = [
        Column("序号", 0.4, "center", "int"),
        Column("姓名", 1.0, "center"),
        Column("每月应交（元）", 1.0, "right", "money"),
        Column("全年应交（元）", 1.0, "right", "money"),
        Column("全年已交（元）", 1.0, "right", "money"),
        Column("交纳情况", 1.2, "center"),
    ]
    remit_rows: list[list[Any]] = []
    for rr in dues.remittance_rows(ledger, year, as_of=as_of):
        remit_rows.append([rr.label, rr.collected, rr.remitted, rr.paid_on])
    remitted = sum((x.remitted for x in dues.remittance_rows(ledger, year, as_of=as_of)), ZERO)
    text = _notice_headline(year, as_of, total_due, due_so_far, total_paid, unpaid, remitted)
    return Report(
        title=f"{year}年度党费收缴情况公示",
        subtitle=bname,
        blocks=[
            Paragraph(text),
            Table(
                cols,
                rows_out,
                totals=["", "合计", None, total_due, total_paid, ""] if rows_out else None,
                heading="一、党员交纳党费情况",
                empty_text=f"{year}年还没有党费记录",
            ),
            Table(
                [
                    Column("上缴期间", 1.2, "center"),
                    Column("本期收缴（元）", 1.0, "right", "money"),
                    Column("上缴金额（元）", 1.0, "right", "money"),
                    Column("上缴日期", 1.0, "center", "date"),
                ],
                remit_rows,
                heading="二、党费上缴情况",
                empty_text="本年尚无上缴记录",
            ),
            Paragraph(f"{bname}\n\n{fmt_zh(as_of if as_of.year == year else dt.date(year, 12, 31))}"),
        ],
        footer_note="本公示只列姓名和金额，不含身份证号码、收入等个人信息。",
        sheet_name="党费公示",
    )


def _notice_headline(
    year: int,
    as_of: dt.date,
    total_due: Decimal,
    due_so_far: Decimal,
    paid: Decimal,
    unpaid: Decimal,
    remitted: Decimal,
) -> str:
    """The 公示's first paragraph: what was owed by the months that are over, what came in, what is 未收. A month
    still running is not yet owed (arrears count only ended months), so it is named apart, never as 未收."""
    text = f"{year}年本支部全年应收党费 {total_due:,.2f} 元。截至{fmt_zh(as_of)}，"
    running = as_of.year == year and as_of <= dt.date(year, 12, 31)
    if due_so_far or not running:
        text += f"已到期的月份应收 {due_so_far:,.2f} 元，"
    text += f"已收 {paid:,.2f} 元，未收 {unpaid:,.2f} 元"
    if running:
        text += f"（{as_of.month}月尚未结束，当月党费不计入未收"
        text += "；已收含预交的党费）" if paid > due_so_far else "）"
    text += f"；已上缴上级党委 {remitted:,.2f} 元。现予公示，党员如有疑问请向支部组织委员反映。"
    return text


register(
    Template(
        key="dues-base",
        title="月交纳党费数额核定表",
        build=build_base,
        needs=("year",),
        period_note="党费基数每年核定一次，按年度编制",
        description="年初核定：每名党员的工资项目、扣除项目、税后计算基数、交纳比例和每月应交金额",
        sensitive=("工资收入明细", "计算基数"),
    )
)
register(
    Template(
        key="dues",
        title="党费收缴登记表",
        build=build_register,
        needs=("year",),
        period_note="登记表按年度编制，1–12月各占一栏；某一月的交纳情况就在对应的一栏里",
        description="全年每名党员1–12月交纳金额、应缴、实缴、欠缴合计和收款人签字",
        sensitive=("工资收入（计算基数）",),
    )
)
register(
    Template(
        key="dues-notice",
        title="党费收缴公示",
        build=build_notice,
        needs=("year",),
        period_note="公示的是年度党费收缴、上缴情况",
        description="向党员公示的年度党费收缴、上缴情况：只有姓名和金额",
    )
)
