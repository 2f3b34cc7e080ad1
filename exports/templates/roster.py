"""`roster` 党员花名册 — the 16 items of the 2017 采集表 laid out as the 汇总表 columns (RULES.md §6.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db import branch, members
from db.dates import fmt_zh, fmt_zh_month
from exports.registry import Params, Template, register
from exports.report import Column, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger

# Widths are in points at the 8 pt table font on landscape A4 (762 pt across), measured with the embedded font
# plus the cell padding: every ID number and phone number fits on one line, a date breaks after its year
# (1985年 / 3月5日), 人员类别/党籍状态 break cleanly into two lines of two characters; names of places and jobs
# wrap. Column widths are relative (the PDF scales them to the page), hence the division. 所在党支部 is in the
# workbook (the 汇总表 has it in every row) but printed once, in the heading.
PT = 36
COLUMNS = [
    Column("序号", 16 / PT, "center", "int"),
    Column("姓名", 30 / PT, "center"),
    Column("所在党支部", 54 / PT, pdf=False),
    Column("公民身份号码", 88 / PT, "center"),
    Column("性别", 16 / PT, "center"),
    Column("民族", 22 / PT, "center"),
    Column("出生日期", 41 / PT, "center", "date"),
    Column("学历", 38 / PT, "center"),
    Column("人员类别", 22 / PT, "center"),
    Column("加入党组织日期", 41 / PT, "center", "date"),
    Column("转为正式党员日期", 41 / PT, "center", "date"),
    Column("工作岗位", 32 / PT),
    Column("手机号", 56 / PT, "center"),
    Column("固定电话", 59 / PT, "center"),
    Column("家庭住址", 96 / PT),
    Column("党籍状态", 22 / PT, "center"),
    Column("是否为失联党员", 24 / PT, "center"),
    Column("失去联系日期", 30 / PT, "center"),
    Column("是否为流动党员", 24 / PT, "center"),
    Column("外出流向", 28 / PT),
    Column("备注", 32 / PT),
]


# Left out of the masked roster altogether: even a partly masked ID number (first 3 and last 4 digits) next
# to the birth date leaves only a few hundred candidates, and the issue says none "anywhere".
PERSONAL = ("公民身份号码", "手机号", "固定电话", "家庭住址")


def build(ledger: Ledger, p: Params) -> Report:
    on = p.as_of_date()
    bname = branch.branch_name(ledger)
    rows = []
    for i, r in enumerate(members.roster_on(ledger, on), start=1):
        m = r.member
        rows.append(
            [
                i,
                m.name,
                bname,
                m.id_number or "",
                m.gender_label,
                m.ethnicity,
                m.birth_date,
                m.education,
                members.CATEGORY_LABELS[r.category],
                m.joined_on,
                m.full_on if r.category == "full" else None,
                m.job,
                m.phone or "",
                m.landline or "",
                m.address or "",
                "正常" if m.status == "active" else m.status_label,
                "是" if m.lost_contact_since else "否",
                fmt_zh_month(m.lost_contact_since),
                "是" if m.is_mobile else "否",
                m.mobile_destination,
                m.notes,
            ]
        )
    full = sum(1 for r in rows if r[8] == "正式党员")
    note = f"共 {len(rows)} 名党员，其中正式党员 {full} 名、预备党员 {len(rows) - full} 名。"
    columns = COLUMNS
    if p.masked:
        keep = [i for i, c in enumerate(COLUMNS) if c.title not in PERSONAL]
        columns = [COLUMNS[i] for i in keep]
        rows = [[r[i] for i in keep] for r in rows]
        note += "本表为脱敏版，不含身份证号、电话和住址。"
    return Report(
        title="党员花名册",
        subtitle=f"{bname}　　截至{fmt_zh(on)}",
        orientation="landscape",
        blocks=[
            # 8 pt at least (issue #14), lines set close so two-line rows keep 35 members on two pages
            Table(columns, rows, font_size=8 if not p.masked else 9, line_spacing=1.12, cell_padding=1.2),
            Signatures(["填表人", "支部书记"]),
        ],
        footer_note=note,
        sheet_name="党员花名册",
    )


register(
    Template(
        key="roster",
        title="党员花名册",
        build=build,
        accepts=("year", "as_of"),
        period_note="花名册是某一天的在册名单，请用 --as-of 指定截至日期",
        description="全体在册党员的基本信息（全国党员管理信息系统采集项）",
        sensitive=("公民身份号码", "手机号", "固定电话", "家庭住址"),
    )
)
