"""民主评议 tab: the year's 评议 in one sitting — the date and the 党员大会 (and the 组织生活会 where combined),
the 评定会议, then every member's 等次 set for the selected rows at once (全部合格, then 优秀 for the few),
details per member in a dialog; 预备党员 take part without an 等次 and a 流动党员 rated elsewhere keeps the place.
All rules come from db.appraisals / db.rules.orglife."""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import appraisals
from db.appraisals import Appraisal, Result, SheetRow
from db.dates import fmt_zh
from db.errors import LedgerError
from db.rules import orglife
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections.tab import SectionTab
from desktop.style import ERROR_RED, OK_GREEN, TEXT_MUTED, WARN_AMBER
from desktop.widgets import DateField, FlowLayout, Table, WrapLabel, primary_button

if TYPE_CHECKING:
    pass

GRADE_COLORS = {"excellent": OK_GREEN, "basic": WARN_AMBER, "unqualified": ERROR_RED}
UNQUALIFIED_NOTE = (
    "评为不合格不会自动启动组织处置：应立足教育转化；确需处置的，由支委会提出、报基层党委事前备案后按程序办理"
    "（限期改正、劝其退党、除名，见处置办法）。"
)


def _meeting_label(options: dict[int, str], mid: int | None) -> str:
    if mid is None:
        return ""
    return options.get(mid, f"会议#{mid}").split("：")[0]


def _votes(r: Result) -> str:
    vs = [getattr(r, k) for k in appraisals.VOTE_KEYS]
    return "" if all(v is None for v in vs) else "/".join(str(v or 0) for v in vs)


def meeting_combo(options: list[tuple[int, str]], none_text: str) -> QComboBox:
    box = QComboBox()
    box.addItem(none_text, None)
    for mid, label in options:
        box.addItem(label, mid)
    box.setMinimumContentsLength(12)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


