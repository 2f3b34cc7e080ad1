"""The step form: one of the 25 steps entered with its date, who did it and its facts, with the
earliest/latest dates and the rule checks shown as you type; the choices it offers (正式党员 on the
roster that day, meeting records)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import branch, clock, members
from db import development as dev
from db.dates import fmt_zh
from db.errors import InputRefused
from db.rules import development as rules
from desktop.dialogs import confirm, show_error
from desktop.sections.development.checks import _Message, ask_override
from desktop.style import ERROR_RED, OK_GREEN, WARN_AMBER
from desktop.widgets import DateField

REMINDER_BLUE = "#1565C0"


def member_choices(ledger: Any, on: dt.date) -> list[tuple[int, str]]:
    """正式党员 on the roster that day (培养联系人 and 入党介绍人 are chosen from them, D06/D10)."""
    return [(m.id, m.name) for m in members.roster_on(ledger, on) if m.category == "full"]


def meeting_choices(ledger: Any) -> list[tuple[int, str]]:
    try:
        from db import meetings

        return list(meetings.meeting_choices(ledger))
    except (ModuleNotFoundError, AttributeError):
        return []


class _MemberPicks(QWidget):
    """1–2 (培养联系人) or 2 (入党介绍人) 正式党员 from the roster as of the step's date."""

    def __init__(self, count: int, optional_second: bool) -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.boxes = [QComboBox() for _ in range(count)]
        self.optional_second = optional_second
        for b in self.boxes:
            b.setMinimumWidth(140)
            lay.addWidget(b)
        lay.addStretch(1)

    def set_choices(self, choices: list[tuple[int, str]], chosen: list[int]) -> None:
        for i, b in enumerate(self.boxes):
            keep = b.currentData() if b.count() else (chosen[i] if i < len(chosen) else None)
            b.blockSignals(True)
            b.clear()
            b.addItem("（不选）" if i > 0 and self.optional_second else "（请选择）", None)
            for mid, name in choices:
                b.addItem(name, mid)
            if keep is not None and b.findData(keep) < 0:
                b.addItem(f"{dict(choices).get(keep, '#' + str(keep))}（当日非正式党员）", keep)
            b.setCurrentIndex(max(0, b.findData(keep)))
            b.blockSignals(False)

    def ids(self) -> list[int]:
        return [b.currentData() for b in self.boxes if b.currentData() is not None]


