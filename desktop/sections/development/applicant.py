"""The dialogs that change the person rather than one step: 新增入党申请人 / 修改信息, 延长预备期 (D27)
and 终止发展."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import clock, members
from db import development as dev
from db.errors import InputRefused
from desktop.sections.development.checks import _Message, ask_override
from desktop.style import ERROR_RED, WARN_AMBER
from desktop.widgets import DateField, ScrollBody

EDUCATIONS = members.EDUCATION_CHOICES


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
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
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
        # the fields scroll on a short laptop screen; the checks and 保存 stay in view
        lay.addWidget(ScrollBody(body), 1)
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
