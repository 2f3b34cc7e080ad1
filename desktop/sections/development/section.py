"""发展党员: the pipeline (stage by stage, each person with the next step and its deadline, overdue in red) and the
per-person timeline of all 25 steps with the documents each needs; each step is entered in order with its facts,
its earliest/latest dates and the rule checks shown live; a block rule is passed only with a written reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
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
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import branch, clock, members
from db import development as dev
from db.dates import fmt_zh
from db.errors import InputRefused
from db.rules import development as rules
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.style import ERROR_RED, OK_GREEN, TEXT_MUTED, WARN_AMBER
from desktop.widgets import DateField, EmptyState, SearchBox, SectionHeader, Table, primary_button

PIPELINE_STAGES = ("applicant", "activist", "candidate", "probationary")
EDUCATIONS = members.EDUCATION_CHOICES
REMINDER_BLUE = "#1565C0"
STATUS_COLORS = {"done": OK_GREEN, "open": "#1565C0", "waiting": TEXT_MUTED, "stopped": TEXT_MUTED}


# ------------------------------------------------------------------------------------------ controllers


def pipeline_rows(ledger: Any, as_of: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Per stage: each person with the next step, its dates and whether it is overdue."""
    pending = {d["applicant_id"]: d for d in dev.pending_steps(ledger, as_of)}
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in rules.STAGES}
    for a in dev.list_applicants(ledger):
        d = pending.get(a.id, {})
        out.setdefault(a.stage, []).append(
            {
                "id": a.id,
                "name": a.name,
                "stage": a.stage,
                "step": d.get("next_step"),
                "earliest": d.get("earliest"),
                "due": d.get("due"),
                "overdue": bool(d.get("overdue")),
            }
        )
    for rows in out.values():
        rows.sort(key=lambda r: (not r["overdue"], r["due"] or dt.date.max, r["name"]))
    return out


def deadline_text(row: dict[str, Any], as_of: dt.date) -> str:
    if not row.get("step"):
        return "全部步骤已完成" if row["stage"] == "full" else ""
    if row.get("due"):
        if row["overdue"]:
            return f"{row['step']}：已超期（应在{fmt_zh(row['due'])}前）"
        return f"{row['step']}：{fmt_zh(row['due'])}前"
    if row.get("earliest") and row["earliest"] > as_of:
        return f"{row['step']}：{fmt_zh(row['earliest'])}起可办理"
    return f"{row['step']}：可办理（无时限）"


def timeline_status(row: dev.TimelineRow, as_of: dt.date) -> str:
    """已完成 / 可办理 / 已超期 / 待前序步骤 / 已终止: an open step past its latest date says so."""
    if row.status == "open" and row.clock is not None and row.clock.overdue(as_of):
        return "已超期"
    return row.status_label


def member_choices(ledger: Any, on: dt.date) -> list[tuple[int, str]]:
    """正式党员 on the roster that day (培养联系人 and 入党介绍人 are chosen from them, D06/D10)."""
    return [(m.id, m.name) for m in members.roster_on(ledger, on) if m.category == "full"]


def meeting_choices(ledger: Any) -> list[tuple[int, str]]:
    try:
        from db import meetings

        return list(meetings.meeting_choices(ledger))
    except (ModuleNotFoundError, AttributeError):
        return []


# ------------------------------------------------------------------------------------------ small widgets


