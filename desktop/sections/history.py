"""操作记录: every operation with what it changed, and 撤销 of the last ones."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QSplitter

from db.connection import OpInfo
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.widgets import SectionHeader, Table

ACTIONS = {"I": "新增", "U": "修改", "D": "删除"}
TABLE_LABELS = {
    "members": "党员",
    "member_history": "党员变动",
    "branch": "支部信息",
    "party_groups": "党小组",
    "committee_terms": "支委会届次",
    "committee_members": "支委",
    "settings": "设置",
}


class HistorySection(Section):
    key = "history"
    title = "操作记录"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("操作记录", "每一次修改都记录在这里，可以撤销最近的操作（Ctrl+Z）。")
        self.undo_btn = self.header.add_button(QPushButton("撤销最近一次操作"))
        self.undo_btn.clicked.connect(self.undo)
        self.layout_.addWidget(self.header)
        cols = [
            Col("时间", lambda o: o.at.replace("T", " "), width=160),
            Col("操作", lambda o: o.label, width=320),
            Col("改动条数", lambda o: o.changes, align="right", width=80),
            Col("状态", lambda o: "已撤销" if o.undone else ("撤销操作" if o.undo_of else ""), width=90),
        ]
        self.model: RowModel[OpInfo] = RowModel(cols)
        self.table = Table(self.model, sortable=False)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        split = QSplitter()
        split.setObjectName("history")  # its divider is remembered (desktop.fit)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([600, 400])
        self.layout_.addWidget(split, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        row = QHBoxLayout()
        self.layout_.addLayout(row)

    def refresh(self) -> None:
        self.model.set_rows(self.ledger.history(500))
        target = self.ledger.undoable()
        self.undo_btn.setEnabled(target is not None)
        self.undo_btn.setToolTip(f"撤销：{target.label}" if target else "没有可以撤销的操作")

    def show_detail(self) -> None:
        op = self.table.current_row()
        if op is None:
            self.detail.clear()
            return
        lines = [f"{op.label}（{op.at.replace('T', ' ')}）", ""]
        for ch in self.ledger.changes_of(op.id)[:200]:
            what = f"{ACTIONS[ch['action']]}{TABLE_LABELS.get(ch['tbl'], ch['tbl'])} #{ch['row_id']}"
            lines.append(what)
            before = json.loads(ch["before"]) if ch["before"] else {}
            after = json.loads(ch["after"]) if ch["after"] else {}
            for k in sorted(set(before) | set(after)):
                if before.get(k) != after.get(k) and k != "id":
                    if k in ("id_number", "phone"):
                        lines.append(f"    {k}: （个人信息，已隐藏）")
                    else:
                        lines.append(f"    {k}: {before.get(k)!s} → {after.get(k)!s}")
        self.detail.setPlainText("\n".join(lines))

    def undo(self) -> None:
        self.ctx.window.undo()


SECTION = HistorySection
