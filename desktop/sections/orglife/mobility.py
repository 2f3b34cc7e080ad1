"""流动党员 tab: who is away (外出地点, since when, 活动证), the 流出地's contact log of the selected member, the 失联
records; months of 党费 paid at the 流入地 (LD08). A member at a fixed place for 6 months (L02), without contact for
more than half a year (L03) or 失联 for 6 months (L04) shows in red here and on the 工作台. Rules: db.mobility."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QLabel, QVBoxLayout

from db import clock, members, mobility
from db.mobility import Contact, Lost, Outing
from desktop.dialogs import confirm
from desktop.models import Col, RowModel
from desktop.sections.orglife.recordform import Field, RecordDialog
from desktop.sections.tab import SectionTab
from desktop.style import ERROR_RED, OK_GREEN
from desktop.widgets import Table

if TYPE_CHECKING:
    from db.connection import Ledger

OUTING_FIELDS = [
    Field("member_id", "党员", "member"),
    Field("left_on", "外出时间", "date_req"),
    Field("destination", "外出地点", placeholder="省、市、县（区）"),
    Field("employer", "工作单位"),
    Field("kind", "外出类型", "combo", mobility.KIND_LABELS),
    Field("away_reason", "外出原因"),
    Field("fixed_place", "在固定地点长期工作生活", "check"),
    Field("contact", "联系方式", placeholder="手机、微信"),
    Field("host_branch", "流入地党组织"),
    Field("host_contact", "流入地联系人"),
    Field("card_no", "活动证编号"),
    Field("card_issued_on", "发证日期", "date"),
    Field("card_valid_until", "活动证有效期至", "date"),
    Field("vote_elsewhere", "不计入应到有表决权", "check"),
    Field("returned_on", "返回日期", "date"),
    Field("notes", "备注"),
]
CONTACT_FIELDS = [
    Field("contacted_on", "联系日期", "date_req"),
    Field("way", "方式", "combo", mobility.WAY_LABELS),
    Field("by_whom", "联系人（支部）"),
    Field("log_note", "情况", "long", placeholder="思想、工作、参加组织生活和交纳党费情况"),
]
LOST_FIELDS = [
    Field("member_id", "党员", "member"),
    Field("since", "失联起始日期", "date_req"),
    Field("found_on", "恢复联系日期", "date"),
    Field("notes", "备注"),
]


@dataclass
class ElsewhereForm:
    """The 流入地交纳党费 dialog's fields: months as text (2026-03 2026-04 …)."""

    member_id: int
    months: str | None = None
    place: str | None = None


def save_elsewhere(ledger: Ledger, f: ElsewhereForm) -> None:
    months = [m for m in (f.months or "").replace("，", " ").replace(",", " ").split() if m]
    mobility.set_dues_elsewhere(ledger, f.member_id, months, f.place)


def state(o: Outing, today: dt.date) -> str:
    if not o.away_on(today):
        return "已返回" if o.returned_on and o.returned_on <= today else "未外出"
    if mobility.needs_transfer(o, today):
        return "应转移组织关系"
    if mobility.contact_overdue(o, today):
        return "超过半年未联系"
    return "在外"


