"""党员花名册: the roster table (search, filters, sort as you type; ID and phone masked), the member form, status
changes with date and reason, each member's history, and the way in from Excel and out to the printed roster."""

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
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import branch, clock, members
from db.dates import fmt_zh
from db.errors import InputRefused, Problem
from db.members import FIELD_LABELS, Member
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.style import ERROR_RED, WARN_AMBER
from desktop.widgets import DateField, EmptyState, SearchBox, SectionHeader, Table, primary_button

STATUS_ACTIONS = {  # what the secretary does -> the status it leads to
    "transferred_out": "转出",
    "deceased": "去世",
    "left": "出党/除名",
    "suspended": "停止党籍",
    "active": "恢复（在册）",
}
HISTORY_FIELDS = {
    "status": "党籍状态",
    "category": "人员类别",
    "group_id": "党小组",
    "in_branch_since": "转入本支部",
}


# ------------------------------------------------------------------------------------------ controllers


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


def history_rows(ledger: Any, member_id: int) -> list[dict[str, str]]:
    groups = {str(g.id): g.name for g in branch.list_groups(ledger)}

    def label(field: str, value: str | None) -> str:
        if value is None or value == "":
            return "（无）"
        if field == "status":
            return members.STATUS_LABELS.get(value, value)
        if field == "category":
            return members.CATEGORY_LABELS.get(value, value)
        if field == "group_id":
            return groups.get(value, f"已删除的党小组（{value}）")
        return value

    out = []
    for h in members.history_of(ledger, member_id):
        out.append(
            {
                "date": fmt_zh(dt.date.fromisoformat(h["changed_on"])),
                "field": HISTORY_FIELDS.get(h["field"], h["field"]),
                "from": label(h["field"], h["from_value"]),
                "to": label(h["field"], h["to_value"]),
                "reason": h["reason"] or "",
            }
        )
    return out


# ------------------------------------------------------------------------------------------ the form


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
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        left, right = QFormLayout(), QFormLayout()
        for f in (left, right):
            f.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        outer.addLayout(grid)
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
        self.name.setFocus()

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


# ------------------------------------------------------------------------------------------ small dialogs


class StatusDialog(QDialog):
    """转出, 去世, 出党/除名, 停止党籍, 恢复: the date and the reason; the member stays in past records."""

    def __init__(self, ledger: Any, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.member = member
        self.setWindowTitle(f"党籍变更 — {member.name}")
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        form.addRow("现在", QLabel(member.status_label))
        self.status = QComboBox()
        for code, label in STATUS_ACTIONS.items():
            if code != member.status:
                self.status.addItem(label, code)
        form.addRow("变更为", self.status)
        self.date = DateField(required=True)
        self.date.set_value(clock.today())
        form.addRow("日期", self.date)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如 转往××党支部；介绍信编号……")
        form.addRow("原因/说明", self.reason)
        self.error = _ErrorLabel()
        form.addRow("", self.error)
        note = QLabel("变更后，此前的会议、党费等记录中仍保留该党员；花名册默认只显示在册党员。")
        note.setObjectName("SectionHint")
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        if self.date.error():
            self.error.show_text(f"日期：{self.date.error()}")
            return
        when = self.date.value()
        assert when is not None and self.member.id is not None
        if self.member.joined_on and when < self.member.joined_on:
            self.error.show_text("变更日期早于加入党组织日期")
            return
        try:
            members.change_status(
                self.ledger,
                self.member.id,
                self.status.currentData(),
                when,
                self.reason.text().strip() or self.status.currentText(),
            )
        except InputRefused as e:
            self.error.show_text("；".join(p.message for p in e.problems))
            return
        self.accept()


class HistoryDialog(QDialog):
    def __init__(self, ledger: Any, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"变动记录 — {member.name}")
        self.resize(640, 360)
        lay = QVBoxLayout(self)
        rows = history_rows(ledger, member.id) if member.id is not None else []
        cols: list[Col[dict[str, str]]] = [
            Col("日期", lambda r: r["date"], width=130),
            Col("变更项", lambda r: r["field"], width=90),
            Col("原来", lambda r: r["from"], width=100),
            Col("变为", lambda r: r["to"], width=100),
            Col("原因/说明", lambda r: r["reason"], width=180),
        ]
        self.model: RowModel[dict[str, str]] = RowModel(cols, rows)
        self.table = Table(self.model, sortable=False)
        if rows:
            lay.addWidget(self.table, 1)
        else:
            lay.addWidget(EmptyState("这名党员还没有党籍、类别或党小组的变动记录。"), 1)
        joined = f"加入党组织：{fmt_zh(member.joined_on) or '未填'}　　转正：{fmt_zh(member.full_on) or '—'}"
        hint = QLabel(joined)
        hint.setObjectName("SectionHint")
        lay.addWidget(hint)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)


# ------------------------------------------------------------------------------------------ the section