class _Message(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.hide()

    def show_lines(self, lines: list[tuple[str, str]]) -> None:
        """lines of (colour, text)."""
        from html import escape

        self.setText("<br/>".join(f'<span style="color:{c}">{escape(t)}</span>' for c, t in lines))
        self.setVisible(bool(lines))


class OverrideDialog(QDialog):
    """A block rule (RULES.md §3.2 level 'block') is passed only with a written reason, kept in the record."""

    def __init__(self, breaches: list[rules.Breach], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("不符合规定 — 需要说明理由")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        head = QLabel("这一步不符合发展党员工作的硬性规定：")
        head.setWordWrap(True)
        lay.addWidget(head)
        items = QLabel(
            "\n".join(
                f"• {b.code} {rules.RULE_TITLES[b.code]}：{b.message.split('：', 1)[-1]}" for b in breaches
            )
        )
        items.setWordWrap(True)
        items.setStyleSheet(f"color: {ERROR_RED};")
        lay.addWidget(items)
        note = QLabel(
            "一般应先纠正后再登记。确有特殊情况（如上级党委书面同意）时，可以写明理由后越过；"
            "理由会保存在纪实记录中，检查时仍会列出这条问题并附上理由。"
        )
        note.setWordWrap(True)
        note.setObjectName("SectionHint")
        lay.addWidget(note)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("理由（必填），如：经园区党委同意（园委〔2026〕3号）")
        self.reason.setFixedHeight(80)
        lay.addWidget(self.reason)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {ERROR_RED};")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("写明理由并登记", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("返回修改", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def _accept(self) -> None:
        if len(self.text()) < 4:
            self.error.setText("请写明理由（至少4个字）。")
            return
        self.accept()


def ask_override(parent: QWidget | None, breaches: list[rules.Breach]) -> str | None:
    dlg = OverrideDialog(breaches, parent)
    return dlg.text() if dlg.exec() == QDialog.DialogCode.Accepted else None


# ------------------------------------------------------------------------------------------ the applicant form


class ApplicantDialog(QDialog):
    """新增入党申请人 / 修改信息: personal fields validated as on the roster; for a new person the application date."""

    def __init__(self, ledger: Any, applicant: dev.Applicant | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.applicant = applicant
        self.saved_id: int | None = None
        self.setWindowTitle("新增入党申请人" if applicant is None else f"修改信息 — {applicant.name}")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位公民身份号码，性别和出生日期可由此自动填写")
        self.gender = QComboBox()
        self.gender.addItem("按身份证号", None)
        self.gender.addItem("男", "male")
        self.gender.addItem("女", "female")
        self.birth = DateField()
        self.ethnicity = QComboBox()
        self.ethnicity.setEditable(True)
        self.ethnicity.addItems(members.ETHNICITY_CHOICES)
        self.education = QComboBox()
        self.education.addItem("", None)
        for e in EDUCATIONS:
            self.education.addItem(e, e)
        self.job = QLineEdit()
        self.occupation = QComboBox()
        self.occupation.addItem("", None)
        for code, label in members.OCCUPATION_LABELS.items():
            self.occupation.addItem(label, code)
        self.frontline = QCheckBox("在生产、工作一线")
        self.phone = QLineEdit()
        self.leaving = DateField()
        self.leaving.setToolTip("如已知将离开本单位（D14：接收后3个月内离开的一般不接收）")
        self.notes = QLineEdit()
        self.applied = DateField(required=True)
        form.addRow("姓名 *", self.name)
        form.addRow("公民身份号码", self.id_number)
        form.addRow("性别", self.gender)
        form.addRow("出生日期", self.birth)
        form.addRow("民族", self.ethnicity)
        form.addRow("学历", self.education)
        form.addRow("工作岗位", self.job)
        form.addRow("职业（党内统计）", self.occupation)
        form.addRow("", self.frontline)
        form.addRow("手机号", self.phone)
        form.addRow("预计离开本单位", self.leaving)
        form.addRow("备注", self.notes)
        if applicant is None:
            self.applied.set_value(clock.today())
            form.addRow("递交入党申请书日期 *", self.applied)
        lay.addLayout(form)
        self.message = _Message()
        lay.addWidget(self.message)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        if applicant is not None:
            self._fill(applicant)

    def _fill(self, a: dev.Applicant) -> None:
        self.name.setText(a.name)
        self.id_number.setText(a.id_number or "")
        self.gender.setCurrentIndex(max(0, self.gender.findData(a.gender)))
        self.birth.set_value(a.birth_date)
        self.ethnicity.setCurrentText(a.ethnicity or "")
        self.education.setCurrentIndex(max(0, self.education.findData(a.education)))
        self.job.setText(a.job or "")
        self.occupation.setCurrentIndex(max(0, self.occupation.findData(a.occupation)))
        self.frontline.setChecked(a.frontline)
        self.phone.setText(a.phone or "")
        self.leaving.set_value(a.leaving_on)
        self.notes.setText(a.notes or "")

    def applicant_from_form(self) -> dev.Applicant:
        from dataclasses import replace

        base = self.applicant or dev.Applicant()
        return replace(
            base,
            name=self.name.text().strip(),
            id_number=self.id_number.text().strip() or None,
            gender=self.gender.currentData(),
            birth_date=self.birth.value(),
            ethnicity=self.ethnicity.currentText().strip() or None,
            education=self.education.currentData(),
            job=self.job.text().strip() or None,
            occupation=self.occupation.currentData(),
            frontline=self.frontline.isChecked(),
            phone=self.phone.text().strip() or None,
            leaving_on=self.leaving.value(),
            notes=self.notes.text().strip() or None,
        )

    def save(self) -> None:
        errs = [
            f"{label}：{w.error()}"
            for label, w in (
                ("出生日期", self.birth),
                ("预计离开本单位", self.leaving),
                ("申请日期", self.applied),
            )
            if w.error()
        ]
        if self.applicant is not None:
            errs = [e for e in errs if not e.startswith("申请日期")]
        if errs:
            self.message.show_lines([(ERROR_RED, e) for e in errs])
            return
        a = self.applicant_from_form()
        reason: str | None = None
        while True:
            try:
                if self.applicant is None:
                    self.saved_id = dev.add_applicant(
                        self.ledger, a, self.applied.value(), override_reason=reason
                    )
                else:
                    dev.update_applicant(self.ledger, a)
                    self.saved_id = a.id
            except dev.StepRefused as e:
                reason = ask_override(self, e.breaches)
                if reason is None:
                    return
                continue
            except InputRefused as e:
                self.message.show_lines([(ERROR_RED, str(p)) for p in e.problems] + [(ERROR_RED, "未保存。")])
                return
            break
        self.accept()


# ------------------------------------------------------------------------------------------ the step form


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
            lines.append(
                (colour, f"{b.code} {rules.RULE_TITLES[b.code]}：{b.message.split('：', 1)[-1]}{tag}")
            )
        if not lines:
            lines.append((OK_GREEN, "符合规定，可以登记。"))
        self.message.show_lines(lines)
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


class ExtensionDialog(QDialog):
    """延长预备期 (D27): once, 6–12 months, by the 支部大会 with the 上级 approval."""

    def __init__(self, ledger: Any, a: dev.Applicant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.a = ledger, a
        self.setWindowTitle(f"延长预备期 — {a.name}")
        form = QFormLayout(self)
        self.decided = DateField(required=True)
        self.decided.set_value(clock.today())
        self.months = QSpinBox()
        self.months.setRange(1, 36)
        self.months.setValue(6)
        self.months.setSuffix(" 个月")
        self.approved = DateField()
        self.reason = QLineEdit()
        form.addRow("支部大会决定日期 *", self.decided)
        form.addRow("延长", self.months)
        form.addRow("上级党委批准日期", self.approved)
        form.addRow("原因", self.reason)
        hint = QLabel("预备期只能延长一次，时间为6个月至1年（D27）；延长后转正讨论的日期随之后移。")
        hint.setObjectName("SectionHint")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.message = _Message()
        form.addRow(self.message)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        if self.decided.error() or self.approved.error():
            self.message.show_lines([(ERROR_RED, "请检查日期")])
            return
        reason: str | None = None
        while True:
            try:
                dev.extend_probation(
                    self.ledger,
                    self.a.id,
                    self.decided.value(),
                    self.months.value(),  # type: ignore[arg-type]
                    approved_on=self.approved.value(),
                    reason=self.reason.text().strip() or None,
                    override_reason=reason,
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


class StopDialog(QDialog):
    def __init__(self, ledger: Any, a: dev.Applicant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.a = ledger, a
        self.setWindowTitle(f"终止发展 — {a.name}")
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        self.date = DateField(required=True)
        self.date.set_value(clock.today())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如 本人撤回申请；调离本单位，材料转出；上级党委未批准")
        form.addRow("日期 *", self.date)
        form.addRow("原因 *", self.reason)
        if a.member_id is not None:
            hint = QLabel(
                "此人已列入党员名册：未经上级批准的将从名册撤下；已批准的预备党员将记为“出党/除名”。"
            )
            hint.setWordWrap(True)
            hint.setStyleSheet(f"color: {WARN_AMBER};")
            form.addRow(hint)
        self.message = _Message()
        form.addRow(self.message)
        buttons = QDialogButtonBox()
        buttons.addButton("终止", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        if self.date.error():
            self.message.show_lines([(ERROR_RED, f"日期：{self.date.error()}")])
            return
        try:
            dev.stop(self.ledger, self.a.id, self.date.value(), self.reason.text())  # type: ignore[arg-type]
        except InputRefused as e:
            self.message.show_lines([(ERROR_RED, str(p)) for p in e.problems])
            return
        self.accept()


# ------------------------------------------------------------------------------------------ the section


class _StageList(QFrame):
    def __init__(self, stage: str) -> None:
        super().__init__()
        self.setObjectName("Card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel(rules.STAGE_LABELS[stage])
        self.title.setObjectName("CardTitle")
        lay.addWidget(self.title)
        self.list = QListWidget()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        lay.addWidget(self.list, 1)


class DevelopmentSection(Section):
    key = "development"
    title = "发展党员"
    watches = frozenset({"applicants", "applicant_steps", "members", "member_history", "settings"})

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.current_id: int | None = None
        self.header = SectionHeader("发展党员", "")
        self.add_btn = self.header.add_button(primary_button("新增入党申请人"))
        self.add_btn.setToolTip("Ctrl+N")
        self.add_btn.clicked.connect(self.new_item)
        self.export_btn = self.header.add_button(QPushButton("导出台账"))
        self.export_btn.setToolTip("发展党员工作台账（Ctrl+P）")
        self.export_btn.clicked.connect(self.export_ledger)
        self.layout_.addWidget(self.header)

        top = QHBoxLayout()
        self.search = SearchBox("搜索姓名…（Ctrl+F）")
        self.search.textChanged.connect(lambda _t: self._fill_pipeline())
        top.addWidget(self.search)
        self.show_done = QCheckBox("显示已转正和终止的")
        self.show_done.toggled.connect(lambda _c: self._fill_pipeline())
        top.addWidget(self.show_done)
        top.addStretch(1)
        self.layout_.addLayout(top)

        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "还没有发展党员记录 — 收到入党申请书后，新增入党申请人，从第1步开始逐步登记。",
            "新增入党申请人",
            self.new_item,
        )
        main = QSplitter(Qt.Orientation.Vertical)
        pipe = QWidget()
        pl = QHBoxLayout(pipe)
        pl.setContentsMargins(0, 0, 0, 0)
        self.stage_lists: dict[str, _StageList] = {}
        for st in (*PIPELINE_STAGES, "done"):
            box = _StageList(st if st != "done" else "full")
            if st == "done":
                box.title.setText("已转正 / 终止")
            self.stage_lists[st] = box
            box.list.currentItemChanged.connect(self._picked)
            pl.addWidget(box, 1)
        main.addWidget(pipe)

        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 6, 0, 0)
        head = QHBoxLayout()
        self.person_title = QLabel()
        self.person_title.setObjectName("SectionTitle")
        self.person_title.setStyleSheet("font-size: 13pt;")
        head.addWidget(self.person_title)
        head.addStretch(1)
        self.step_btn = primary_button("登记下一步…")
        self.step_btn.setToolTip("双击时间线中的步骤也可登记或修改")
        self.step_btn.clicked.connect(self.record_next)
        self.edit_btn = QPushButton("修改信息…")
        self.edit_btn.clicked.connect(self.edit_person)
        self.ext_btn = QPushButton("延长预备期…")
        self.ext_btn.clicked.connect(self.extend)
        self.stop_btn = QPushButton("终止…")
        self.stop_btn.clicked.connect(self.stop)
        self.file_btn = QPushButton("导出纪实表")
        self.file_btn.clicked.connect(self.export_file)
        for b in (self.step_btn, self.edit_btn, self.ext_btn, self.stop_btn, self.file_btn):
            head.addWidget(b)
        dl.addLayout(head)
        self.person_info = QLabel()
        self.person_info.setObjectName("SectionHint")
        self.person_info.setWordWrap(True)
        dl.addWidget(self.person_info)
        # what the secretary acts on first (status, the window, the rule checks), then the record, then the papers
        cols: list[Col[dev.TimelineRow]] = [
            Col("序号", lambda r: r.step.no, align="center", width=44),
            Col("步骤", lambda r: r.step.title, width=170),
            Col(
                "状态",
                lambda r: timeline_status(r, clock.today()),
                align="center",
                width=84,
                color=lambda r: (
                    ERROR_RED
                    if r.status == "open" and r.clock and r.clock.overdue(clock.today())
                    else STATUS_COLORS[r.status]
                ),
            ),
            Col("最早", lambda r: r.clock.earliest if r.clock and r.status != "done" else None, width=118),
            Col(
                "最迟",
                lambda r: r.clock.latest if r.clock and r.status != "done" else None,
                width=118,
                color=lambda r: ERROR_RED if r.clock and r.clock.overdue(clock.today()) else None,
            ),
            Col(
                "检查",
                lambda r: "、".join(dict.fromkeys(b.code for b in r.breaches)) or None,
                width=70,
                color=lambda r: ERROR_RED if any(b.severity == "error" for b in r.breaches) else WARN_AMBER,
                tooltip=lambda r: "\n".join(f"{b.code} {b.message}" for b in r.breaches) or None,
            ),
            Col("日期", lambda r: "、".join(fmt_zh(e.date) for e in r.entries) or None, width=130),
            Col("办理人", lambda r: "、".join(e.actor for e in r.entries if e.actor) or None, width=110),
            Col("情况", lambda r: self._facts(r), width=220),
            Col("应有材料", lambda r: r.step.documents, width=260),
        ]
        self.model: RowModel[dev.TimelineRow] = RowModel(cols)
        self.table = Table(self.model, sortable=False)
        self.table.activated_row.connect(self.open_step)
        dl.addWidget(self.table, 1)
        self.none_label = QLabel("在上方选择一个人，查看25个步骤的时间线。")
        self.none_label.setObjectName("EmptyState")
        self.none_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dl.addWidget(self.none_label)
        main.addWidget(detail)
        main.setStretchFactor(0, 2)
        main.setStretchFactor(1, 3)
        self.stack.addWidget(main)
        self.stack.addWidget(self.empty)
        self.layout_.addWidget(self.stack, 1)
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def _facts(self, r: dev.TimelineRow) -> str | None:
        from exports.templates.development import facts_text

        return "；".join(t for t in (facts_text(self.ledger, e) for e in r.entries) if t) or None

    # -- loading
    def refresh(self) -> None:
        today = clock.today()
        self._rows = pipeline_rows(self.ledger, today)
        total = sum(len(v) for v in self._rows.values())
        self.stack.setCurrentIndex(0 if total else 1)
        self.export_btn.setEnabled(bool(total))
        overdue = sum(1 for v in self._rows.values() for r in v if r["overdue"])
        counts = "，".join(
            f"{rules.STAGE_LABELS[s]} {len(self._rows.get(s, []))} 人" for s in PIPELINE_STAGES
        )
        self.header.set_hint(
            counts
            + (f"。{overdue} 人的下一步已超期（红色）。" if overdue else "。")
            + "每人显示下一步和期限；双击时间线中的步骤登记或修改。"
        )
        self._fill_pipeline()
        self._show_person(self.current_id)

    def _fill_pipeline(self) -> None:
        today = clock.today()
        words = self.search.text().strip()
        for st, box in self.stage_lists.items():
            box.list.blockSignals(True)
            box.list.clear()
            rows = (
                self._rows.get(st, [])
                if st != "done"
                else self._rows.get("full", []) + self._rows.get("stopped", [])
            )
            shown = 0
            for r in rows:
                if words and words not in r["name"]:
                    continue
                shown += 1
                text = (
                    f"{r['name']}\n{deadline_text(r, today)}"
                    if st != "done"
                    else f"{r['name']}（{rules.STAGE_LABELS[r['stage']]}）"
                )
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r["id"])
                if r["overdue"]:
                    item.setForeground(QBrush(QColor(ERROR_RED)))
                item.setToolTip(deadline_text(r, today))
                box.list.addItem(item)
                if r["id"] == self.current_id:
                    box.list.setCurrentItem(item)
            title = rules.STAGE_LABELS["full"] if st == "done" else rules.STAGE_LABELS[st]
            box.title.setText(("已转正 / 终止" if st == "done" else title) + f"（{shown}）")
            box.list.blockSignals(False)
            box.setVisible(st != "done" or self.show_done.isChecked())

    def _picked(self, item: QListWidgetItem | None, _prev: Any = None) -> None:
        if item is None:
            return
        sender = self.sender()
        for box in self.stage_lists.values():
            if box.list is not sender:
                box.list.blockSignals(True)
                box.list.setCurrentRow(-1)
                box.list.clearSelection()
                box.list.blockSignals(False)
        self._show_person(item.data(Qt.ItemDataRole.UserRole))

    def _show_person(self, applicant_id: int | None) -> None:
        a = None
        if applicant_id is not None:
            try:
                a = dev.get_applicant(self.ledger, applicant_id)
            except KeyError:
                a = None
        self.current_id = a.id if a else None
        for w in (self.step_btn, self.edit_btn, self.ext_btn, self.stop_btn, self.file_btn, self.table):
            w.setVisible(a is not None)
        self.person_title.setVisible(a is not None)
        self.person_info.setVisible(a is not None)
        self.none_label.setVisible(a is None)
        if a is None:
            self.model.set_rows([])
            return
        today = clock.today()
        self.person_title.setText(f"{a.name}　{a.stage_label}")
        nxt = dev.next_step(self.ledger, a)
        parts = [
            x
            for x in (
                a.gender_label,
                fmt_zh(a.birth_date) and f"{fmt_zh(a.birth_date)}出生",
                a.education,
                a.job,
                a.masked_id,
            )
            if x
        ]
        line = "　".join(parts)
        if nxt is not None:
            due = f"，最迟 {fmt_zh(nxt.latest)}" if nxt.latest else ""
            early = f"，{fmt_zh(nxt.earliest)}起" if nxt.earliest and nxt.earliest > today else ""
            late = "（已超期）" if nxt.overdue(today) else ""
            line += f"\n下一步：{nxt.title}{early}{due}{late}"
        if a.ext_decided_on:
            line += f"\n{fmt_zh(a.ext_decided_on)}决定延长预备期{a.ext_months}个月"
        if a.stopped_on:
            line += f"\n{fmt_zh(a.stopped_on)}终止：{a.stop_reason or ''}"
        self.person_info.setText(line)
        self.model.set_rows(dev.timeline(self.ledger, a, today))
        # show where the record stands: the next step (or the last one done) in view
        if not self.table.select_where(lambda r: r is not None and nxt is not None and r.step.key == nxt.key):
            self.table.select_where(lambda r: r is not None and r.status == "open")
        active = a.stage not in ("stopped", "full")
        self.step_btn.setEnabled(nxt is not None)
        self.ext_btn.setEnabled(
            a.stage == "probationary" and a.ext_decided_on is None and "full_vote" not in a.steps
        )
        self.stop_btn.setEnabled(active)

    # -- Section API
    def new_item(self) -> None:
        dlg = ApplicantDialog(self.ledger, None, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved_id is not None:
            self.current_id = dlg.saved_id
            self.search.clear()
            self.ensure_fresh()
            self._show_person(dlg.saved_id)
            self.ctx.status(f"已新增入党申请人 {dlg.name.text().strip()}")

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        if subject_type != "applicant" or subject_id is None:
            return
        self.current_id = int(subject_id)
        self.search.clear()
        self.ensure_fresh()
        a = None
        try:
            a = dev.get_applicant(self.ledger, self.current_id)
        except KeyError:
            return
        if a.stage in ("full", "stopped"):
            self.show_done.setChecked(True)
        self._fill_pipeline()
        self._show_person(self.current_id)

    # -- actions
    def current(self) -> dev.Applicant | None:
        if self.current_id is None:
            return None
        try:
            return dev.get_applicant(self.ledger, self.current_id)
        except KeyError:
            return None

    def _after(self, text: str) -> None:
        self.ensure_fresh()
        self._show_person(self.current_id)
        self.ctx.status(text)

    def record_next(self) -> None:
        a = self.current()
        if a is None:
            return
        nxt = dev.next_step(self.ledger, a)
        if nxt is not None:
            self.open_key(a, nxt.key, None)

    def open_step(self, row: dev.TimelineRow) -> None:
        a = self.current()
        if a is None:
            return
        if row.status == "waiting":
            missing = rules.prerequisites_missing(dev.person_of(self.ledger, a), row.step.key)
            self.ctx.status("请先登记：" + "、".join(rules.BY_KEY[k].title for k in missing))
            return
        if row.status == "stopped":
            return
        if row.step.repeatable and row.entries and row.status == "open":
            self.open_key(a, row.step.key, None)
            return
        self.open_key(a, row.step.key, row.entries[-1] if row.entries else None)

    def open_key(self, a: dev.Applicant, key: str, entry: dev.StepEntry | None) -> None:
        dlg = StepDialog(self.ledger, a, key, entry, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self._after(f"{a.name}：已登记“{rules.BY_KEY[key].title}”")

    def edit_person(self) -> None:
        a = self.current()
        if a is None:
            return
        dlg = ApplicantDialog(self.ledger, a, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self._after(f"已保存 {a.name} 的信息")

    def extend(self) -> None:
        a = self.current()
        if a is not None and ExtensionDialog(self.ledger, a, self).exec() == QDialog.DialogCode.Accepted:
            self._after(f"{a.name}：已延长预备期")

    def stop(self) -> None:
        a = self.current()
        if a is not None and StopDialog(self.ledger, a, self).exec() == QDialog.DialogCode.Accepted:
            self._after(f"{a.name}：已终止发展（Ctrl+Z 可撤销）")

    def export_ledger(self) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog("development", Params(year=clock.today().year))

    def export_file(self) -> None:
        from exports.registry import Params

        if self.current_id is not None:
            self.ctx.window.export_dialog("applicant-file", Params(applicant_id=self.current_id, masked=True))


SECTION = DevelopmentSection
