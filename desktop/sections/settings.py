"""设置: the local practices of RULES.md (PRACTICE/UNCONFIRMED), each with its reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from db import opening, settings
from db.errors import InputRefused
from desktop.dialogs import show_error
from desktop.sections import Section
from desktop.widgets import DateField, SectionHeader, WrapLabel, primary_button


class SettingsSection(Section):
    key = "settings"
    title = "设置"
    watches = frozenset({"settings"})

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        header = SectionHeader("设置", "党内法规没有统一规定、各地做法不同的事项，可按上级党组织的要求调整。")
        self.save_btn = header.add_button(primary_button("保存设置"))
        self.save_btn.clicked.connect(self.save)
        self.layout_.addWidget(header)
        # the scroll area and its page in place before the form is filled: under the app's style sheet, a tree
        # of widgets given a new parent is polished again whole (the filled form moved in took 24 ms of the
        # section's first visit, set into the scroll area and that into the section)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.layout_.addWidget(scroll, 1)
        holder = QWidget()
        scroll.setWidget(holder)
        self.form = QFormLayout(holder)
        self.fields: dict[str, Any] = {}
        # where the electronic ledger starts (issue #15): a date, not one of the local-practice specs
        self.records_start = DateField()
        self.records_start.setMaximumWidth(360)
        start_hint = WrapLabel(
            "此前的事记在纸质台账上，不算“缺”（显示为“纸质台账”“期初”）；补录了更早的记录可改早；留空 = 不设。"
        )
        start_hint.setObjectName("SectionHint")
        self.form.addRow("电子台账起始日期", self.records_start)
        self.form.addRow("", start_hint)
        # the password (issue #21): its own dialog, since setting it rewrites the whole file
        pw_row = QWidget()
        pw_lay = QHBoxLayout(pw_row)
        pw_lay.setContentsMargins(0, 0, 0, 0)
        self.password_state = QLabel()
        self.password_btn = QPushButton("台账密码…")
        self.password_btn.clicked.connect(self._password)
        pw_lay.addWidget(self.password_state)
        pw_lay.addWidget(self.password_btn)
        pw_lay.addStretch(1)
        self.form.addRow("台账密码", pw_row)
        pw_hint = WrapLabel("设置密码后，台账文件、快照和备份都加密保存；忘记密码无法找回。")
        pw_hint.setObjectName("SectionHint")
        self.form.addRow("", pw_hint)
        for spec in settings.SPECS:
            if spec.choices:
                w: Any = QComboBox()
                for value, label in spec.choices:
                    w.addItem(label, value)
            elif spec.minimum is not None:
                w = QSpinBox()
                w.setRange(spec.minimum, spec.maximum or 9999)
            else:
                w = QLineEdit()
            w.setToolTip(spec.help + (f"\n（规则代码 {spec.rule}）" if spec.rule else ""))
            w.setMaximumWidth(360)
            hint = WrapLabel(spec.help)  # as tall as its lines at the width it has: no gaps between settings
            hint.setObjectName("SectionHint")
            self.form.addRow(spec.label, w)
            self.form.addRow("", hint)
            self.fields[spec.key] = w

    def _password(self) -> None:
        action = getattr(self.window(), "password_action", None)
        if action is not None:
            action.trigger()
        self._show_password_state()

    def _show_password_state(self) -> None:
        self.password_state.setText("已设置（文件已加密）" if self.ledger.encrypted else "未设置")

    def refresh(self) -> None:
        self._show_password_state()
        self.records_start.set_value(opening.records_start(self.ledger))
        values = settings.all_settings(self.ledger)
        for key, w in self.fields.items():
            v = values.get(key)
            if isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(v)))
            elif isinstance(w, QSpinBox):
                w.setValue(int(v))
            else:
                w.setText(str(v))

    def save(self) -> None:
        values = {}
        for key, w in self.fields.items():
            if isinstance(w, QComboBox):
                values[key] = w.currentData()
            elif isinstance(w, QSpinBox):
                values[key] = w.value()
            else:
                values[key] = w.text().strip()
        if self.records_start.error():
            show_error(self, f"电子台账起始日期：{self.records_start.error()}")
            return
        start = self.records_start.value()
        try:
            with self.ledger.operation("UpdateSettings", "修改设置"):
                settings.update(self.ledger, values)
                if start != opening.records_start(self.ledger):
                    opening.set_records_start(self.ledger, start)
        except (ValueError, InputRefused) as e:
            show_error(self, str(e))
            return
        self.ctx.status("设置已保存")
        lock = getattr(self.window(), "lock", None)
        if lock is not None:
            lock.refresh_timer()


SECTION = SettingsSection
