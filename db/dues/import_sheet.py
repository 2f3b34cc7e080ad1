"""Bring in the 党费收缴登记表 a secretary keeps in Excel (issue #15 §2): a row per member (by 姓名 or 公民身份号码),
a column per month with the amount paid, perhaps a 合计 column, title rows above. Read by the shared tolerant
reader (db/sheets); every row matched to the roster; every problem by the sheet's row and column; all payments
or none, as one operation ("ImportDues", one Ctrl+Z).

The register does not say on which day a month was paid: a payment is dated the last day of its month (today,
for a month not yet over) and its note says it came from the register, so R03 and the as-of views see it in the
month it belongs to and never before."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from db import clock
from db.dates import month_end
from db.dues.book import DuesBook
from db.dues.model import Payment
from db.dues.payments import _insert_payment
from db.rules.dues import ZERO, month_index, month_key_of
from db.sheets import SheetSpec, clean_name, money_from, norm_header, read_table
from db.sheets.cells import id_number_from
from db.sheets.result import SheetImport

if TYPE_CHECKING:
    from db.connection import Ledger

NAME = {norm_header(t) for t in ("姓名", "党员姓名")}
ID = {norm_header(t) for t in ("公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "身份证")}
TOTAL = {"合计", "小计", "全年合计", "总计", "累计", "合计金额", "全年", "年度合计"}
ZH_MONTHS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
_MONTH = re.compile(
    r"^(?:(\d{4})(?:年|[-./]))?(\d{1,2}|[一二三四五六七八九十]{1,3})(?:月份?)?(?:党费|交纳|缴纳|金额|元)*$"
)
NOTHING = {"", "-", "—", "－", "/", "／", "0", "0.00", "无"}


def month_of_header(text: str) -> tuple[int | None, int] | None:
    """'3月' -> (None, 3); '2026年3月' / '2026-03' -> (2026, 3); '三月份' -> (None, 3); None for anything else."""
    d = re.fullmatch(r"(\d{4})-(\d{2})-01(?:00:00:00)?", text)  # a heading Excel turned into a date
    if d:
        return (int(d.group(1)), int(d.group(2))) if 1 <= int(d.group(2)) <= 12 else None
    m = _MONTH.match(text)
    if not m:
        return None
    y, mo = m.group(1), m.group(2)
    if not y and not re.search(r"月", text):
        return None  # a bare number is not a month heading
    n = int(mo) if mo.isdigit() else (ZH_MONTHS.index(mo) + 1 if mo in ZH_MONTHS else 0)
    if not 1 <= n <= 12:
        return None
    return (int(y) if y else None, n)


def _classify(text: str) -> str | None:
    if text in NAME:
        return "name"
    if text in ID:
        return "id_number"
    if text in TOTAL or text.startswith("合计"):
        return "total"
    m = month_of_header(text)
    if m:
        return f"m{m[1]:02d}"
    return None


DUES = SheetSpec(
    what="党费收缴登记表",
    classify=_classify,
    accepts=lambda keys: bool(keys & {"name", "id_number"}) and any(k.startswith("m") for k in keys),
    header_hint="表头行应含“姓名”（或“公民身份号码”），以及按月的列“1月”“2月”……（可有“合计”列）。",
    row_noun="名党员",
)


@dataclass
class DuesImport(SheetImport):
    year: int = 0
    total: Decimal = ZERO
    payments: list[Payment] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, object]:
        doc = super().to_json()
        doc.update({"year": self.year, "total": f"{self.total:.2f}"})
        return doc


def import_dues(
    ledger: Ledger,
    path: Path | str,
    year: int,
    dry_run: bool = False,
    *,
    today: dt.date | None = None,
    overrides: Mapping[tuple[int, str], str] | None = None,
) -> DuesImport:
    """Check (dry_run) or import a dues register for `year`. All payments or none."""
    today = today or clock.today()
    res: DuesImport = DuesImport.of(
        read_table(path, DUES, overrides), kind="dues", year=year, dry_run=dry_run
    )
    if res.errors:
        return res
    if not res.records:
        res.errors.append(res.problem("表头下面没有党员的党费数据行。", row=res.header_row))
        return res
    months: dict[str, int] = {}  # header text -> month number
    for key, header in res.fields.items():
        if key.startswith("m"):
            y_m = month_of_header(norm_header(header))
            assert y_m is not None
            if y_m[0] is not None and y_m[0] != year:
                res.errors.append(
                    res.problem(
                        f"这一列是{y_m[0]}年的，与要导入的年份{year}年不一致（请确认年份，或用 --year {y_m[0]}）",
                        row=res.header_row,
                        column=header,
                    )
                )
            months[header] = y_m[1]
    if res.errors:
        return res
    book = DuesBook(ledger)
    roster = [(r[0], r[1], r[2] or "") for r in ledger.query("SELECT id, name, id_number FROM members")]
    by_id = {idn.upper(): (m_id, m_name) for m_id, m_name, idn in roster if idn}
    by_name: dict[str, list[int]] = {}
    for m_id, m_name, _ in roster:
        by_name.setdefault(m_name, []).append(m_id)
    existing = {(r[0], r[1]) for r in ledger.query("SELECT member_id, month FROM dues_payments")}
    seen: dict[int, int] = {}
    limit = month_index(f"{today.year:04d}-{today.month:02d}") + book.prepay_max
    name_col, id_col = res.fields.get("name"), res.fields.get("id_number")
    for rec in res.records:
        name = clean_name(res.text(rec, "name"))
        try:
            idn = id_number_from(res.raw(rec, "id_number"), res.text(rec, "id_number"))
        except ValueError as e:
            res.errors.append(res.problem(str(e), rec.row, id_col))
            continue
        mid: int | None = None
        if idn:
            found = by_id.get(idn)
            if found is None:
                res.errors.append(res.problem("花名册中没有这个公民身份号码的党员", rec.row, id_col))
            elif name and name != found[1]:
                res.errors.append(
                    res.problem(
                        f"花名册中这个公民身份号码是“{found[1]}”，与姓名“{name}”不符", rec.row, name_col
                    )
                )
            else:
                mid = found[0]
        elif name:
            ids = by_name.get(name, [])
            if not ids:
                res.errors.append(res.problem(f"花名册中没有名为“{name}”的党员", rec.row, name_col))
            elif len(ids) > 1:
                res.errors.append(
                    res.problem(
                        f"花名册中有 {len(ids)} 名党员叫“{name}”，请在表中加“公民身份号码”列区分",
                        rec.row,
                        name_col,
                    )
                )
            else:
                mid = ids[0]
        else:
            if any(rec.values.get(h, "").strip() not in NOTHING for h in months):
                res.errors.append(
                    res.problem("这一行有党费金额，但没有姓名或公民身份号码", rec.row, name_col)
                )
            continue
        if mid is not None and mid in seen:
            res.errors.append(res.problem(f"与第{seen[mid]}行是同一名党员", rec.row, name_col or id_col))
            continue
        if mid is not None:
            seen[mid] = rec.row
        row_sum = ZERO
        unreadable = False
        for header, mo in sorted(months.items(), key=lambda kv: kv[1]):
            text = rec.values.get(header, "").strip()
            if text in NOTHING:
                continue
            try:
                amount = money_from(res.raw_rows[rec.row].get(header), text)
            except ValueError as e:
                res.errors.append(res.problem(str(e), rec.row, header, value=text))
                unreadable = True
                continue
            if amount is None or amount == 0:
                continue
            row_sum += amount
            if mid is None:
                continue
            key = f"{year:04d}-{mo:02d}"
            i = month_index(key)
            who = name or by_id.get(idn, (0, ""))[1]
            if not book.belongs(mid, i):
                res.errors.append(
                    res.problem(f"{who}这个月不在本支部（或尚未成为预备党员），不应有党费", rec.row, header)
                )
            elif (mid, key) in existing:
                res.errors.append(res.problem(f"台账中已有{who}这个月的党费记录", rec.row, header))
            elif i > limit:
                res.errors.append(
                    res.problem(f"这个月还没到，超出了预交期限（{book.prepay_max}个月）", rec.row, header)
                )
            else:
                due = book.due(mid, i)
                if due > 0 and amount != due:
                    res.warnings.append(
                        res.problem(f"与核定应交 {due:.2f} 元不同，按表中金额登记", rec.row, header)
                    )
                paid_on = min(month_end(dt.date(year, mo, 1)), today)
                res.payments.append(
                    Payment(
                        None, mid, key, amount, paid_on, None, None, f"据党费收缴登记表导入（{res.file}）"
                    )
                )
        total_text = res.text(rec, "total")
        if total_text and total_text not in NOTHING and not unreadable:
            try:
                stated = money_from(res.raw(rec, "total"), total_text)
            except ValueError as e:
                res.errors.append(res.problem(str(e), rec.row, res.fields["total"], value=total_text))
            else:
                if stated is not None and stated != row_sum:
                    res.errors.append(
                        res.problem(
                            f"合计 {stated:.2f} 元与各月相加 {row_sum:.2f} 元不一致",
                            rec.row,
                            res.fields["total"],
                        )
                    )
    res.total = sum((p.amount for p in res.payments), ZERO)
    if not res.errors and not res.payments:
        res.errors.append(res.problem(f"表中没有{year}年的党费金额可导入。", row=res.header_row))
    if res.errors or dry_run:
        return res
    people = len({p.member_id for p in res.payments})
    label = (
        f"从 Excel 导入{year}年党费：{people} 人 {len(res.payments)} 笔，共 {res.total:,.2f} 元（{res.file}）"
    )
    with ledger.operation("ImportDues", label) as op:
        op.value = [_insert_payment(ledger, p) for p in res.payments]
    res.imported = len(res.payments)
    return res


__all__ = ["DUES", "DuesImport", "import_dues", "month_key_of", "month_of_header"]
