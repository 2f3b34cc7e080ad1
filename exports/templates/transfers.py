"""`transfer-letter` 党员组织关系介绍信 (one transfer) and `transfer-register` 介绍信存根登记簿 (a year).

The letter follows the 3-联 form of 组通字〔2006〕45号 (RULES-EXT.md ZZ05, RULES.md §6.7): 存根, 介绍信 and 回执 on one A4
page, cut apart along dashed lines, each with the same 第X号; 党费已交到 and 有效期 in 大写. For a letter received
(转入) it prints the 回执 the receiving side sends back (ZZ06). The register lists every letter of a year (ZZ12)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db import branch, clock, members, transfers
from db.dates import fmt_zh
from db.transfers import Transfer
from exports.registry import ParamError, Params, Template, register
from exports.report import Block, Column, CutLine, Paragraph, Report, Table

if TYPE_CHECKING:
    from db.connection import Ledger

BLANK = "________"
CUT = "沿此虚线剪开（骑缝处加盖公章）"


def _transfer(ledger: Ledger, p: Params) -> Transfer:
    if p.transfer_id is None:
        raise ParamError("请指定组织关系转接记录（--transfer 编号）")
    try:
        return transfers.get_transfer(ledger, p.transfer_id)
    except Exception:  # noqa: BLE001 - InputRefused: the record does not exist
        raise ParamError(f"组织关系转接记录 {p.transfer_id} 不存在") from None


def _or_blank(value: Any) -> str:
    text = str(value or "").strip()
    return text or BLANK


def _receipt_part(t: Transfer, name: str, addressee: str, *, signed_by: str | None) -> list[Block]:
    day = fmt_zh(t.receipt_on) if t.receipt_on else "______年____月____日"
    return [
        Paragraph(
            f"{addressee}：\n\n{name}同志的党员组织关系已转达我处。",
            heading=f"中国共产党党员组织关系介绍信（回执）　　第{_or_blank(t.number)}号",
        ),
        Paragraph(f"（盖章）\n{day}", align="right"),
        Paragraph(f"经办人：{_or_blank(signed_by)}　　　　联系电话：{BLANK}"),
    ]


def build_letter(ledger: Ledger, p: Params) -> Report:
    t = _transfer(ledger, p)
    m = members.get(ledger, t.member_id)
    day = t.issued_on or t.transfer_on
    if t.direction == "in":
        return Report(
            title="党员组织关系介绍信回执",
            subtitle=f"{branch.branch_name(ledger)}　　来信第{_or_blank(t.number)}号",
            blocks=_receipt_part(t, m.name, _or_blank(t.from_org), signed_by=t.handled_by),
            footer_note="回执由接收党员的基层党委在接收后一个月内寄（传）回开具介绍信的党委（RULES-EXT ZZ06）。",
            sheet_name="回执",
        )
    age = m.age(day)
    gender = m.gender_label or BLANK
    ident = m.id_number or BLANK
    category = t.category_label
    dues = transfers.upper_month(t.dues_paid_through) or BLANK
    days = transfers.upper_number(t.valid_days or transfers.valid_days_setting(ledger))
    issuer = transfers.issuer_name(ledger)
    from_org = _or_blank(t.from_org)
    to_org = _or_blank(t.to_org)
    number = t.number
    blocks: list[Block] = [
        Paragraph(
            f"{m.name}同志，{category}，组织关系由{from_org}转到{to_org}。\n"
            f"党费已交到{dues}；有效期{days}天。\n"
            f"经办人：{_or_blank(t.handled_by)}　　　　{fmt_zh(day)}",
            heading=f"中国共产党党员组织关系介绍信（存根）　　第{number}号",
        ),
        Paragraph(
            "回执收到："
            + (
                f"{fmt_zh(t.receipt_on)}（经办人：{_or_blank(t.receipt_by)}）"
                if t.receipt_on
                else "（贴回执联处）"
            ),
            align="right",
        ),
        CutLine(CUT),
        Paragraph(
            f"{_or_blank(t.addressee or t.to_org)}：\n\n"
            f"{m.name}同志（{gender}，{age if age is not None else '__'}岁，{m.ethnicity or BLANK}，{category}，"
            f"身份证号码{ident}）的党员组织关系由{from_org}去{to_org}，请接洽。\n"
            f"该同志党费已交到{dues}。\n"
            f"（有效期{days}天）",
            heading=f"中国共产党党员组织关系介绍信　　第{number}号",
        ),
        Paragraph(f"（盖章）\n{fmt_zh(day)}", align="right"),
        Paragraph(
            f"党员联系电话或其他联系方式：{_or_blank(m.phone)}\n"
            f"党员原所在基层党委通讯地址：{BLANK}{BLANK}　联系电话：{BLANK}　传真：{BLANK}　邮编：{BLANK}"
        ),
        CutLine(CUT),
        *_receipt_part(
            Transfer("out", t.member_id, t.transfer_on, letter_year=t.letter_year, letter_seq=t.letter_seq),
            m.name,
            issuer or from_org,
            signed_by=None,
        ),
    ]
    return Report(
        title="党员组织关系介绍信",
        subtitle=f"{issuer}　　{t.channel and transfers.CHANNEL_LABELS.get(t.channel, '')}",
        blocks=blocks,
        footer_note="介绍信由具有审批预备党员权限的基层党委开具并盖章（RULES-EXT ZZ03）；党费交到和有效期用大写（ZZ05）。"
        "有效期天数为地方惯例，在“设置”中调整。",
        sheet_name="介绍信",
    )


def build_register(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    names = members.names(ledger)
    rows: list[list[Any]] = []
    for t in transfers.list_transfers(ledger, direction="out"):
        if t.letter_year != year:
            continue
        rows.append(
            [
                t.number,
                names.get(t.member_id, ""),
                t.category_label,
                t.issued_on or t.transfer_on,
                t.to_org or "",
                t.dues_paid_through or "",
                t.valid_days,
                t.valid_until,
                t.receipt_on or "未收到",
                t.handled_by or "",
            ]
        )
    ins = [
        [
            t.letter_no or "",
            names.get(t.member_id, ""),
            t.category_label,
            t.transfer_on,
            t.from_org or "",
            t.dues_paid_through or "",
            t.receipt_on or "未寄回",
            t.handled_by or "",
        ]
        for t in transfers.list_transfers(ledger, direction="in", year=year)
    ]
    return Report(
        title=f"{year}年党员组织关系介绍信存根登记簿",
        subtitle=branch.branch_name(ledger),
        orientation="landscape",
        blocks=[
            Table(
                [
                    Column("编号", 1.0, "center"),
                    Column("姓名", 0.9),
                    Column("类别", 0.9, "center"),
                    Column("开具日期", 1.3, kind="date"),
                    Column("转往党组织", 3.0),
                    Column("党费交到", 0.9, "center"),
                    Column("有效期（天）", 0.8, "right", "int"),
                    Column("有效期至", 1.3, kind="date"),
                    Column("回执收到", 1.3, kind="date"),
                    Column("经办人", 0.9),
                ],
                rows,
                heading="一、转出（存根）",
                empty_text="本年没有开具介绍信",
            ),
            Table(
                [
                    Column("来信编号", 1.0, "center"),
                    Column("姓名", 0.9),
                    Column("类别", 0.9, "center"),
                    Column("报到日期", 1.3, kind="date"),
                    Column("来自党组织", 3.0),
                    Column("党费交到", 0.9, "center"),
                    Column("回执寄回", 1.3, kind="date"),
                    Column("经办人", 0.9),
                ],
                ins,
                heading="二、转入",
                empty_text="本年没有转入的党员",
            ),
        ],
        footer_note="存根保存10年（地方惯例，RULES-EXT ZZ12）；介绍信由专人管理，人员变动时交接。回执应在有效期满后一个月内退回。",
        sheet_name="介绍信登记簿",
    )


register(
    Template(
        key="transfer-letter",
        title="党员组织关系介绍信",
        build=build_letter,
        formats=("pdf",),
        needs=("transfer",),
        accepts=("transfer",),
        periodic=False,
        period_note="它是一封介绍信（用 --transfer 指定转接记录）",
        description="存根、介绍信、回执三联，同一编号，虚线剪开；转入记录打印寄回的回执",
        sensitive=("公民身份号码", "手机号"),
        choices=transfers.transfer_choices,
    )
)
register(
    Template(
        key="transfer-register",
        title="介绍信存根登记簿",
        build=build_register,
        needs=("year",),
        accepts=("year",),
        periodic=False,
        period_note="登记簿按年度编号",
        description="本年开具的组织关系介绍信（编号、转往、党费交到、有效期、回执）和转入的党员",
    )
)
