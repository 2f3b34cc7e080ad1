"""示范岗 tab: the 党员先锋岗/示范岗/责任区/突击队 on the roster — who holds which, the 承诺, 挂牌 from–to, 摘牌 —
and the 一览表 for the wall. Rules: db.posts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import clock, members, posts
from db.errors import LedgerError
from db.posts import KIND_LABELS, Post
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections.tab import SectionTab
from desktop.style import OK_GREEN, WARN_AMBER
from desktop.widgets import DateField, Table, WrapLabel

if TYPE_CHECKING:
    from db.connection import Ledger

NOTE = (
    "设岗定责、承诺践诺（《党员教育管理工作条例》第二十二条：示范岗、责任区）；先锋岗、突击队、考核周期和摘牌办法"
    "为地方做法，按上级党委要求执行；预备党员能否任岗未见明确规定。"
)


class PostDialog(QDialog):
    """One designation: 类型, 名称, 范围, 责任党员, 职责, 承诺, 挂牌/到期, 摘牌原因."""

    def __init__(self, ledger: Ledger, p: Post, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.original = p
        self.setWindowTitle("党员示范岗 / 责任区")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(p.kind)))
        form.addRow("类型", self.kind)
        self.name = QLineEdit(p.name)
        self.name.setPlaceholderText("如：研发中心党员示范岗、三号车间党员责任区")
        form.addRow("岗位/责任区名称", self.name)
        self.scope = QLineEdit(p.scope or "")
        self.scope.setPlaceholderText("车间、产线、项目、楼层……")
        form.addRow("范围", self.scope)
        self.holders = QListWidget()
        self.holders.setFixedHeight(92)
        on = p.starts_on or clock.today()
        shown: set[int] = set()
        for mo in members.roster_on(ledger, on):
            self._add_holder(mo.id, mo.name, mo.id in p.member_ids)
            shown.add(mo.id)
        names = members.names(ledger)
        for mid in p.member_ids:
            if mid not in shown:
                self._add_holder(mid, names.get(mid, str(mid)), True)
        form.addRow("责任党员", self.holders)
        self.duty = QLineEdit(p.duty or "")
        form.addRow("职责", self.duty)
        self.pledge = QPlainTextEdit(p.pledge or "")
        self.pledge.setFixedHeight(52)
        self.pledge.setPlaceholderText("亮身份、亮标准、亮承诺：本人的承诺")
        form.addRow("承诺", self.pledge)
        dates = QHBoxLayout()
        self.starts_on = DateField(required=True)
        self.starts_on.set_value(p.starts_on)
        self.ends_on = DateField()
        self.ends_on.set_value(p.ends_on)
        dates.addWidget(self.starts_on)
        dates.addWidget(WrapLabel("至"))
        dates.addWidget(self.ends_on)
        form.addRow("挂牌日期", dates)
        self.end_reason = QLineEdit(p.end_reason or "")
        self.end_reason.setPlaceholderText("提前摘牌时填写原因；到期自然结束可不填")
        form.addRow("摘牌原因", self.end_reason)
        lay.addLayout(form)
        b = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        b.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        b.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        b.accepted.connect(self.save)
        b.rejected.connect(self.reject)
        lay.addWidget(b)

    def _add_holder(self, mid: int, name: str, checked: bool) -> None:
        it = QListWidgetItem(name)
        it.setData(Qt.ItemDataRole.UserRole, mid)
        it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        it.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.holders.addItem(it)

    def set_holders(self, member_ids: list[int]) -> None:
        for i in range(self.holders.count()):
            it = self.holders.item(i)
            on = it.data(Qt.ItemDataRole.UserRole) in member_ids
            it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen(self) -> list[int]:
        out = []
        for i in range(self.holders.count()):
            it = self.holders.item(i)
            if it.checkState() == Qt.CheckState.Checked:
                out.append(int(it.data(Qt.ItemDataRole.UserRole)))
        return out

    def save(self) -> None:
        for field, label in ((self.starts_on, "挂牌日期"), (self.ends_on, "到期日期")):
            if field.error():
                show_error(self, f"{label}：{field.error()}")
                return
        p = Post(
            str(self.kind.currentData()),
            self.name.text().strip(),
            self.starts_on.value(),  # type: ignore[arg-type]
            self.chosen(),
            self.scope.text().strip() or None,
            self.duty.text().strip() or None,
            self.pledge.toPlainText().strip() or None,
            self.ends_on.value(),
            self.end_reason.text().strip() or None,
            self.original.notes,
            self.original.id,
        )
        try:
            posts.save_post(self.ledger, p)
        except LedgerError as e:
            show_error(self, e)
            return
        self.accept()


class PostsTab(SectionTab):
    def __init__(self, section: Any) -> None:
        super().__init__(section)
        lay = self.lay
        bar, _add = self.button_bar(
            ("新建示范岗（Ctrl+N）", self.add),
            (("修改…", self.edit_current), ("摘牌…", self.end_current), ("删除", self.delete)),
        )
        self.active_only = QCheckBox("只看在岗")
        self.active_only.toggled.connect(lambda _on: self.load(self.year))
        bar.addWidget(self.active_only)
        bar.addStretch(1)
        exp = QPushButton("导出一览表…")
        exp.clicked.connect(lambda: self.section.export("posts"))
        bar.addWidget(exp)
        self._names: dict[int, str] = {}
        today = clock.today
        cols: list[Col[Post]] = [
            Col("类型", lambda p: p.kind_label, width=100),
            Col("岗位/责任区", lambda p: p.name, width=190),
            Col("责任党员", lambda p: "、".join(self._names.get(i, "") for i in p.member_ids), width=150),
            Col("挂牌日期", lambda p: p.starts_on, width=120),
            Col("到期/摘牌", lambda p: p.ends_on, width=120),
            Col(
                "状态",
                lambda p: p.state_label(today()),
                width=70,
                color=lambda p: {"active": OK_GREEN, "removed": WARN_AMBER}.get(p.state_on(today())),
                tooltip=lambda p: p.end_reason,
            ),
            Col("承诺", lambda p: p.pledge or ""),
        ]
        self.model: RowModel[Post] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(self.edit)
        lay.addWidget(self.table, 1)
        self.add_hint()

    def load(self, year: int) -> None:
        self.year = year
        today = clock.today()
        self._names = members.names(self.ledger)
        rows = posts.posts_of_year(self.ledger, year)
        if self.active_only.isChecked():
            rows = [p for p in rows if p.active_on(today)]
        self.model.set_rows(rows)
        active = sum(1 for p in rows if p.active_on(today))
        self.hint.setText(
            f"{year}年设立{len(rows)}个，今天在岗{active}个。"
            if rows
            else f"{year}年还没有示范岗 — 新建示范岗。"
        )
        self.hint.setToolTip(NOTE)

    def add(self) -> None:
        today = clock.today()
        day = today if self.year >= today.year else dt.date(self.year, 1, 1)
        if PostDialog(self.ledger, Post("model", "", day), self).exec() == QDialog.DialogCode.Accepted:
            self.section.ctx.status("示范岗已登记")

    def edit(self, p: Post) -> None:
        if PostDialog(self.ledger, p, self).exec() == QDialog.DialogCode.Accepted:
            self.section.ctx.status("示范岗已保存")

    def edit_current(self) -> None:
        p = self.table.current_row()
        if p is not None:
            self.edit(p)

    def end_current(self) -> None:
        p = self.table.current_row()
        if p is None or p.id is None:
            return
        from PySide6.QtWidgets import QInputDialog

        reason, ok = QInputDialog.getText(self, "摘牌", f"“{p.name}”今天摘牌。摘牌原因（到期结束可不填）：")
        if ok:
            try:
                posts.end_post(self.ledger, p.id, clock.today(), reason)
            except LedgerError as e:
                show_error(self, e)

    def delete(self) -> None:
        p = self.table.current_row()
        if p is None or p.id is None:
            return
        if confirm(self, "删除示范岗", f"删除“{p.name}”这条记录吗？（可用 Ctrl+Z 撤销）", "删除", True):
            posts.delete_post(self.ledger, p.id)
