"""谈心谈话 tab: the year's coverage matrix (who has talked with a 支委 and with another 党员, 支委 pair by pair)
beside the year's talk records; a talk is entered from the member selected in the matrix, or from a 六必谈
trigger still waiting for its talk (转正, 组织关系转入, 反馈评议结果…). All rules come from db.talks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db import clock, members, talks
from db.dates import fmt_zh
from db.errors import LedgerError
from db.rules import orglife
from db.talks import CoverageRow, Pending, Talk
from db.talks.coverage import Seats
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections.tab import SectionTab
from desktop.style import WARN_AMBER
from desktop.widgets import DateField, Table

if TYPE_CHECKING:
    from db.connection import Ledger


def member_choices(ledger: Ledger, on: dt.date) -> list[tuple[int, str]]:
    """Members on the roster that day, the 支委 first (they talk most), each marked."""
    seats = Seats(ledger).ids_on(on)
    roster = members.roster_on(ledger, on)
    roster.sort(key=lambda r: (r.id not in seats, r.id))
    return [(r.id, r.name + ("（支委）" if r.id in seats else "")) for r in roster]


class TalkDialog(QDialog):
    """One 谈心谈话: date, 谈话人, 对象, 类型 (六必谈 with its 事由), 方式, 主要内容, 意见建议, 后续措施."""

    def __init__(self, ledger: Ledger, talk: Talk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.talk = talk
        self.setWindowTitle("谈心谈话记录" if talk.id is None else f"谈心谈话记录（{fmt_zh(talk.held_on)}）")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.held_on = DateField(required=True)
        self.held_on.set_value(talk.held_on)
        form.addRow("日期", self.held_on)
        people = member_choices(ledger, talk.held_on or clock.today())
        self.talker = QComboBox()
        self.member = QComboBox()
        for box, current in ((self.talker, talk.talker_id), (self.member, talk.member_id)):
            box.addItem("（请选择）", None)
            for mid, label in people:
                box.addItem(label, mid)
            box.setCurrentIndex(max(0, box.findData(current)))
        form.addRow("谈话人", self.talker)
        form.addRow("谈话对象", self.member)
        self.kind = QComboBox()
        for k in orglife.TALK_KINDS:
            self.kind.addItem(orglife.TALK_KIND_LABELS[k], k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(talk.kind)))
        self.trigger = QComboBox()
        self.trigger.addItem("（请选择事由）", None)
        for t in orglife.TRIGGERS:
            self.trigger.addItem(orglife.TRIGGER_LABELS[t], t)
        self.trigger.setCurrentIndex(max(0, self.trigger.findData(talk.trigger)))
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind)
        kind_row.addWidget(self.trigger, 1)
        form.addRow("类型", kind_row)
        self.mode = QComboBox()
        for m in orglife.TALK_MODES:
            self.mode.addItem(orglife.TALK_MODE_LABELS[m], m)
        self.mode.setCurrentIndex(max(0, self.mode.findData(talk.mode)))
        form.addRow("方式", self.mode)
        self.topic = QPlainTextEdit(talk.topic or "")
        self.topic.setFixedHeight(64)
        form.addRow("主要内容", self.topic)
        self.suggestions = QLineEdit(talk.suggestions or "")
        form.addRow("意见建议", self.suggestions)
        self.follow_up = QLineEdit(talk.follow_up or "")
        form.addRow("后续措施", self.follow_up)
        lay.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.trigger.setEnabled(self.kind.currentData() == "trigger")

    def value(self) -> Talk:
        return Talk(
            self.held_on.value(),  # type: ignore[arg-type]
            self.talker.currentData(),
            self.member.currentData(),
            self.kind.currentData(),
            self.trigger.currentData() if self.kind.currentData() == "trigger" else None,
            self.mode.currentData(),
            self.topic.toPlainText().strip() or None,
            self.suggestions.text().strip() or None,
            self.follow_up.text().strip() or None,
            self.talk.id,
        )

    def save(self) -> None:
        err = self.held_on.error()
        if err:
            show_error(self, f"日期：{err}")
            return
        try:
            talks.save_talk(self.ledger, self.value())
        except LedgerError as e:
            show_error(self, e)
            return
        self.accept()


class TalksTab(SectionTab):
    def __init__(self, section: Any) -> None:
        super().__init__(section)
        self.pending: list[Pending] = []
        lay = self.lay
        bar, new_btn = self.button_bar(("登记谈话（Ctrl+N）", self.new_talk))
        assert new_btn is not None
        self.new_btn = new_btn
        self.new_btn.setToolTip("以矩阵中选中的党员为谈话对象")
        self.pending_box = QComboBox()
        self.pending_box.setMinimumContentsLength(16)
        self.pending_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.pending_label = QLabel("六必谈待谈")
        self.pending_btn = QPushButton("登记此谈话")
        self.pending_btn.clicked.connect(self.talk_for_pending)
        bar.addWidget(self.pending_label)
        bar.addWidget(self.pending_box, 1)
        bar.addWidget(self.pending_btn)
        bar.addStretch(0)

        split = QSplitter(Qt.Orientation.Horizontal)
        cols: list[Col[CoverageRow]] = [
            Col("党员", lambda r: r.name + ("（支委）" if r.on_committee else ""), width=110),
            *[
                Col(
                    orglife.CATEGORY_LABELS[c],
                    lambda r, c=c: r.cell(c),
                    "center",
                    width=78,
                    color=lambda r, c=c: WARN_AMBER if c in r.missing else None,
                    tooltip=lambda r, c=c: ("尚缺：" + "、".join(r.missing[c])) if c in r.missing else None,
                )
                for c in orglife.CATEGORIES
            ],
            Col("最近", lambda r: r.last_on, width=110),
        ]
        self.matrix_model: RowModel[CoverageRow] = RowModel(cols)
        self.matrix = Table(self.matrix_model)
        self.matrix.activated_row.connect(lambda r: self.new_talk(r.member_id))
        split.addWidget(self.matrix)
        names = self._names
        tcols: list[Col[Talk]] = [
            Col("日期", lambda t: t.held_on, width=110),
            Col("谈话人", lambda t: names().get(t.talker_id, ""), width=70),
            Col("对象", lambda t: names().get(t.member_id, ""), width=70),
            Col("类型", lambda t: t.kind_label, width=90),
            Col("主要内容", lambda t: t.topic or ""),
        ]
        self.talk_model: RowModel[Talk] = RowModel(tcols)
        self.talk_table = Table(self.talk_model)
        self.talk_table.activated_row.connect(self.edit_talk)
        self.talk_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.talk_table, 1)
        row = QHBoxLayout()
        edit = QPushButton("修改…")
        edit.clicked.connect(
            lambda: self.talk_table.current_row() and self.edit_talk(self.talk_table.current_row())
        )
        delete = QPushButton("删除")
        delete.clicked.connect(self.delete_talk)
        row.addWidget(edit)
        row.addWidget(delete)
        row.addStretch(1)
        rl.addLayout(row)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)
        self.add_hint()
        self._name_cache: dict[int, str] = {}

    def _names(self) -> dict[int, str]:
        return self._name_cache

    def load(self, year: int) -> None:
        self.year = year
        today = clock.today()
        as_of = min(today, dt.date(year, 12, 31))
        self._name_cache = members.names(self.ledger)
        rows = talks.coverage(self.ledger, year, as_of)
        self.matrix_model.set_rows(rows)
        year_talks = talks.list_talks(self.ledger, year)
        self.talk_model.set_rows(year_talks)
        self.pending = talks.pending_triggers(self.ledger, today)
        self.pending_box.clear()
        for p in self.pending:
            self.pending_box.addItem(
                f"{p.name}：{orglife.TRIGGER_LABELS[p.trigger]}（{fmt_zh(p.since)}）", p.member_id
            )
        for w in (self.pending_box, self.pending_btn, self.pending_label):
            w.setVisible(bool(self.pending))
        owed = [r for r in rows if r.missing]
        lives = talks.org_life_talks(self.ledger, year, as_of)
        bare = [ol for ol in lives if not ol.covered]
        text = f"{year}年谈话{len(year_talks)}次；"
        text += f"{len(owed)}人尚缺某类谈话（橙色，悬停看缺谁）" if owed else "每人各类谈话都已覆盖"
        if lives:
            text += f"；组织生活会{len(lives)}次，" + (
                "会前"
                + str(talks.window_days(self.ledger))
                + "天内无谈话："
                + "、".join(fmt_zh(o.date) for o in bare)
                if bare
                else "会前都有谈话"
            )
        self.hint.setText(text + "。双击矩阵中的党员登记与他的谈话。")

    def new_talk(self, member_id: int | None = None) -> None:
        if member_id is None:
            row = self.matrix.current_row()
            member_id = row.member_id if row else None
        today = clock.today()
        day = today if self.year >= today.year else dt.date(self.year, 12, 31)
        self._open(Talk(day, self._default_talker(day, member_id), member_id))  # type: ignore[arg-type]

    def _default_talker(self, day: dt.date, member_id: int | None) -> int | None:
        from db.committee.terms import secretary_on

        sec = secretary_on(self.ledger, day)
        return sec if sec != member_id else None

    def talk_for_pending(self) -> None:
        i = self.pending_box.currentIndex()
        if not (0 <= i < len(self.pending)):
            return
        p = self.pending[i]
        today = clock.today()
        self._open(Talk(today, self._default_talker(today, p.member_id), p.member_id, "trigger", p.trigger))  # type: ignore[arg-type]

    def _open(self, t: Talk) -> None:
        if TalkDialog(self.ledger, t, self).exec() == QDialog.DialogCode.Accepted:
            self.section.ctx.status("谈心谈话记录已保存")

    def edit_talk(self, t: Talk) -> None:
        self._open(talks.get_talk(self.ledger, t.id or 0))

    def delete_talk(self) -> None:
        t = self.talk_table.current_row()
        if t is None:
            return
        if confirm(
            self,
            "删除谈话记录",
            f"删除{fmt_zh(t.held_on)}的这条谈话记录吗？（可用 Ctrl+Z 撤销）",
            "删除",
            True,
        ):
            talks.delete_talk(self.ledger, t.id or 0)

    def show_member(self, member_id: int) -> None:
        self.matrix.select_where(lambda r: r is not None and r.member_id == member_id)