class MobilityTab(SectionTab):
    def __init__(self, section: Any) -> None:
        super().__init__(section)
        lay = self.lay
        bar, _add = self.button_bar(
            ("登记外出（Ctrl+N）", self.add),
            (
                ("修改 / 登记返回…", self.edit_current),
                ("记录联系…", self.add_contact),
                ("流入地交党费…", self.dues_elsewhere),
                ("失联登记…", self.add_lost),
                ("删除", self.delete),
            ),
        )
        self.away_only = QCheckBox("只看在外的")
        self.away_only.setChecked(True)
        self.away_only.toggled.connect(lambda _on: self.load())
        bar.addWidget(self.away_only)
        bar.addStretch(1)
        today = clock.today
        self._names: dict[int, str] = {}
        cols: list[Col[Outing]] = [
            Col("党员", lambda o: self._names.get(o.member_id, ""), width=90),
            Col("外出地点", lambda o: o.destination, width=160),
            Col("外出时间", lambda o: o.left_on, width=120),
            Col("类型", lambda o: o.kind_label, width=80),
            Col("活动证", lambda o: o.card_no or "—", width=150),
            Col("最后联系", lambda o: o.last_contact(today()) or "（无）", width=120),
            Col(
                "状态",
                lambda o: state(o, today()),
                color=lambda o: {
                    "应转移组织关系": ERROR_RED,
                    "超过半年未联系": ERROR_RED,
                    "在外": OK_GREEN,
                }.get(state(o, today())),
            ),
        ]
        self.model: RowModel[Outing] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(self.edit)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_contacts())
        lay.addWidget(self.table, 3)
        below = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("联系记录（流出地党支部经常保持联系）"))
        ccols: list[Col[Contact]] = [
            Col("日期", lambda c: c.contacted_on, width=120),
            Col("方式", lambda c: c.way_label, width=80),
            Col("联系人", lambda c: c.by_whom or "", width=80),
            Col("情况", lambda c: c.log_note or ""),
        ]
        self.contacts: RowModel[Contact] = RowModel(ccols)
        self.contact_table = Table(self.contacts)
        self.contact_table.activated_row.connect(self.edit_contact)
        left.addWidget(self.contact_table, 1)
        below.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(QLabel("失联党员"))
        lcols: list[Col[Lost]] = [
            Col("党员", lambda x: self._names.get(x.member_id, ""), width=80),
            Col("失联自", lambda x: x.since, width=120),
            Col(
                "状态",
                lambda x: (
                    "已恢复联系"
                    if not x.lost_on(today())
                    else ("满6个月待研究" if mobility.review_due(x, today()) else "失联")
                ),
                color=lambda x: ERROR_RED if mobility.review_due(x, today()) else None,
            ),
        ]
        self.lost: RowModel[Lost] = RowModel(lcols)
        self.lost_table = Table(self.lost)
        self.lost_table.activated_row.connect(self.edit_lost)
        right.addWidget(self.lost_table, 1)
        below.addLayout(right, 2)
        lay.addLayout(below, 2)
        self.add_hint()

    def load(self, _year: int | None = None) -> None:
        today = clock.today()
        self._names = members.names(self.ledger)
        current = self.table.current_row()
        rows = mobility.list_outings(self.ledger)
        away = [o for o in rows if o.away_on(today)]
        self.model.set_rows(away if self.away_only.isChecked() else rows)
        if current is not None:
            self.table.select_where(lambda o: o is not None and o.id == current.id)
        self.lost.set_rows(mobility.list_lost(self.ledger))
        self._show_contacts()
        transfer = sum(1 for o in away if mobility.needs_transfer(o, today))
        silent = sum(1 for o in away if mobility.contact_overdue(o, today))
        self.hint.setText(
            f"在外流动党员{len(away)}人：在固定地点满6个月应转移组织关系{transfer}人，超过半年未联系{silent}人。"
            "在流入地交纳的党费按月登记，本支部不再收取；“不计入应到有表决权”须经上级党组织同意、党员大会通过。"
            "失联满6个月由支部研究是否停止党籍，系统只提醒，不会自动处理。"
        )

    def _show_contacts(self) -> None:
        o = self.table.current_row()
        self.contacts.set_rows(list(reversed(o.contacts)) if o is not None else [])

    def _open(self, title: str, fields: list[Field], record: Any, save: Any, note: str = "") -> bool:
        dlg = RecordDialog(self.ledger, title, fields, record, save, self, note)
        return dlg.exec() == QDialog.DialogCode.Accepted

    def add(self) -> None:
        first = next(iter(members.roster_on(self.ledger, clock.today())), None)
        if first is None:
            return
        if self._open("登记外出", OUTING_FIELDS, Outing(first.id, clock.today(), ""), mobility.save_outing):
            self.section.ctx.status("外出记录已登记")

    def edit(self, o: Outing) -> None:
        if self._open("外出记录", OUTING_FIELDS, o, mobility.save_outing):
            self.section.ctx.status("外出记录已保存")

    def edit_current(self) -> None:
        o = self.table.current_row()
        if o is not None:
            self.edit(o)

    def add_contact(self) -> None:
        o = self.table.current_row()
        if o is None or o.id is None:
            return
        c = Contact(o.id, clock.today())
        if self._open(f"联系{self._names.get(o.member_id, '')}", CONTACT_FIELDS, c, mobility.save_contact):
            self.section.ctx.status("联系记录已保存")

    def edit_contact(self, c: Contact) -> None:
        self._open("联系记录", CONTACT_FIELDS, c, mobility.save_contact)

    def dues_elsewhere(self) -> None:
        o = self.table.current_row()
        if o is None:
            return
        f = ElsewhereForm(o.member_id, None, o.host_branch)
        fields = [
            Field("months", "月份", placeholder="如 2026-03 2026-04（空格分隔）"),
            Field("place", "交纳的党组织"),
        ]
        note = "凭流动党员活动证在流入地交纳的月份：本支部不再收取，也不计未交（每月党费只在一处交纳）。"
        if self._open("在流入地交纳党费", fields, f, save_elsewhere, note):
            self.section.ctx.status("已登记在流入地交纳的党费")

    def add_lost(self) -> None:
        o = self.table.current_row()
        first = o.member_id if o is not None else next(iter(members.roster_on(self.ledger, clock.today()))).id
        if self._open("失联登记", LOST_FIELDS, Lost(first, clock.today()), mobility.save_lost):
            self.section.ctx.status("失联记录已保存")

    def edit_lost(self, x: Lost) -> None:
        self._open("失联记录", LOST_FIELDS, x, mobility.save_lost)

    def delete(self) -> None:
        o = self.table.current_row()
        if o is None:
            return
        name = self._names.get(o.member_id, "")
        if confirm(
            self,
            "删除外出记录",
            f"删除{name}的这条外出记录（连同联系记录）吗？（可用 Ctrl+Z 撤销）",
            "删除",
            True,
        ):
            mobility.delete_outing(self.ledger, o.id or 0)

    def show_member(self, member_id: int) -> None:
        self.lost_table.select_where(lambda x: x is not None and x.member_id == member_id)
        if not self.table.select_where(lambda o: o is not None and o.member_id == member_id):
            self.away_only.setChecked(False)
            self.table.select_where(lambda o: o is not None and o.member_id == member_id)