class StepDialog(QDialog):
    """One step: date, who, its facts; earliest/latest dates and the rule checks shown as you type."""

    def __init__(
        self,
        ledger: Any,
        applicant: dev.Applicant,
        key: str,
        entry: dev.StepEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.a = applicant
        self.key = key
        self.entry = entry
        self.sd = rules.BY_KEY[key]
        self.setWindowTitle(f"{applicant.name} — {self.sd.no}. {self.sd.title}")
        self.setMinimumWidth(600)
        lay = QVBoxLayout(self)
        info = QLabel(
            f"<b>{self.sd.no}. {self.sd.title}</b>　（{rules.STAGE_TITLES[self.sd.stage]}）<br/>"
            f"办理：{self.sd.actor}　　应有材料：{self.sd.documents}"
        )
        info.setWordWrap(True)
        lay.addWidget(info)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("SectionHint")
        self.clock_label.setWordWrap(True)
        lay.addWidget(self.clock_label)
        form = QFormLayout()
        self.form = form
        self.meeting = QComboBox()
        self.date = DateField(required=True)
        self.actor = QLineEdit()
        self.widgets: dict[str, Any] = {}
        if key in ("activist", "candidate", "committee_review", "branch_vote", "full_vote"):
            choices = meeting_choices(ledger)
            if choices:
                self.meeting.addItem("（不关联会议记录）", None)
                for mid, label in choices:
                    self.meeting.addItem(label, mid)
                form.addRow("会议记录", self.meeting)
                self.meeting.currentIndexChanged.connect(self._meeting_changed)
        form.addRow("日期 *", self.date)
        actor_label = {
            "talked": "谈话人",
            "upper_talk": "谈话人（党委委员/组织员）",
            "pre_review": "预审党委",
            "approved": "审批党委",
            "full_approved": "审批党委",
            "training": "培训单位",
        }.get(key, "办理人")
        form.addRow(actor_label, self.actor)
        self._fact_widgets(form)
        lay.addLayout(form)
        self.message = _Message()
        # the checks can run to several lines: they scroll inside the dialog, which must fit a 1366×768 screen
        # at 150 % without squeezing the form above
        self.message_area = QScrollArea()
        self.message_area.setWidgetResizable(True)
        self.message_area.setFrameShape(QFrame.Shape.NoFrame)
        self.message_area.setWidget(self.message)
        self.message_area.setMaximumHeight(72)
        lay.addWidget(self.message_area)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(
            "登记" if entry is None else "保存修改", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setProperty("primary", True)
        if entry is not None:
            self.remove_btn = buttons.addButton("删除这一步…", QDialogButtonBox.ButtonRole.DestructiveRole)
            self.remove_btn.clicked.connect(self.remove)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self._fill()
        self.date.changed.connect(self._date_changed)
        for w in self.widgets.values():
            for sig in ("textChanged", "valueChanged", "currentIndexChanged", "changed"):
                if hasattr(w, sig):
                    getattr(w, sig).connect(self.update_checks)
            if isinstance(w, _MemberPicks):
                for b in w.boxes:
                    b.currentIndexChanged.connect(self.update_checks)
        self.actor.textChanged.connect(self.update_checks)
        self._date_changed()

    # -- building
    def _spin(self, maximum: int = 999) -> QSpinBox:
        s = QSpinBox()
        s.setRange(-1, maximum)
        s.setSpecialValueText("—")
        s.setValue(-1)
        return s

    def _fact_widgets(self, form: QFormLayout) -> None:
        k = self.key
        w = self.widgets
        if k == "activist":
            w["recommended_via"] = QComboBox()
            for code, label in (("", ""), *dev.RECOMMENDED_VIA.items()):
                w["recommended_via"].addItem(label, code or None)
            w["decided_by"] = QComboBox()
            for code, label in dev.DECIDED_BY.items():
                w["decided_by"].addItem(label, code)
            form.addRow("推荐方式", w["recommended_via"])
            form.addRow("确定方式", w["decided_by"])
        elif k in ("contacts_assigned", "sponsors_assigned"):
            w["member_ids"] = _MemberPicks(2, optional_second=k == "contacts_assigned")
            form.addRow(
                "培养联系人（1–2名正式党员）" if k == "contacts_assigned" else "入党介绍人（2名正式党员）",
                w["member_ids"],
            )
        elif k == "political_review":
            w["conclusion"] = QComboBox()
            w["conclusion"].setEditable(True)
            w["conclusion"].addItems(["合格", "不合格"])
            form.addRow("政审结论", w["conclusion"])
        elif k == "training":
            w["start"], w["end"] = DateField(), DateField()
            w["hours"] = QDoubleSpinBox()
            w["hours"].setRange(0, 500)
            w["hours"].setDecimals(1)
            w["hours"].setSpecialValueText("—")
            form.addRow("培训开始", w["start"])
            form.addRow("培训结束", w["end"])
            form.addRow("学时", w["hours"])
        elif k == "volunteer_form":
            w["number"] = QLineEdit()
            form.addRow("志愿书编号", w["number"])
        elif k in ("branch_vote", "full_vote"):
            grid = QGridLayout()
            for i, (fk, label) in enumerate(
                (
                    ("expected", "应到会有表决权"),
                    ("present", "实到会有表决权"),
                    ("yes", "赞成"),
                    ("no", "反对"),
                    ("abstain", "弃权"),
                    ("written", "书面意见（赞成）"),
                )
            ):
                w[fk] = self._spin()
                grid.addWidget(QLabel(label), i // 2, (i % 2) * 2)
                grid.addWidget(w[fk], i // 2, (i % 2) * 2 + 1)
            box = QWidget()
            box.setLayout(grid)
            box.setMinimumHeight(box.sizeHint().height())
            form.addRow("表决情况", box)
            if k == "full_vote":
                w["delay_reason"] = QLineEdit()
                w["delay_reason"].setPlaceholderText("预备期满后推迟讨论时填写（D23）")
                form.addRow("推迟理由", w["delay_reason"])
        elif k in ("approved", "full_approved"):
            w["approver_kind"] = QComboBox()
            for code, label in rules.APPROVER_KINDS.items():
                w["approver_kind"].addItem(label, code)
            form.addRow("审批机关类别", w["approver_kind"])
        elif k == "assigned_to_group":
            w["group_id"] = QComboBox()
            w["group_id"].addItem("（不分党小组）", None)
            for g in branch.list_groups(self.ledger):
                w["group_id"].addItem(g.name, g.id)
            form.addRow("编入党小组", w["group_id"])
        w["note"] = QLineEdit()
        form.addRow("备注", w["note"])

    def _fill(self) -> None:
        e = self.entry
        if e is None:
            today = clock.today()
            c = dev.next_step(self.ledger, self.a)
            self.date.set_value(today)
            if self.key in ("approved", "full_approved", "pre_review"):
                b = branch.get_branch(self.ledger)
                self.actor.setText(b.upper_org or "" if b else "")
            if c is not None and c.key == self.key and c.earliest and c.earliest > today:
                self.date.set_value(today)
            return
        self.date.set_value(e.date)
        self.actor.setText(e.actor or "")
        f = e.facts
        for k, w in self.widgets.items():
            v = f.get(k)
            if v is None:
                continue
            if isinstance(w, QComboBox):
                if w.isEditable():
                    w.setCurrentText(str(v))
                else:
                    w.setCurrentIndex(max(0, w.findData(v)))
            elif isinstance(w, QSpinBox):
                w.setValue(int(v))
            elif isinstance(w, QDoubleSpinBox):
                w.setValue(float(v))
            elif isinstance(w, DateField):
                w.set_value(dev.fact_date(v))
            elif isinstance(w, QLineEdit):
                w.setText(str(v))
        if e.meeting_id is not None:
            self.meeting.setCurrentIndex(max(0, self.meeting.findData(e.meeting_id)))

    # -- live
    def facts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, w in self.widgets.items():
            if isinstance(w, _MemberPicks):
                out[k] = w.ids()
            elif isinstance(w, QComboBox):
                out[k] = w.currentText().strip() if w.isEditable() else w.currentData()
            elif isinstance(w, QSpinBox):
                out[k] = None if w.value() < 0 else w.value()
            elif isinstance(w, QDoubleSpinBox):
                out[k] = None if w.value() <= 0 else w.value()
            elif isinstance(w, DateField):
                out[k] = w.value().isoformat() if w.value() else None
            elif isinstance(w, QLineEdit):
                out[k] = w.text().strip() or None
        return out

    def _date_changed(self) -> None:
        picks = self.widgets.get("member_ids")
        if isinstance(picks, _MemberPicks):
            on = self.date.value() or clock.today()
            chosen = list(self.entry.facts.get("member_ids") or []) if self.entry else []
            picks.set_choices(member_choices(self.ledger, on), chosen)
        self.update_checks()

    def _meeting_changed(self) -> None:
        mid = self.meeting.currentData()
        if mid is None:
            return
        try:
            day, facts = dev.meeting_facts(self.ledger, mid, self.a.name, self.key)
        except InputRefused:
            return
        if day is not None:
            self.date.set_value(day)
        for k, v in facts.items():
            w = self.widgets.get(k)
            if isinstance(w, QSpinBox):
                w.setValue(int(v))
        self.update_checks()

    def update_checks(self) -> None:
        if self.date.error():
            self.message.show_lines([(ERROR_RED, f"日期：{self.date.error()}")])
            return
        on = self.date.value()
        seq = self.entry.seq if self.entry is not None and self.key in rules.REPEATABLE else None
        pv = dev.preview_step(
            self.ledger, self.a, self.key, on, facts=self.facts(), actor=self.actor.text(), seq=seq
        )
        c = pv.clock
        bits = []
        if c.earliest:
            bits.append(f"最早 {fmt_zh(c.earliest)}")
        if c.latest:
            bits.append(f"最迟 {fmt_zh(c.latest)}")
        self.clock_label.setText(
            ("期限：" + "，".join(bits) if bits else "期限：无明确时限")
            + (f"　（{c.note}）" if c.note else "")
        )
        lines: list[tuple[str, str]] = [(ERROR_RED, str(p)) for p in pv.problems]
        for b in pv.breaches:
            colour = {"error": ERROR_RED, "warning": WARN_AMBER}.get(b.severity, REMINDER_BLUE)
            tag = "（需说明理由才能登记）" if b.level == "block" else ""
            lines.append((colour, f"{rules.RULE_TITLES[b.code]}：{b.message.split('：', 1)[-1]}{tag}"))
        if not lines:
            lines.append((OK_GREEN, "符合规定，可以登记。"))
        self.message.show_lines(lines, [b.code for b in pv.breaches])
        width = max(self.message_area.viewport().width(), 560)
        self.message_area.setMinimumHeight(min(self.message.heightForWidth(width) + 4, 72))
        self.ok.setEnabled(not pv.problems)

    # -- actions
    def save(self) -> None:
        if self.date.error():
            self.update_checks()
            return
        seq = self.entry.seq if self.entry is not None and self.key in rules.REPEATABLE else None
        reason: str | None = None
        while True:
            try:
                dev.record_step(
                    self.ledger,
                    self.a.id,
                    self.key,
                    self.date.value(),
                    actor=self.actor.text(),
                    facts=self.facts(),
                    meeting_id=self.meeting.currentData(),
                    override_reason=reason,
                    seq=seq,
                )
            except dev.StepRefused as e:
                reason = ask_override(self, e.breaches)
                if reason is None:
                    return
                continue
            except InputRefused as e:
                self.message.show_lines([(ERROR_RED, str(p)) for p in e.problems])
                return
            break
        self.accept()

    def remove(self) -> None:
        assert self.entry is not None
        if not confirm(
            self,
            "删除步骤",
            f"删除“{self.sd.title}”（{fmt_zh(self.entry.date)}）的记录吗？（可用 Ctrl+Z 撤销）",
            "删除",
            danger=True,
        ):
            return
        try:
            dev.remove_step(self.ledger, self.a.id, self.key, self.entry.seq)
        except InputRefused as e:
            show_error(self, e, "不能删除")
            return
        self.accept()
