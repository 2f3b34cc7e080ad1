"""The member form (新增/修改党员): every §7.1 item plus 党小组, 党内职务, 职业, 生产工作一线, with the
problems shown under each field and nothing saved until they are fixed; the checks and the save it
calls; the red/amber line it (and the status dialog) shows problems in."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db import branch, members
from db.dates import fmt_zh
from db.errors import InputRefused, Problem
from db.members import FIELD_LABELS, Member
from desktop.style import ERROR_RED, WARN_AMBER
from desktop.widgets import DateField, ScrollBody


def life_summary(ledger: Any, member_id: int) -> str:
    """One line on the member form from the 组织生活 tabs (issue #18): away, 留党察看, 表彰, 关怀 — no reasons."""
    from db import care, clock, honors, mobility

    today = clock.today()
    parts: list[str] = []
    for o in mobility.list_outings(ledger, member_id=member_id):
        if o.away_on(today):
            parts.append(f"外出流动（{o.destination}，{fmt_zh(o.left_on)}起）")
    if member_id in honors.probation_ids(ledger, today):
        parts.append("留党察看期间（无表决权）")
    awards = honors.list_awards(ledger, member_id=member_id)
    if awards:
        parts.append("表彰" + "、".join(a.label for a in awards[-2:]))
    for e in care.list_register(ledger, member_id=member_id):
        if e.active_on(today):
            parts.append(e.category_label + ("（关怀豁免）" if e.exempt else ""))
    return "；".join(parts) + (
        "　　在“组织生活”中登记" if parts else "无（在“组织生活”的流动党员、奖惩、关怀中登记）"
    )


def save_member(ledger: Any, m: Member) -> int:
    """Add or update; raises InputRefused with the problems by field label."""
    if m.id is None:
        return members.add(ledger, m)
    members.update(ledger, m, reason="修改党员信息")
    return m.id


def check_member(m: Member, today: dt.date | None = None) -> tuple[list[Problem], list[Problem]]:
    """Validation without saving (on a copy: validate normalises what it checks)."""
    res = members.validate(copy.copy(m), today=today)
    return res.errors, res.warnings


class _ErrorLabel(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_RED};")
        self.hide()

    def show_text(self, text: str, warn: bool = False) -> None:
        self.setStyleSheet(f"color: {WARN_AMBER if warn else ERROR_RED};")
        self.setText(text)
        self.setVisible(bool(text))


class MemberDialog(QDialog):
    """新增/修改党员: every §7.1 item plus 党小组, 党内职务, 职业, 生产工作一线. Tab moves through the fields in
    reading order; Ctrl+S or Enter on 保存 saves; problems appear under the field and nothing is saved."""

    def __init__(self, ledger: Any, member: Member | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.member = member
        self.saved_id: int | None = None
        self.setWindowTitle("修改党员信息" if member else "新增党员")
        self.setMinimumWidth(820)
        outer = QVBoxLayout(self)
        self.banner = _ErrorLabel()
        outer.addWidget(self.banner)
        # the fields scroll on a short laptop screen; 保存 stays in view
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        left, right = QFormLayout(), QFormLayout()
        for f in (left, right):
            f.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            # explicit: nested in a grid whose spacings differ, a form gets none (labels touched their fields)
            f.setHorizontalSpacing(8)
            f.setVerticalSpacing(6)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setRowStretch(1, 1)
        outer.addWidget(ScrollBody(body), 1)
        self.errors: dict[str, _ErrorLabel] = {}
        self.w: dict[str, Any] = {}

        def add(form: QFormLayout, key: str, widget: QWidget, label: str | None = None) -> None:
            form.addRow(label or FIELD_LABELS[key], widget)
            err = _ErrorLabel()
            form.addRow("", err)
            self.errors[key] = err
            self.w[key] = widget

        self.name = QLineEdit()
        add(left, "name", self.name, "姓名 *")
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位，末位可为X；15位旧号码会自动升级")
        self.id_number.editingFinished.connect(self._fill_from_id)
        add(left, "id_number", self.id_number)
        self.gender = QComboBox()
        self.gender.addItem("（按身份证号）", None)
        self.gender.addItem("男", "male")
        self.gender.addItem("女", "female")
        add(left, "gender", self.gender)
        self.birth_date = DateField()
        add(left, "birth_date", self.birth_date)
        self.ethnicity = QComboBox()
        self.ethnicity.setEditable(True)
        self.ethnicity.addItems(["", *members.ETHNICITY_CHOICES])
        add(left, "ethnicity", self.ethnicity)
        self.education = QComboBox()
        self.education.setEditable(True)
        self.education.addItems(["", *members.EDUCATION_CHOICES])
        add(left, "education", self.education)
        self.category = QComboBox()
        for code, label in members.CATEGORY_LABELS.items():
            self.category.addItem(label, code)
        self.category.currentIndexChanged.connect(self._category_changed)
        add(left, "category", self.category)
        self.joined_on = DateField()
        add(left, "joined_on", self.joined_on)
        self.full_on = DateField()
        add(left, "full_on", self.full_on)
        self.in_branch_since = DateField()
        self.in_branch_since.setToolTip("从其他支部转入的党员填写；本支部发展的可不填")
        add(left, "in_branch_since", self.in_branch_since)

        self.group = QComboBox()
        self.group.addItem("（未分党小组）", None)
        for g in branch.list_groups(ledger):
            self.group.addItem(g.name, g.id)
        add(right, "group_id", self.group)
        self.post = QLineEdit()
        self.post.setPlaceholderText("如 支部书记、组织委员、党小组长")
        add(right, "post", self.post)
        self.job = QLineEdit()
        add(right, "job", self.job)
        self.occupation = QComboBox()
        self.occupation.addItem("", None)
        for code, label in members.OCCUPATION_LABELS.items():
            self.occupation.addItem(label, code)
        add(right, "occupation", self.occupation)
        self.frontline = QCheckBox("在生产、工作第一线")
        add(right, "frontline", self.frontline)
        self.phone = QLineEdit()
        add(right, "phone", self.phone)
        self.landline = QLineEdit()
        self.landline.setPlaceholderText("区号-号码")
        add(right, "landline", self.landline)
        self.address = QLineEdit()
        self.address.setPlaceholderText("写到门牌号")
        add(right, "address", self.address)
        self.is_mobile = QCheckBox("是流动党员")
        add(right, "is_mobile", self.is_mobile)
        self.mobile_destination = QLineEdit()
        self.mobile_destination.setPlaceholderText("省/市/县")
        add(right, "mobile_destination", self.mobile_destination)
        self.lost_contact_since = DateField(month_ok=True)
        self.lost_contact_since.setToolTip("失联党员：与党组织失去联系超过6个月，填写失去联系的年月")
        add(right, "lost_contact_since", self.lost_contact_since)
        self.notes = QLineEdit()
        add(right, "notes", self.notes)
        self.status_note = QLabel()
        self.status_note.setObjectName("SectionHint")
        right.addRow("党籍状态", self.status_note)
        self.life_note = QLabel()
        self.life_note.setObjectName("SectionHint")
        self.life_note.setWordWrap(True)
        right.addRow("流动/奖惩/关怀", self.life_note)
        self.posts_note = QLabel()
        self.posts_note.setObjectName("SectionHint")
        self.posts_note.setWordWrap(True)
        right.addRow("示范岗/责任区", self.posts_note)

        buttons = QDialogButtonBox()
        self.save_btn = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_btn.setProperty("primary", True)
        self.save_btn.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._load(member or Member())
        self.posts_note.setText(self._posts_text(member))
        self.name.setFocus()

    def _posts_text(self, m: Member | None) -> str:
        """The member's 党员先锋岗/示范岗/责任区/突击队 (db.posts), newest first; edited in 园区工作 › 示范岗."""
        from db import clock, posts

        if m is None or m.id is None:
            return "（保存后可在“园区工作 › 示范岗”中设岗）"
        today = clock.today()
        held = sorted(posts.posts_of_member(self.ledger, m.id), key=lambda p: p.starts_on, reverse=True)
        if not held:
            return "无（在“园区工作 › 示范岗”中设岗）"
        return "\n".join(f"{p.kind_label}“{p.name}”{p.period_text()}（{p.state_label(today)}）" for p in held)

    # -- data in and out
    def _load(self, m: Member) -> None:
        self.name.setText(m.name)
        self.id_number.setText(m.id_number or "")
        self.gender.setCurrentIndex(max(0, self.gender.findData(m.gender)))
        self.birth_date.set_value(m.birth_date)
        self.ethnicity.setCurrentText(m.ethnicity or "")
        self.education.setCurrentText(m.education or "")
        self.category.setCurrentIndex(max(0, self.category.findData(m.category)))
        self.joined_on.set_value(m.joined_on)
        self.full_on.set_value(m.full_on)
        self.in_branch_since.set_value(m.in_branch_since)
        self.group.setCurrentIndex(max(0, self.group.findData(m.group_id)))
        self.post.setText(m.post or "")
        self.job.setText(m.job or "")
        self.occupation.setCurrentIndex(max(0, self.occupation.findData(m.occupation)))
        self.frontline.setChecked(m.frontline)
        self.phone.setText(m.phone or "")
        self.landline.setText(m.landline or "")
        self.address.setText(m.address or "")
        self.is_mobile.setChecked(m.is_mobile)
        self.mobile_destination.setText(m.mobile_destination or "")
        self.lost_contact_since.set_value(m.lost_contact_since)
        self.notes.setText(m.notes or "")
        since = f"（{fmt_zh(m.status_changed_on)}起）" if m.status_changed_on and m.status != "active" else ""
        self.status_note.setText(f"{m.status_label}{since}　　变更请用花名册上的“党籍变更”")
        self.life_note.setText(life_summary(self.ledger, m.id) if m.id is not None else "")
        self._category_changed()

    def member_from_form(self) -> Member:
        base = copy.copy(self.member) if self.member else Member()

        def text(w: QLineEdit) -> str | None:
            return w.text().strip() or None

        base.name = self.name.text().strip()
        base.id_number = text(self.id_number)
        base.gender = self.gender.currentData()
        base.birth_date = self.birth_date.value()
        base.ethnicity = self.ethnicity.currentText().strip() or None
        base.education = self.education.currentText().strip() or None
        base.category = self.category.currentData()
        base.joined_on = self.joined_on.value()
        base.full_on = self.full_on.value() if base.category == "full" else None
        base.in_branch_since = self.in_branch_since.value()
        base.group_id = self.group.currentData()
        base.post = text(self.post)
        base.job = text(self.job)
        base.occupation = self.occupation.currentData()
        base.frontline = self.frontline.isChecked()
        base.phone = text(self.phone)
        base.landline = text(self.landline)
        base.address = text(self.address)
        base.is_mobile = self.is_mobile.isChecked()
        base.mobile_destination = text(self.mobile_destination)
        base.lost_contact_since = self.lost_contact_since.value()
        base.notes = text(self.notes)
        return base

    def _category_changed(self) -> None:
        full = self.category.currentData() == "full"
        self.full_on.setEnabled(full)
        self.full_on.setToolTip("" if full else "预备党员没有转正日期")

    def _fill_from_id(self) -> None:
        """Show what the number says (sex, birth) as soon as it is typed."""
        from db.rules import idcard

        raw = self.id_number.text().strip()
        if not raw:
            self.errors["id_number"].show_text("")
            return
        try:
            info = idcard.parse(raw)
        except ValueError as e:
            self.errors["id_number"].show_text(str(e))
            return
        self.errors["id_number"].show_text("")
        self.id_number.setText(info.number)
        if self.gender.currentData() is None:
            self.gender.setCurrentIndex(self.gender.findData(info.gender))
        if self.birth_date.value() is None:
            self.birth_date.set_value(info.birth_date)

    # -- saving
    def show_problems(self, errors: list[Problem], warnings: list[Problem] | None = None) -> None:
        warnings = warnings or []
        by_label = {v: k for k, v in FIELD_LABELS.items()}
        for e in self.errors.values():
            e.show_text("")
        unplaced = []
        for p, warn in [(p, False) for p in errors] + [(p, True) for p in warnings]:
            key = by_label.get(p.column or "")
            if key == "status_changed_on":
                key = None
            if key in self.errors:
                lab = self.errors[key]
                if not lab.isVisible() or warn is False:
                    lab.show_text(p.message if not lab.isVisible() else lab.text() + "；" + p.message, warn)
            else:
                unplaced.append(p.message)
        head = f"有 {len(errors)} 处需要改正，未保存。" if errors else ""
        self.banner.show_text("　".join([head, *unplaced]).strip())
        if errors:
            first = by_label.get(errors[0].column or "")
            if first in self.w:
                self.w[first].setFocus()

    def save(self) -> None:
        date_errors = [
            Problem(f"{FIELD_LABELS[k]}：{w.error()}", column=FIELD_LABELS[k])
            for k, w in self.w.items()
            if isinstance(w, DateField) and w.error()
        ]
        m = self.member_from_form()
        errors, warnings = check_member(m)
        errors = date_errors + [e for e in errors if e.column not in {d.column for d in date_errors}]
        if errors:
            self.show_problems(errors, warnings)
            return
        try:
            self.saved_id = save_member(self.ledger, m)
        except InputRefused as e:
            self.show_problems(e.problems)
            return
        self.warnings = warnings
        self.accept()
