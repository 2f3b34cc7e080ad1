"""组织关系转接 on the roster (issue #18): 转出… on a member (the letter filled from the ledger, saved, printed), the
组织关系转接 tab (letters out and in with their 回执, 记录回执…, 转入…, 打印, 登记簿), and the dialogs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import clock, members, transfers
from db.connection import Ledger
from db.dates import fmt_zh
from db.errors import LedgerError
from db.members import Member
from db.transfers import Transfer
from desktop import dialogs
from desktop.models import Col, RowModel
from desktop.style import ERROR_RED, OK_GREEN, WARN_AMBER
from desktop.tasks import run_task
from desktop.widgets import DateField, ScrollBody, Table, WrapLabel, primary_button

LOCAL_NOTE = "有效期天数为地方惯例（同城一般10天、异地30天，最长3个月），默认值在“设置”中调整"


def _text(w: QLineEdit) -> str | None:
    return w.text().strip() or None


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setProperty("primary", True)
    box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
    box.rejected.connect(dialog.reject)
    return box


def print_transfer(parent: QWidget, ledger: Ledger, transfer_id: int) -> None:
    """Write the letter (or the 回执 of a letter received) as PDF to the documents folder, then offer to open it."""
    from desktop.export_dialog import default_folder, safe_filename
    from exports import registry

    t = transfers.get_transfer(ledger, transfer_id)
    name = members.names(ledger).get(t.member_id, "")
    what = "组织关系介绍信" if t.direction == "out" else "组织关系介绍信回执"
    out = default_folder() / (safe_filename(f"{what}-{t.number or t.id}-{name}") + ".pdf")
    reader = ledger.reader()

    def work(progress: Any, cancelled: Any) -> Path:
        try:
            return registry.export(
                reader,
                "transfer-letter",
                registry.Params(transfer_id=transfer_id),
                "pdf",
                out,
                progress,
                cancelled,
            )
        finally:
            reader.close()

    run_task(parent, f"正在生成{what}…", work, lambda path: dialogs.offer_open(parent, path, f"已生成{what}"))


# ------------------------------------------------------------------------------------------ 转出


class TransferOutDialog(QDialog):
    """转出: the letter filled from the ledger (类别 that day, 党费交到 from the dues ledger, 有效期 from the settings,
    the next 第X号 of the year); 开具并打印 saves it (the member leaves the roster that day) and writes the PDF."""

    def __init__(self, ledger: Ledger, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert member.id is not None
        self.ledger = ledger
        self.member = member
        self.saved_id: int | None = None
        self.setWindowTitle(f"组织关系转出 — {member.name}")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.date = DateField(required=True)
        self.date.set_value(clock.today())
        form.addRow("转出日期", self.date)
        self.number = QLabel()
        form.addRow("介绍信编号", self.number)
        self.to_org = QLineEdit()
        self.to_org.setPlaceholderText("接收党组织全称，如 中共某某公司委员会")
        form.addRow("转往党组织", self.to_org)
        self.addressee = QLineEdit()
        self.addressee.setPlaceholderText("介绍信抬头；空着则同转往党组织")
        form.addRow("抬头（致）", self.addressee)
        self.dues_to = QLineEdit()
        self.dues_to.setPlaceholderText("YYYY-MM")
        self.dues_to.setToolTip("党费已交到的月份，来自党费台账（可改）；打印时用大写")
        form.addRow("党费交到", self.dues_to)
        valid_row = QHBoxLayout()
        self.valid = QSpinBox()
        self.valid.setRange(1, 90)
        self.valid.setSuffix(" 天")
        self.valid.setValue(transfers.valid_days_setting(ledger))
        valid_row.addWidget(self.valid)
        local = QLabel("（地方惯例）")
        local.setToolTip(LOCAL_NOTE)
        local.setObjectName("SectionHint")
        valid_row.addWidget(local)
        valid_row.addStretch(1)
        form.addRow("有效期", valid_row)
        self.channel = QComboBox()
        for code, label in transfers.CHANNEL_LABELS.items():
            self.channel.addItem(label, code)
        form.addRow("方式", self.channel)
        self.handled_by = QLineEdit()
        form.addRow("经办人", self.handled_by)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如 工作调动（个人信息，不进入脱敏报送包）")
        form.addRow("转出原因", self.reason)
        lay.addLayout(form)
        self.note = WrapLabel("")
        self.note.setObjectName("SectionHint")
        lay.addWidget(self.note)
        box = _buttons(self, "开具并打印")
        box.accepted.connect(self.save)
        lay.addWidget(box)
        self.date.changed.connect(self._fill)
        self.dues_to.textEdited.connect(lambda _t: self._note())
        self._fill()

    def _fill(self) -> None:
        day = self.date.value() or clock.today()
        try:
            draft = transfers.draft_out(self.ledger, self.member.id or 0, day)
        except (LedgerError, KeyError):
            return
        self.draft = draft
        self.number.setText(f"第{draft.number}号（{draft.category_label}）")
        self.dues_to.setText(draft.dues_paid_through or "")
        self._note()

    def _note(self) -> None:
        day = self.date.value() or clock.today()
        paid = self.dues_to.text().strip() or None
        lines = [
            f"保存后，{self.member.name}自{fmt_zh(day)}起不再计入在册党员：此后的党费不再应交，会议不再计入应到。"
        ]
        if transfers.dues_behind(paid, day):
            lines.append(f"提醒：党费只交到{paid or '（无记录）'}，转出前一般应交到本月或上月（地方惯例）。")
        self.note.setText("\n".join(lines))

    def value(self) -> Transfer:
        t = self.draft
        t.transfer_on = self.date.value() or clock.today()
        t.issued_on = t.transfer_on
        t.to_org = _text(self.to_org)
        t.addressee = _text(self.addressee)
        t.dues_paid_through = _text(self.dues_to)
        t.valid_days = self.valid.value()
        t.channel = self.channel.currentData()
        t.handled_by = _text(self.handled_by)
        t.reason = _text(self.reason)
        return t

    def save(self) -> None:
        err = self.date.error()
        if err:
            dialogs.show_error(self, f"转出日期：{err}")
            return
        try:
            self.saved_id = transfers.transfer_out(self.ledger, self.value())
        except LedgerError as e:
            dialogs.show_error(self, e, "组织关系转出未保存")
            return
        self.accept()
        print_transfer(self.parentWidget() or self, self.ledger, self.saved_id)


# ------------------------------------------------------------------------------------------ 回执


class ReceiptDialog(QDialog):
    """记录回执 (ZZ06): the day the 回执 came back (转出) or was sent (转入), and who handled it."""

    def __init__(self, ledger: Ledger, t: Transfer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.t = t
        name = members.names(ledger).get(t.member_id, "")
        self.setWindowTitle(f"记录回执 — {name} 第{t.number}号")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.date = DateField(required=True)
        self.date.set_value(t.receipt_on or clock.today())
        form.addRow("收到回执日期" if t.direction == "out" else "寄回回执日期", self.date)
        self.by = QLineEdit(t.receipt_by or "")
        self.by.setPlaceholderText("对方经办人" if t.direction == "out" else "本方经办人")
        form.addRow("经办人", self.by)
        lay.addLayout(form)
        box = _buttons(self, "保存")
        box.accepted.connect(self.save)
        lay.addWidget(box)

    def save(self) -> None:
        err = self.date.error()
        if err:
            dialogs.show_error(self, f"回执日期：{err}")
            return
        try:
            transfers.record_receipt(self.ledger, self.t.id or 0, self.date.value(), _text(self.by))
        except LedgerError as e:
            dialogs.show_error(self, e, "回执未保存")
            return
        self.accept()


# ------------------------------------------------------------------------------------------ 转入


class TransferInDialog(QDialog):
    """转入: the letter received (编号, 来自, 党费交到; for a 预备党员 the 支部大会 date and any extension, D23/ZZ13)
    and the member — new, or one who left earlier and comes back (history kept)."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.saved_id: int | None = None
        self.setWindowTitle("组织关系转入")
        self.setMinimumWidth(720)
        lay = QVBoxLayout(self)
        body = QWidget()
        cols = QHBoxLayout(body)
        cols.setContentsMargins(0, 0, 0, 0)
        person = QGroupBox("党员")
        pf = QFormLayout(person)
        self.who = QComboBox()
        self.who.addItem("新党员（填写下列信息）", None)
        for m in members.list_members(ledger):
            if m.status != "active":
                self.who.addItem(f"{m.name}（{m.status_label}，曾在本支部）", m.id)
        pf.addRow("转入的是", self.who)
        self.name = QLineEdit()
        pf.addRow("姓名", self.name)
        self.gender = QComboBox()
        self.gender.addItem("（请选择）", None)
        for code, label in members.GENDER_LABELS.items():
            self.gender.addItem(label, code)
        pf.addRow("性别", self.gender)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("可填，出生日期和性别会自动核对")
        pf.addRow("公民身份号码", self.id_number)
        self.ethnicity = QComboBox()
        self.ethnicity.setEditable(True)
        self.ethnicity.addItems(members.ETHNICITY_CHOICES)
        pf.addRow("民族", self.ethnicity)
        self.joined_on = DateField()
        pf.addRow("入党日期", self.joined_on)
        self.full_on = DateField()
        pf.addRow("转正日期", self.full_on)
        self.category = QComboBox()
        for code, label in transfers.CATEGORY_LABELS.items():
            self.category.addItem(label, code)
        pf.addRow("人员类别", self.category)
        self.admitted_on = DateField()
        self.admitted_on.setToolTip("原支部大会接收为预备党员的日期：预备期从这天算起一年")
        pf.addRow("接收为预备党员", self.admitted_on)
        self.extension = QSpinBox()
        self.extension.setRange(0, 12)
        self.extension.setSuffix(" 个月")
        pf.addRow("已延长预备期", self.extension)
        cols.addWidget(person, 1)
        letter = QGroupBox("介绍信")
        lf = QFormLayout(letter)
        self.letter_no = QLineEdit()
        self.letter_no.setPlaceholderText("介绍信上的第X号")
        lf.addRow("介绍信编号", self.letter_no)
        self.from_org = QLineEdit()
        self.from_org.setPlaceholderText("原所在党组织全称")
        lf.addRow("来自", self.from_org)
        self.issued_on = DateField()
        lf.addRow("介绍信日期", self.issued_on)
        self.report_on = DateField(required=True)
        self.report_on.set_value(clock.today())
        lf.addRow("报到日期", self.report_on)
        self.dues_to = QLineEdit()
        self.dues_to.setPlaceholderText("YYYY-MM，介绍信上的党费交到")
        lf.addRow("党费交到", self.dues_to)
        self.valid = QSpinBox()
        self.valid.setRange(1, 90)
        self.valid.setSuffix(" 天")
        self.valid.setValue(30)
        lf.addRow("有效期", self.valid)
        self.archive = QLineEdit()
        self.archive.setPlaceholderText("如 档案齐全 / 待查")
        lf.addRow("档案查核", self.archive)
        self.handled_by = QLineEdit()
        lf.addRow("经办人", self.handled_by)
        cols.addWidget(letter, 1)
        lay.addWidget(ScrollBody(body), 1)
        self.note = WrapLabel(
            "保存后该党员自报到日期起计入在册党员；转入的预备党员预备期满后可推迟讨论转正，但不超过6个月。"
            "接收后一个月内寄回回执，并安排一次“六必谈”谈话（组织关系转入）。"
        )
        self.note.setObjectName("SectionHint")
        lay.addWidget(self.note)
        box = _buttons(self, "转入并打印回执")
        box.accepted.connect(self.save)
        lay.addWidget(box)
        self.who.currentIndexChanged.connect(self._sync)
        self.category.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        new = self.who.currentData() is None
        for w in (self.name, self.gender, self.id_number, self.ethnicity, self.joined_on, self.full_on):
            w.setEnabled(new)
        prob = self.category.currentData() == "probationary"
        self.admitted_on.setEnabled(prob)
        self.extension.setEnabled(prob)
        self.full_on.setEnabled(new and not prob)

    def letter(self) -> Transfer:
        prob = self.category.currentData() == "probationary"
        return Transfer(
            "in",
            self.who.currentData() or 0,
            self.report_on.value() or clock.today(),
            category=self.category.currentData(),
            letter_no=_text(self.letter_no),
            issued_on=self.issued_on.value(),
            from_org=_text(self.from_org),
            dues_paid_through=_text(self.dues_to),
            valid_days=self.valid.value(),
            handled_by=_text(self.handled_by),
            admitted_on=self.admitted_on.value() if prob else None,
            extension_months=(self.extension.value() or None) if prob else None,
            archive_checked=_text(self.archive),
        )

    def newcomer(self) -> Member | None:
        if self.who.currentData() is not None:
            return None
        prob = self.category.currentData() == "probationary"
        return Member(
            name=self.name.text().strip(),
            gender=self.gender.currentData(),
            id_number=_text(self.id_number),
            ethnicity=self.ethnicity.currentText().strip() or None,
            joined_on=self.joined_on.value() or (self.admitted_on.value() if prob else None),
            full_on=None if prob else self.full_on.value(),
        )

    def save(self) -> None:
        for field, label in (
            (self.report_on, "报到日期"),
            (self.issued_on, "介绍信日期"),
            (self.joined_on, "入党日期"),
            (self.full_on, "转正日期"),
            (self.admitted_on, "接收为预备党员"),
        ):
            if field.isEnabled() and field.error():
                dialogs.show_error(self, f"{label}：{field.error()}")
                return
        try:
            self.saved_id = transfers.transfer_in(self.ledger, self.letter(), self.newcomer())
        except LedgerError as e:
            dialogs.show_error(self, e, "组织关系转入未保存")
            return
        self.accept()
        print_transfer(self.parentWidget() or self, self.ledger, self.saved_id)


