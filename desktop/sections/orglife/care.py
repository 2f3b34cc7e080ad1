"""关怀 tab: the register of 困难党员、老党员、患病… (with the 关怀豁免 flag that silences the attendance and 学时
reminders, JG06) and the year's 走访慰问 with what was given. A registered 困难党员/老党员 without a 元旦春节 visit
is a reminder from 1 December (L07). Details of hardship are kept in the record, not shown in the list. Rules:
db.care."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QLabel

from db import care, clock, members
from db.care import CareEntry, Visit
from db.care.model import SEASON_CATEGORIES, season_of, visited_in_season
from desktop.dialogs import confirm
from desktop.models import Col, RowModel
from desktop.sections.orglife.recordform import Field, RecordDialog
from desktop.sections.tab import SectionTab
from desktop.widgets import Table

if TYPE_CHECKING:
    pass

ENTRY_FIELDS = [
    Field("member_id", "党员", "member"),
    Field("category", "类别", "combo", care.CATEGORY_LABELS),
    Field("since", "登记日期", "date_req"),
    Field("until", "截止日期", "date"),
    Field("hardship_detail", "困难情况", "long"),
    Field("exempt", "关怀豁免（组织活动和学习不作硬性要求）", "check"),
    Field("pairing", "结对帮扶"),
    Field("notes", "备注"),
]
VISIT_FIELDS = [
    Field("member_id", "慰问对象", "member"),
    Field("visited_on", "日期", "date_req"),
    Field("occasion", "时节", "combo", care.OCCASION_LABELS),
    Field("way", "方式", "combo", care.WAY_LABELS),
    Field("gift", "慰问品"),
    Field("amount", "慰问金（元）"),
    Field("fund", "资金来源", "combo", care.FUND_LABELS, allow_empty=True),
    Field("handled_by", "经手人"),
    Field("signed", "本人已签收", "check"),
    Field("notes", "备注"),
]


class CareTab(SectionTab):
    def __init__(self, section: Any) -> None:
        super().__init__(section)
        self.year = clock.today().year
        lay = self.lay
        bar, _add = self.button_bar(
            ("登记关怀对象（Ctrl+N）", self.add_entry),
            (
                ("修改…", self.edit_entry_current),
                ("删除", self.delete_entry),
                ("登记走访慰问…", self.add_visit),
                ("修改慰问…", self.edit_visit_current),
                ("删除慰问", self.delete_visit),
            ),
        )
        bar.addStretch(1)
        self._names: dict[int, str] = {}
        today = clock.today
        ecols: list[Col[CareEntry]] = [
            Col("党员", lambda e: self._names.get(e.member_id, ""), width=90),
            Col("类别", lambda e: e.category_label, width=110),
            Col("登记日期", lambda e: e.since, width=120),
            Col("截止", lambda e: e.until, width=120),
            Col("关怀豁免", lambda e: "是" if e.exempt_on(today()) else "", width=80),
            Col("结对帮扶", lambda e: e.pairing or ""),
        ]
        self.entries: RowModel[CareEntry] = RowModel(ecols)
        self.entry_table = Table(self.entries)
        self.entry_table.activated_row.connect(self.edit_entry)
        lay.addWidget(self.entry_table, 1)
        self.visits_label = QLabel("")
        lay.addWidget(self.visits_label)
        vcols: list[Col[Visit]] = [
            Col("日期", lambda v: v.visited_on, width=120),
            Col("对象", lambda v: self._names.get(v.member_id, ""), width=90),
            Col("时节", lambda v: v.occasion_label, width=90),
            Col("方式", lambda v: care.WAY_LABELS.get(v.way, v.way), width=80),
            Col(
                "慰问品 / 金额",
                lambda v: "，".join(x for x in (v.gift, f"{v.amount}元" if v.amount else None) if x),
                width=180,
            ),
            Col("资金来源", lambda v: care.FUND_LABELS.get(v.fund or "", ""), width=110),
            Col("签收", lambda v: "已签收" if v.signed else ""),
        ]
        self.visits: RowModel[Visit] = RowModel(vcols)
        self.visit_table = Table(self.visits)
        self.visit_table.activated_row.connect(self.edit_visit)
        lay.addWidget(self.visit_table, 1)
        self.add_hint()

    def load(self, year: int | None = None) -> None:
        if year is not None:
            self.year = year
        today = clock.today()
        self._names = members.names(self.ledger)
        register = care.list_register(self.ledger)
        self.entries.set_rows(register)
        visits = care.list_visits(self.ledger, year=self.year)
        self.visits.set_rows(list(reversed(visits)))
        self.visits_label.setText(f"{self.year}年走访慰问（{len(visits)}人次）")
        text = "年老体弱、行动不便、身患重病的党员可设“关怀豁免”：组织活动和学时不作硬性要求，不再提醒。"
        season = season_of(today)
        if season is not None:
            all_visits = care.list_visits(self.ledger)
            todo = sorted(
                {
                    self._names.get(e.member_id, "")
                    for e in register
                    if e.category in SEASON_CATEGORIES
                    and e.active_on(today)
                    and not visited_in_season(all_visits, e.member_id, season, today)
                }
            )
            if todo:
                text += f"{season}年元旦春节尚未走访：" + "、".join(todo) + "（春节前完成）。"
        self.hint.setText(text)

    def _open(self, title: str, fields: list[Field], record: Any, save: Any) -> bool:
        return (
            RecordDialog(self.ledger, title, fields, record, save, self).exec() == QDialog.DialogCode.Accepted
        )

    def _member(self) -> int | None:
        e = self.entry_table.current_row()
        if e is not None:
            return int(e.member_id)
        first = next(iter(members.roster_on(self.ledger, clock.today())), None)
        return first.id if first else None

    def add_entry(self) -> None:
        first = next(iter(members.roster_on(self.ledger, clock.today())), None)
        if first is not None and self._open(
            "登记关怀对象", ENTRY_FIELDS, CareEntry(first.id, "elderly", clock.today()), care.save_entry
        ):
            self.section.ctx.status("关怀对象已登记")

    def edit_entry(self, e: CareEntry) -> None:
        self._open("关怀对象", ENTRY_FIELDS, e, care.save_entry)

    def edit_entry_current(self) -> None:
        e = self.entry_table.current_row()
        if e is not None:
            self.edit_entry(e)

    def delete_entry(self) -> None:
        e = self.entry_table.current_row()
        if e is not None and confirm(
            self, "删除关怀登记", "删除这条关怀登记吗？（可用 Ctrl+Z 撤销）", "删除", True
        ):
            care.delete_entry(self.ledger, e.id or 0)

    def add_visit(self) -> None:
        mid = self._member()
        if mid is not None and self._open(
            "登记走访慰问", VISIT_FIELDS, Visit(mid, clock.today()), care.save_visit
        ):
            self.section.ctx.status("走访慰问已登记")

    def edit_visit(self, v: Visit) -> None:
        self._open("走访慰问", VISIT_FIELDS, v, care.save_visit)

    def edit_visit_current(self) -> None:
        v = self.visit_table.current_row()
        if v is not None:
            self.edit_visit(v)

    def delete_visit(self) -> None:
        v = self.visit_table.current_row()
        if v is not None and confirm(
            self, "删除慰问记录", "删除这条走访慰问记录吗？（可用 Ctrl+Z 撤销）", "删除", True
        ):
            care.delete_visit(self.ledger, v.id or 0)

    def show_member(self, member_id: int) -> None:
        self.entry_table.select_where(lambda e: e is not None and e.member_id == member_id)