class ResultDialog(QDialog):
    """One member's 评议: how they take part, 自评/互评, 测评 votes, the 等次 and the meeting it rests on."""

    def __init__(
        self, row: SheetRow, decisions: list[tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"民主评议 — {row.name}")
        self.row = row
        r = row.result
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.participation = QComboBox()
        for key in orglife.PARTICIPATION:
            self.participation.addItem(orglife.PARTICIPATION_LABELS[key], key)
        self.participation.setCurrentIndex(max(0, self.participation.findData(r.participation)))
        form.addRow("参评情况", self.participation)
        self.place = QLineEdit(r.place or "")
        self.place.setPlaceholderText("流入地党组织名称（在流入地评议时填写）")
        form.addRow("评议地点", self.place)
        self.reason = QLineEdit(r.reason or "")
        self.reason.setPlaceholderText("不参加评议的原因")
        form.addRow("不参加原因", self.reason)
        self.grade = QComboBox()
        self.grade.addItem("（未评定）", None)
        for g in orglife.GRADES:
            self.grade.addItem(orglife.GRADE_LABELS[g], g)
        self.grade.setCurrentIndex(max(0, self.grade.findData(r.grade)))
        form.addRow("等次", self.grade)
        self.decision = meeting_combo(decisions, "（请选择支委会或党员大会）")
        self.decision.setCurrentIndex(max(0, self.decision.findData(r.decision_id)))
        form.addRow("评定会议", self.decision)
        votes = QHBoxLayout()
        self.votes: dict[str, QSpinBox] = {}
        for key, g in zip(appraisals.VOTE_KEYS, orglife.GRADES, strict=True):
            box = QSpinBox()
            box.setRange(-1, 999)
            box.setSpecialValueText("—")
            v = getattr(r, key)
            box.setValue(-1 if v is None else v)
            votes.addWidget(QLabel(orglife.GRADE_LABELS[g]))
            votes.addWidget(box)
            self.votes[key] = box
        votes.addStretch(1)
        form.addRow("测评票数", votes)
        self.self_review = QLineEdit(r.self_review or "")
        self.self_review.setPlaceholderText("个人自评要点")
        form.addRow("个人自评", self.self_review)
        self.peer_review = QLineEdit(r.peer_review or "")
        self.peer_review.setPlaceholderText("党员互评意见摘要")
        form.addRow("互评意见", self.peer_review)
        self.feedback_on = DateField()
        self.feedback_on.set_value(r.feedback_on)
        form.addRow("反馈本人", self.feedback_on)
        self.follow_up = QLineEdit(r.follow_up or "")
        self.follow_up.setPlaceholderText("基本合格、不合格：帮助改进、教育转化的措施")
        form.addRow("后续措施", self.follow_up)
        lay.addLayout(form)
        self.note = WrapLabel(UNQUALIFIED_NOTE)
        self.note.setObjectName("SectionHint")
        lay.addWidget(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.participation.currentIndexChanged.connect(self._sync)
        self.grade.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        p = self.participation.currentData()
        self.place.setEnabled(p == "elsewhere")
        self.reason.setEnabled(p == "absent")
        can_grade = p == "rated" and self.row.category == "full"
        if not can_grade:
            self.grade.setCurrentIndex(0)
        self.grade.setEnabled(can_grade)
        self.decision.setEnabled(can_grade)
        self.note.setVisible(self.grade.currentData() == "unqualified")

    def result(self) -> Result:
        r = copy.copy(self.row.result)
        r.participation = self.participation.currentData()
        r.place = self.place.text().strip() or None
        r.reason = self.reason.text().strip() or None
        r.grade = self.grade.currentData()
        r.decision_id = self.decision.currentData() if r.grade else r.decision_id
        for key, box in self.votes.items():
            setattr(r, key, None if box.value() < 0 else box.value())
        r.self_review = self.self_review.text().strip() or None
        r.peer_review = self.peer_review.text().strip() or None
        r.feedback_on = self.feedback_on.value()
        r.follow_up = self.follow_up.text().strip() or None
        return r

    def _accept(self) -> None:
        err = self.feedback_on.error()
        if err:
            show_error(self, f"反馈日期：{err}")
            return
        if self.participation.currentData() == "elsewhere" and not self.place.text().strip():
            show_error(self, "在流入地评议的，请填写流入地党组织名称")
            return
        if self.participation.currentData() == "absent" and not self.reason.text().strip():
            show_error(self, "不参加评议的，请写明原因")
            return
        if self.grade.currentData() and self.decision.currentData() is None:
            show_error(self, "评定等次须有支委会或党员大会的评定意见，请选择评定会议")
            return
        self.accept()


class AppraisalTab(SectionTab):
    """The year's 评议 sheet."""

    def __init__(self, section: Any) -> None:
        super().__init__(section)
        self.rows: list[SheetRow] = []
        self.dirty = False
        self.appraisal_id: int | None = None
        self.decision_names: dict[int, str] = {}
        lay = self.lay
        top = FlowLayout()
        self.held_on = DateField(required=True)
        self.held_on.setToolTip("民主测评的党员大会日期")
        self.held_on.changed.connect(self._changed)
        top.addWidget(_pair("评议日期", self.held_on, 170))
        self.assembly = meeting_combo([], "（未链接党员大会）")
        self.assembly.currentIndexChanged.connect(self._changed)
        top.addWidget(_pair("党员大会", self.assembly))
        self.org_life = meeting_combo([], "（未与组织生活会合并）")
        self.org_life.currentIndexChanged.connect(self._changed)
        top.addWidget(_pair("合并召开的组织生活会", self.org_life))
        self.decision = meeting_combo([], "（请选择）")
        self.decision.setToolTip("作出评定意见的支委会（不设支委会的，党员大会）")
        top.addWidget(_pair("评定会议", self.decision))
        lay.addLayout(top)

        actions = FlowLayout()
        self.all_qualified = QPushButton("其余全部设为合格")
        self.all_qualified.setToolTip("给还没有等次的正式党员都评为合格；再选中个别人设为其他等次")
        self.all_qualified.clicked.connect(self.set_rest_qualified)
        actions.addWidget(self.all_qualified)
        self.grade_buttons: dict[str, QPushButton] = {}
        for i, g in enumerate(orglife.GRADES, start=1):
            b = QPushButton(f"{orglife.GRADE_LABELS[g]}（{i}）")
            b.setToolTip(f"把选中的党员设为{orglife.GRADE_LABELS[g]}（可多选；快捷键 {i}）")
            b.clicked.connect(lambda _c=False, g=g: self.set_grade(g))
            actions.addWidget(b)
            self.grade_buttons[g] = b
        clear = QPushButton("清除等次（0）")
        clear.clicked.connect(lambda: self.set_grade(None))
        actions.addWidget(clear)
        detail = QPushButton("详细…")
        detail.setToolTip("自评、互评、测评票数、流入地评议、反馈本人（双击一行也可打开）")
        detail.clicked.connect(self.edit_current)
        actions.addWidget(detail)
        self.save_btn = primary_button("保存评议（Ctrl+S）")
        self.save_btn.clicked.connect(self.save)
        actions.addWidget(self.save_btn)
        lay.addLayout(actions)

        cols: list[Col[SheetRow]] = [
            Col("姓名", lambda r: r.name, width=90),
            Col("类别", lambda r: r.category_label, width=80),
            Col("参评情况", lambda r: r.result.participation_label, width=170),
            Col(
                "等次",
                lambda r: r.result.grade_label,
                width=80,
                color=lambda r: GRADE_COLORS.get(r.result.grade or ""),
            ),
            Col(
                "评定会议",
                lambda r: _meeting_label(self.decision_names, r.result.decision_id) if r.result.grade else "",
                width=190,
            ),
            Col("测评票（优/合/基/不）", lambda r: _votes(r.result), width=150),
            Col("反馈本人", lambda r: r.result.feedback_on, width=120),
        ]
        self.model: RowModel[SheetRow] = RowModel(cols)
        self.table = Table(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.activated_row.connect(self.edit_row)
        for i, g in enumerate(orglife.GRADES, start=1):
            QShortcut(
                QKeySequence(str(i)),
                self.table,
                activated=lambda g=g: self.set_grade(g),
                context=Qt.ShortcutContext.WidgetShortcut,
            )
        QShortcut(
            QKeySequence("0"),
            self.table,
            activated=lambda: self.set_grade(None),
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        lay.addWidget(self.table, 1)
        self.add_hint()

    # -- data
    def load(self, year: int) -> None:
        self.year = year
        a = appraisals.get_appraisal(self.ledger, year)
        self.appraisal_id = a.id if a else None
        assemblies = appraisals.meeting_options(self.ledger, year, ("assembly", "appraisal"))
        org_lifes = appraisals.meeting_options(self.ledger, year, ("org_life",))
        decisions = appraisals.decision_options(self.ledger, year)
        self.decision_options = decisions
        self.decision_names = dict(decisions)
        for box, options, none_text in (
            (self.assembly, assemblies, "（未链接党员大会）"),
            (self.org_life, org_lifes, "（未与组织生活会合并）"),
            (self.decision, decisions, "（请选择）"),
        ):
            box.blockSignals(True)
            box.clear()
            box.addItem(none_text, None)
            for mid, label in options:
                box.addItem(label, mid)
            box.blockSignals(False)
        self.held_on.blockSignals(True)
        if a:
            self.held_on.set_value(a.held_on)
            self.assembly.setCurrentIndex(max(0, self.assembly.findData(a.assembly_id)))
            self.org_life.setCurrentIndex(max(0, self.org_life.findData(a.org_life_id)))
            used = [r.decision_id for r in a.results if r.grade and r.decision_id]
            self.decision.setCurrentIndex(max(0, self.decision.findData(used[-1] if used else None)))
        else:
            self._guess(year)
        self.held_on.blockSignals(False)
        self.rows = appraisals.sheet(self.ledger, year, self.held_on.value())
        self.model.set_rows(self.rows)
        self.dirty = False
        self._update_hint()

    def _guess(self, year: int) -> None:
        """A new year's 评议 starts from the year's 民主评议 meeting, if one is recorded."""
        found = appraisals.suggest(self.ledger, year)
        if found is None:
            self.held_on.set_value(None)
            self.decision.setCurrentIndex(0)
            return
        a, decision = found
        self.held_on.set_value(a.held_on)
        self.assembly.setCurrentIndex(max(0, self.assembly.findData(a.assembly_id)))
        self.org_life.setCurrentIndex(max(0, self.org_life.findData(a.org_life_id)))
        self.decision.setCurrentIndex(max(0, self.decision.findData(decision)))

    def _touch(self) -> None:
        """The rows' results changed in place: repaint every cell (the proxy re-sorts if it must)."""
        if self.model.rows:
            last = self.model.index(len(self.model.rows) - 1, len(self.model.columns) - 1)
            self.model.dataChanged.emit(self.model.index(0, 0), last)

    def _changed(self, *_a: Any) -> None:
        self.dirty = True
        self._update_hint()

    def _update_hint(self) -> None:
        counts = {g: 0 for g in orglife.GRADES}
        rated = ungraded = prob = elsewhere = 0
        for r in self.rows:
            res = r.result
            if res.grade:
                counts[res.grade] += 1
                rated += 1
            elif res.participation == "rated" and r.category == "full":
                ungraded += 1
            elif res.participation == "elsewhere":
                elsewhere += 1
            elif r.category == "probationary" or res.participation == "probationary":
                prob += 1
        parts = [f"{orglife.GRADE_LABELS[g]}{counts[g]}人" for g in orglife.GRADES]
        text = f"{self.year}年：" + "，".join(parts)
        if prob:
            text += f"；预备党员{prob}人参加、不定等次"
        if elsewhere:
            text += f"；在流入地评议{elsewhere}人"
        if ungraded:
            text += f"；还有{ungraded}名正式党员未评定"
        cap_on = self.ledger.setting("appraisal_excellent_cap", "third") != "none"
        if cap_on and rated and orglife.excellent_over(counts["excellent"], rated):
            text += (
                f"；优秀{counts['excellent']}人超过参评正式党员{rated}人的三分之一"
                f"（最多{orglife.excellent_cap(rated)}人，地方惯例，见“设置”）"
            )
        text += "。"
        if self.dirty:
            text += "（未保存：按 Ctrl+S 保存）"
        self.hint.setText(text)
        self.hint.setStyleSheet(f"color: {WARN_AMBER};" if self.dirty else f"color: {TEXT_MUTED};")

    # -- actions
    def _selected(self) -> list[SheetRow]:
        out = []
        for idx in self.table.selectionModel().selectedRows():
            r = self.table.proxy.mapToSource(idx).row()
            out.append(self.model.rows[r])
        return out

    def _can_grade(self, row: SheetRow) -> bool:
        return row.category == "full" and row.result.participation == "rated"

    def set_grade(self, grade: str | None, rows: list[SheetRow] | None = None) -> int:
        """Give the selected (or given) rows this 等次, with the chosen 评定会议; returns how many changed."""
        rows = self._selected() if rows is None else rows
        if grade and self.decision.currentData() is None:
            show_error(self, "请先选择作出评定意见的支委会或党员大会（“评定会议”）")
            return 0
        n = 0
        for row in rows:
            if not self._can_grade(row):
                continue
            row.result.grade = grade
            row.result.decision_id = self.decision.currentData() if grade else None
            n += 1
        if n:
            self._touch()
            self._changed()
        elif rows and grade:
            self.section.ctx.status("预备党员、在流入地评议或不参加的党员不评定等次")
        return n

    def set_rest_qualified(self) -> int:
        rest = [r for r in self.rows if self._can_grade(r) and not r.result.grade]
        return self.set_grade("qualified", rest) if rest else 0

    def edit_current(self) -> None:
        rows = self._selected()
        if rows:
            self.edit_row(rows[0])

    def edit_row(self, row: SheetRow) -> None:
        dlg = ResultDialog(row, self.decision_options, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            row.result = dlg.result()
            self._touch()
            self._changed()

    def appraisal(self) -> Appraisal | None:
        held = self.held_on.value()
        if held is None:
            return None
        a = Appraisal(
            self.year,
            held,
            assembly_id=self.assembly.currentData(),
            org_life_id=self.org_life.currentData(),
            id=self.appraisal_id,
        )
        old = appraisals.get_appraisal(self.ledger, self.year)
        if old:
            a.started_on, a.plan, a.notes = old.started_on, old.plan, old.notes
        a.results = [copy.copy(r.result) for r in self.rows]
        return a

    def save(self) -> bool:
        a = self.appraisal()
        if a is None:
            show_error(self, f"请填写评议日期（民主测评的党员大会日期）{self.held_on.error() or ''}")
            return False
        try:
            appraisals.save_appraisal(self.ledger, a)
        except LedgerError as e:
            show_error(self, e)
            return False
        self.dirty = False
        graded = sum(1 for r in a.results if r.grade)
        self.section.ctx.status(f"已保存{self.year}年民主评议：{graded}人评定等次（{fmt_zh(a.held_on)}）")
        self.load(self.year)
        return True

    def leave_ok(self) -> bool:
        """Before the year changes: save or drop unsaved grades."""
        if not self.dirty:
            return True
        return confirm(
            self, "未保存的评议", f"{self.year}年民主评议有未保存的修改，放弃这些修改吗？", "放弃修改"
        )

    def show_member(self, member_id: int) -> None:
        self.table.select_where(lambda r: r is not None and r.member_id == member_id)


def _pair(label: str, field: QWidget, width: int | None = None) -> QWidget:
    w = QWidget()
    lay = QHBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(QLabel(label))
    if width:
        field.setFixedWidth(width)
    lay.addWidget(field)
    return w


__all__ = ["AppraisalTab", "ResultDialog", "dt"]