# ------------------------------------------------------------------------------------------ the tab


def receipt_status(t: Transfer, today: dt.date) -> tuple[str, str | None]:
    """The 回执 column: text and colour."""
    if t.receipt_on is not None:
        return (
            f"已收到（{fmt_zh(t.receipt_on)}）"
            if t.direction == "out"
            else f"已寄回（{fmt_zh(t.receipt_on)}）"
        ), OK_GREEN
    if t.direction == "in":
        return "待寄回", WARN_AMBER
    if transfers.receipt_overdue(t, today):
        return f"逾期未回（应于{fmt_zh(t.receipt_due)}前）", ERROR_RED
    return f"未收到（{fmt_zh(t.receipt_due)}前）", None


class TransfersTab(QWidget):
    """转出 and 转入 letters with their 回执; 记录回执…, 转入…, 打印, 登记簿."""

    def __init__(self, section: Any) -> None:
        super().__init__()
        self.section = section
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.hint = WrapLabel("")
        self.hint.setObjectName("SectionHint")
        top.addWidget(self.hint, 1)
        self.in_btn = primary_button("转入…")
        self.in_btn.setToolTip("收到外单位开来的组织关系介绍信")
        self.in_btn.clicked.connect(self.receive)
        self.register_btn = QPushButton("导出存根登记簿")
        self.register_btn.clicked.connect(self.export_register)
        top.addWidget(self.in_btn)
        top.addWidget(self.register_btn)
        lay.addLayout(top)
        today = clock.today
        self.names: dict[int, str] = {}
        cols: list[Col[Transfer]] = [
            Col("方向", lambda t: t.direction_label, align="center", width=50),
            Col("编号", lambda t: t.number, align="center", width=90),
            Col("姓名", lambda t: self.names.get(t.member_id, ""), width=80),
            Col("类别", lambda t: t.category_label, align="center", width=80),
            Col("日期", lambda t: t.transfer_on, width=120),
            Col(
                "转往 / 来自",
                lambda t: t.to_org if t.direction == "out" else t.from_org,
                width=200,
                tooltip=lambda t: t.to_org if t.direction == "out" else t.from_org,
            ),
            Col("党费交到", lambda t: t.dues_paid_through, align="center", width=80),
            Col(
                "回执",
                lambda t: receipt_status(t, today())[0],
                width=250,
                color=lambda t: receipt_status(t, today())[1],
            ),
            Col("经办人", lambda t: t.handled_by, width=70),
        ]
        self.model: RowModel[Transfer] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(lambda t: self.record_receipt())
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # newest first
        lay.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.receipt_btn = QPushButton("记录回执…")
        self.receipt_btn.setToolTip("双击或回车")
        self.receipt_btn.clicked.connect(self.record_receipt)
        self.print_btn = QPushButton("打印介绍信 / 回执")
        self.print_btn.clicked.connect(self.print_current)
        self.delete_btn = QPushButton("删除（录错时）…")
        self.delete_btn.clicked.connect(self.delete)
        for b in (self.receipt_btn, self.print_btn, self.delete_btn):
            actions.addWidget(b)
        actions.addStretch(1)
        lay.addLayout(actions)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._buttons())

    @property
    def ledger(self) -> Ledger:
        return self.section.ledger

    def load(self) -> None:
        self.names = members.names(self.ledger)
        rows = list(reversed(transfers.list_transfers(self.ledger)))
        self.model.set_rows(rows)
        today = clock.today()
        overdue = sum(1 for t in rows if transfers.receipt_overdue(t, today))
        waiting = sum(1 for t in rows if t.direction == "out" and t.receipt_on is None)
        if not rows:
            self.hint.setText(
                "还没有组织关系转接记录 — 党员转出请在“党员名单”中选中党员后按“转出…”；收到介绍信请按“转入…”。"
            )
        else:
            self.hint.setText(
                f"共 {len(rows)} 条：转出 {sum(1 for t in rows if t.direction == 'out')}，"
                f"转入 {sum(1 for t in rows if t.direction == 'in')}；回执未收到 {waiting} 封"
                + (f"，其中 {overdue} 封已逾期（有效期满一个月仍未退回）。" if overdue else "。")
            )
        self._buttons()

    def _buttons(self) -> None:
        has = self.table.current_row() is not None
        for b in (self.receipt_btn, self.print_btn, self.delete_btn):
            b.setEnabled(has)

    def select(self, transfer_id: int | None) -> bool:
        return self.table.select_where(lambda t: t is not None and t.id == transfer_id)

    def record_receipt(self) -> None:
        t = self.table.current_row()
        if t is None:
            return
        if ReceiptDialog(self.ledger, t, self).exec() == QDialog.DialogCode.Accepted:
            self.section.ctx.status(f"已登记回执：{self.names.get(t.member_id, '')} 第{t.number}号")

    def receive(self) -> None:
        dlg = TransferInDialog(self.ledger, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved_id is not None:
            self.section.ensure_fresh()
            self.select(dlg.saved_id)
            t = transfers.get_transfer(self.ledger, dlg.saved_id)
            name = members.names(self.ledger).get(t.member_id, "")
            self.section.ctx.status(f"{name}已转入本支部（{fmt_zh(t.transfer_on)}）")
            self.offer_talk(t.member_id, name)

    def offer_talk(self, member_id: int, name: str) -> None:
        """六必谈 (RULES-EXT §9 TX07): a talk on arrival, offered at once; also listed as pending in 组织生活."""
        if not dialogs.confirm(
            self,
            "六必谈",
            f"组织关系转入是“六必谈”的事由之一。现在登记与{name}的谈心谈话吗？\n"
            "（以后再谈也可以：“组织生活 › 谈心谈话”会一直提示待谈。）",
            "现在登记",
        ):
            return
        from db.committee.terms import secretary_on
        from db.talks import Talk
        from desktop.sections.orglife.talks import TalkDialog

        today = clock.today()
        sec = secretary_on(self.ledger, today)
        TalkDialog(
            self.ledger,
            Talk(today, sec if sec != member_id else None, member_id, "trigger", "transfer_in"),
            self,
        ).exec()  # type: ignore[arg-type]

    def print_current(self) -> None:
        t = self.table.current_row()
        if t is not None and t.id is not None:
            print_transfer(self, self.ledger, t.id)

    def delete(self) -> None:
        t = self.table.current_row()
        if t is None or t.id is None:
            return
        name = self.names.get(t.member_id, "")
        if not dialogs.confirm(
            self,
            "删除转接记录",
            f"只有录入错误的记录才应删除。删除{name}的{t.direction_label}记录（第{t.number}号）后，"
            "其党籍状态恢复到转接之前。\n\n确定删除吗？（可用 Ctrl+Z 撤销）",
            "删除",
            danger=True,
        ):
            return
        try:
            transfers.delete_transfer(self.ledger, t.id)
        except LedgerError as e:
            dialogs.show_error(self, e, "不能删除")

    def export_register(self) -> None:
        from exports.registry import Params

        self.section.ctx.window.export_dialog("transfer-register", Params(year=clock.today().year))
