"""奖惩 tab: 表彰表扬 and 纪念章, 纪律处分 (留党察看: no vote for its period), 组织处置 (限期改正 with its clock) in
one list, newest first; the members due the 光荣在党50年 纪念章 this year (L06) named under it. Reasons are kept
in the record, not shown in the list. Rules: db.honors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from db import clock, honors, members
from db.dates import fmt_zh
from db.honors import Award, Disposition, Sanction
from db.honors.model import badge_eligible_on, badge_listed, correct_end, correct_limit, on_probation
from desktop.dialogs import confirm
from desktop.models import Col, RowModel
from desktop.sections.orglife.recordform import Field, RecordDialog
from desktop.sections.tab import SectionTab
from desktop.style import ERROR_RED
from desktop.widgets import Table

if TYPE_CHECKING:
    from db.connection import Ledger

AWARD_FIELDS = [
    Field("member_id", "党员", "member"),
    Field("kind", "类型", "combo", honors.AWARD_LABELS),
    Field("title", "名称", placeholder="表扬、其他表彰须填写"),
    Field("level", "层级", "combo", honors.LEVEL_LABELS),
    Field("awarded_on", "授予日期", "date_req"),
    Field("awarded_by", "授予组织"),
    Field("doc_no", "文号"),
    Field("notes", "备注"),
]
SANCTION_FIELDS = [
    Field("member_id", "党员", "member"),
    Field("kind", "处分", "combo", honors.SANCTION_LABELS),
    Field("decided_on", "处分日期", "date_req"),
    Field("starts_on", "留党察看起", "date"),
    Field("ends_on", "留党察看期满", "date"),
    Field("decided_by", "决定机关"),
    Field("doc_no", "文号"),
    Field("sanction_reason", "处分原因", "long"),
    Field("notes", "备注"),
]
DISPOSITION_FIELDS = [
    Field("member_id", "党员", "member"),
    Field("kind", "处置方式", "combo", honors.DISPOSITION_LABELS),
    Field("filed_on", "事前备案日期", "date_req"),
    Field("starts_on", "开始日期", "date_req"),
    Field("ends_on", "改正期限", "date"),
    Field("closed_on", "办结日期", "date"),
    Field("outcome", "结论"),
    Field("disposition_reason", "原因", "long"),
    Field("notes", "备注"),
]


@dataclass
class Entry:
    """One row of the list: the record and how it reads."""

    record: Any
    day: dt.date
    member_id: int
    kind: str
    name: str
    term: str
    doc_no: str
    late: bool = False


def entries(ledger: Ledger, today: dt.date) -> list[Entry]:
    out: list[Entry] = []
    for a in honors.list_awards(ledger):
        out.append(Entry(a, a.awarded_on, a.member_id, "表彰", a.label, a.awarded_by or "", a.doc_no or ""))
    for s in honors.list_sanctions(ledger):
        term = ""
        if s.kind == "probation":
            end = s.ends_on or honors.model.probation_end_default(s.start)
            term = f"{fmt_zh(s.start)}—{fmt_zh(end)}" + (
                "（察看中，无表决权）" if on_probation(s, today) else ""
            )
        out.append(Entry(s, s.decided_on, s.member_id, "纪律处分", s.label, term, s.doc_no or ""))
    for d in honors.list_dispositions(ledger):
        term = ""
        late = honors.correct_overdue(d, today)
        if d.kind == "correct":
            end = min(correct_end(d), correct_limit(d))
            term = f"至{fmt_zh(end)}" + ("，已办结" if d.closed_on else ("，已到期" if late else ""))
        elif d.closed_on:
            term = f"{fmt_zh(d.closed_on)}办结"
        out.append(Entry(d, d.starts_on, d.member_id, "组织处置", d.label, term, "", late))
    return sorted(out, key=lambda e: e.day, reverse=True)


class HonorsTab(SectionTab):
    def __init__(self, section: Any) -> None:
        super().__init__(section)
        lay = self.lay
        bar, _add = self.button_bar(
            ("登记表彰（Ctrl+N）", self.add_award),
            (
                ("登记纪律处分…", self.add_sanction),
                ("登记组织处置…", self.add_disposition),
                ("修改…", self.edit_current),
                ("删除", self.delete),
            ),
        )
        bar.addStretch(1)
        self._names: dict[int, str] = {}
        cols: list[Col[Entry]] = [
            Col("日期", lambda e: e.day, width=120),
            Col("党员", lambda e: self._names.get(e.member_id, ""), width=90),
            Col("类别", lambda e: e.kind, width=80),
            Col("名称", lambda e: e.name, width=190),
            Col(
                "期限 / 授予组织", lambda e: e.term, width=260, color=lambda e: ERROR_RED if e.late else None
            ),
            Col("文号", lambda e: e.doc_no),
        ]
        self.model: RowModel[Entry] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(self.edit)
        lay.addWidget(self.table, 1)
        self.add_hint()

    def load(self, _year: int | None = None) -> None:
        today = clock.today()
        self._names = members.names(self.ledger)
        self.model.set_rows(entries(self.ledger, today))
        badges = {a.member_id for a in honors.list_awards(self.ledger) if a.kind == "badge_50"}
        due = [
            f"{r.name}（{fmt_zh(badge_eligible_on(r.member.full_on))}）"
            for r in members.roster_on(self.ledger, today)
            if r.member.full_on and r.id not in badges and badge_listed(r.member.full_on, today)
        ]
        text = "优秀共产党员只能授予正式党员；留党察看期间没有表决权、选举权和被选举权（会议应到有表决权人数自动扣除）；"
        text += "限期改正一般6个月、最长1年，须先报基层党委事前备案。"
        if due:
            text += "可颁发“光荣在党50年”纪念章（党龄从转正之日算，7月1日截止）：" + "、".join(due) + "。"
        self.hint.setText(text)

    def _open(self, title: str, fields: list[Field], record: Any, save: Any) -> bool:
        return (
            RecordDialog(self.ledger, title, fields, record, save, self).exec() == QDialog.DialogCode.Accepted
        )

    def _first(self) -> int | None:
        first = next(iter(members.roster_on(self.ledger, clock.today())), None)
        return first.id if first else None

    def add_award(self) -> None:
        mid = self._first()
        if mid is not None and self._open(
            "登记表彰表扬", AWARD_FIELDS, Award(mid, "praise", clock.today()), honors.save_award
        ):
            self.section.ctx.status("表彰记录已保存")

    def add_sanction(self) -> None:
        mid = self._first()
        s = Sanction(mid or 0, "warning", clock.today())
        if mid is not None and self._open("登记纪律处分", SANCTION_FIELDS, s, honors.save_sanction):
            self.section.ctx.status("纪律处分已登记")

    def add_disposition(self) -> None:
        mid = self._first()
        d = Disposition(mid or 0, "correct", clock.today(), clock.today())
        if mid is not None and self._open("登记组织处置", DISPOSITION_FIELDS, d, honors.save_disposition):
            self.section.ctx.status("组织处置已登记")

    def edit(self, e: Entry) -> None:
        r = e.record
        if isinstance(r, Award):
            self._open("表彰表扬", AWARD_FIELDS, r, honors.save_award)
        elif isinstance(r, Sanction):
            self._open("纪律处分", SANCTION_FIELDS, r, honors.save_sanction)
        else:
            self._open("组织处置", DISPOSITION_FIELDS, r, honors.save_disposition)

    def edit_current(self) -> None:
        e = self.table.current_row()
        if e is not None:
            self.edit(e)

    def delete(self) -> None:
        e = self.table.current_row()
        if e is None:
            return
        if not confirm(
            self, "删除记录", f"删除这条{e.kind}记录（{e.name}）吗？（可用 Ctrl+Z 撤销）", "删除", True
        ):
            return
        r = e.record
        if isinstance(r, Award):
            honors.delete_award(self.ledger, r.id or 0)
        elif isinstance(r, Sanction):
            honors.delete_sanction(self.ledger, r.id or 0)
        else:
            honors.delete_disposition(self.ledger, r.id or 0)

    def show_member(self, member_id: int) -> None:
        self.table.select_where(lambda e: e is not None and e.member_id == member_id)