class _RosterEmpty(QWidget):
    """'还没有党员 — 新增党员 / 从 Excel 导入': both ways to start, side by side."""

    def __init__(self, on_new: Any, on_import: Any) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.label = QLabel(
            "还没有党员 — 新增党员，或从已有的 Excel 花名册导入（表头顺序不限，导入前会逐行检查）。"
        )
        self.label.setObjectName("EmptyState")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = primary_button("新增党员")
        self.button.clicked.connect(on_new)
        self.import_button = QPushButton("从 Excel 导入")
        self.import_button.clicked.connect(on_import)
        row.addWidget(self.button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(2)


class RosterSection(Section):
    key = "roster"
    title = "党员花名册"
    watches = frozenset({"members", "member_history", "party_groups"})

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("党员花名册", "")
        self.add_btn = self.header.add_button(primary_button("新增党员"))
        self.add_btn.setToolTip("Ctrl+N")
        self.add_btn.clicked.connect(self.new_item)
        self.import_btn = self.header.add_button(QPushButton("从 Excel 导入"))
        self.import_btn.clicked.connect(lambda: self.import_excel())
        self.export_btn = self.header.add_button(QPushButton("导出花名册"))
        self.export_btn.setToolTip("Ctrl+P")
        self.export_btn.clicked.connect(self.export_roster)
        self.layout_.addWidget(self.header)

        filters = QHBoxLayout()
        self.search = SearchBox("搜索姓名、岗位、党小组…（Ctrl+F）")
        self.search.textChanged.connect(lambda t: self.table.proxy.set_search(t))
        filters.addWidget(self.search, 1)
        self.status_filter = QComboBox()
        self.status_filter.addItem("在册党员", "active")
        self.status_filter.addItem("全部（含已离开）", None)
        for code, label in members.STATUS_LABELS.items():
            if code != "active":
                self.status_filter.addItem(label, code)
        self.category_filter = QComboBox()
        self.category_filter.addItem("全部类别", None)
        for code, label in members.CATEGORY_LABELS.items():
            self.category_filter.addItem(label, code)
        self.group_filter = QComboBox()
        for w, label in (
            (self.status_filter, "党籍"),
            (self.category_filter, "类别"),
            (self.group_filter, "党小组"),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
            w.currentIndexChanged.connect(self._apply_filters)
        self.layout_.addLayout(filters)

        self.groups: dict[int, str] = {}
        cols: list[Col[Member]] = [
            Col("姓名", lambda m: m.name, width=90),
            Col("性别", lambda m: m.gender_label, align="center", width=44),
            Col("人员类别", lambda m: m.category_label, align="center", width=80),
            Col("党小组", lambda m: self.groups.get(m.group_id or -1, ""), width=110),
            Col("公民身份号码", lambda m: m.masked_id, align="center", width=150),
            Col("手机号", lambda m: m.masked_phone, align="center", width=105),
            Col("出生日期", lambda m: m.birth_date, width=118),
            Col("加入党组织日期", lambda m: m.joined_on, width=118),
            Col("转正日期", lambda m: m.full_on, width=118),
            Col("工作岗位", lambda m: m.job, width=140),
            Col(
                "党籍状态",
                lambda m: (
                    m.status_label
                    + (
                        f"（{fmt_zh(m.status_changed_on)}）"
                        if m.status != "active" and m.status_changed_on
                        else ""
                    )
                ),
                width=170,
                color=lambda m: None if m.status == "active" else WARN_AMBER,
            ),
        ]
        self.model: RowModel[Member] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(self.edit)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

        self.stack = QStackedWidget()
        table_page = QWidget()
        tl = QVBoxLayout(table_page)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.edit_btn = QPushButton("修改…")
        self.edit_btn.setToolTip("双击或回车")
        self.edit_btn.clicked.connect(lambda: self.edit(self.table.current_row()))
        self.status_btn = QPushButton("党籍变更…")
        self.status_btn.setToolTip("转出、去世、出党/除名、停止党籍或恢复")
        self.status_btn.clicked.connect(self.change_status)
        self.history_btn = QPushButton("变动记录…")
        self.history_btn.clicked.connect(self.show_history)
        self.delete_btn = QPushButton("删除（录错时）…")
        self.delete_btn.clicked.connect(self.delete)
        for b in (self.edit_btn, self.status_btn, self.history_btn, self.delete_btn):
            actions.addWidget(b)
        actions.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("SectionHint")
        actions.addWidget(self.count_label)
        tl.addLayout(actions)
        self.stack.addWidget(table_page)
        self.empty = _RosterEmpty(self.new_item, lambda: self.import_excel())
        self.empty_import = self.empty.import_button
        self.stack.addWidget(self.empty)
        self.layout_.addWidget(self.stack, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.proxy.rowsInserted.connect(lambda *_: self._update_count())
        self.table.proxy.modelReset.connect(self._update_count)
        self.table.proxy.layoutChanged.connect(self._update_count)

    # -- loading
    def refresh(self) -> None:
        current = self.table.current_row()
        self.groups = {g.id: g.name for g in branch.list_groups(self.ledger) if g.id is not None}
        gid = self.group_filter.currentData()
        self.group_filter.blockSignals(True)
        self.group_filter.clear()
        self.group_filter.addItem("全部党小组", None)
        for g_id, name in self.groups.items():
            self.group_filter.addItem(name, g_id)
        self.group_filter.addItem("未分党小组", -1)
        self.group_filter.setCurrentIndex(max(0, self.group_filter.findData(gid)))
        self.group_filter.blockSignals(False)
        self.group_filter.setEnabled(bool(self.groups))
        rows = members.list_members(self.ledger)
        self.model.set_rows(rows)
        self.stack.setCurrentIndex(0 if rows else 1)
        self.export_btn.setEnabled(bool(rows))
        c = members.counts_on(self.ledger, clock.today())
        self.header.set_hint(
            f"在册 {c['total']} 名：正式党员 {c['full']} 名，预备党员 {c['probationary']} 名。"
            "身份证号和手机号在表中只显示部分，打开党员可查看完整信息。"
        )
        self._apply_filters()
        if current is not None:
            self.select_member(current.id)
        self._update_buttons()

    def _apply_filters(self) -> None:
        status = self.status_filter.currentData()
        category = self.category_filter.currentData()
        group = self.group_filter.currentData()

        def keep(m: Member) -> bool:
            if status is not None and m.status != status:
                return False
            if category is not None and m.category != category:
                return False
            if group == -1:
                return m.group_id is None
            return group is None or m.group_id == group

        self.table.proxy.set_extra_filter(keep)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.table.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"显示 {shown} / 共 {total} 人")

    def _update_buttons(self) -> None:
        has = self.table.current_row() is not None
        for b in (self.edit_btn, self.status_btn, self.history_btn, self.delete_btn):
            b.setEnabled(has)

    def select_member(self, member_id: int | None) -> bool:
        return self.table.select_where(lambda m: m is not None and m.id == member_id)

    # -- Section API
    def new_item(self) -> None:
        dlg = MemberDialog(self.ledger, None, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved_id is not None:
            self.ensure_fresh()
            self.search.clear()
            self.select_member(dlg.saved_id)
            self.ctx.status(f"已新增党员 {dlg.name.text().strip()}")

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        if subject_type != "member" or subject_id is None:
            return
        self.ensure_fresh()
        self.search.clear()
        if not self.select_member(int(subject_id)):
            self.status_filter.setCurrentIndex(self.status_filter.findData(None))
            self.category_filter.setCurrentIndex(0)
            self.group_filter.setCurrentIndex(0)
            self.select_member(int(subject_id))
        row = self.table.current_row()
        if row is not None and row.id == int(subject_id):
            self.edit(row)

    # -- actions on the selected member
    def edit(self, m: Member | None) -> None:
        if m is None:
            return
        fresh = members.get(self.ledger, m.id) if m.id is not None else m
        dlg = MemberDialog(self.ledger, fresh, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.ensure_fresh()
            self.select_member(m.id)
            self.ctx.status(f"已保存 {fresh.name} 的信息")

    def change_status(self) -> None:
        m = self.table.current_row()
        if m is None:
            return
        dlg = StatusDialog(self.ledger, members.get(self.ledger, m.id), self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.ensure_fresh()
            self.ctx.status(f"{m.name}：{dlg.status.currentText()}（{fmt_zh(dlg.date.value())}）")

    def show_history(self) -> None:
        m = self.table.current_row()
        if m is not None:
            HistoryDialog(self.ledger, members.get(self.ledger, m.id), self).exec()

    def delete(self) -> None:
        m = self.table.current_row()
        if m is None:
            return
        if not confirm(
            self,
            "删除党员",
            f"只有录入错误的记录才应删除。“{m.name}”如已离开支部，请用“党籍变更”（转出、去世等），"
            f"这样过去的会议和党费记录仍然完整。\n\n确定删除“{m.name}”吗？（可用 Ctrl+Z 撤销）",
            "删除",
            danger=True,
        ):
            return
        try:
            members.delete(self.ledger, m.id)
        except InputRefused as e:
            show_error(self, e, "不能删除")
            return
        self.ctx.status(f"已删除 {m.name}（Ctrl+Z 可撤销）")

    def import_excel(self, path: Any = None) -> None:
        from desktop.roster_import_dialog import RosterImportDialog

        dlg = RosterImportDialog(self.ctx, path, self)
        if dlg.path is not None:
            dlg.exec()
        self.ensure_fresh()

    def export_roster(self) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog("roster", Params(year=clock.today().year))


SECTION = RosterSection
