"""First run: 新建支部 / 打开示例支部 / 打开已有台账; and the snapshot chooser used when a file is damaged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db.connection import SNAPSHOT_REASONS, snapshot_info
from db.opening.start import default_start
from desktop import fit
from desktop.widgets import DateField, WrapLabel, primary_button


class Welcome(QWidget):
    """Emits `chosen` with ("new", details) / ("demo", None) / ("open", None)."""

    chosen = Signal(str, object)

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("支部台账")
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        # the same red band as the main window, with the app's icon: the secretary sees one program
        header = QWidget()
        header.setObjectName("HeaderBar")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        hl = QHBoxLayout(header)
        hl.setContentsMargins(16, 10, 16, 10)
        hl.setSpacing(10)
        self.icon_label = QLabel()
        icon = QApplication.windowIcon()
        if not icon.isNull():
            self.icon_label.setPixmap(icon.pixmap(QSize(32, 32)))
            self.setWindowIcon(icon)
        else:
            self.icon_label.hide()
        hl.addWidget(self.icon_label)
        band_title = QLabel("支部台账")
        band_title.setObjectName("HeaderTitle")
        hl.addWidget(band_title, 1)
        band_note = QLabel("离线使用 · 数据只保存在本机")
        hl.addWidget(band_note)
        root.addWidget(header)
        body = QWidget()
        body.setObjectName("WelcomeBody")
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        body.setStyleSheet("#WelcomeBody { background: #FAFAFA; }")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(48, 28, 48, 28)
        root.addWidget(body, 1)
        title = QLabel("欢迎使用支部台账")
        title.setObjectName("SectionTitle")
        title.setStyleSheet("font-size: 18pt;")
        outer.addWidget(title)
        hint = QLabel(
            "把党员花名册、三会一课、党费、发展党员和“六个一”记在一个台账文件里，"
            "随时看到还缺什么、哪里逾期，并一键导出报表和报送包。全程离线，不需要网络。"
        )
        hint.setWordWrap(True)
        hint.setObjectName("SectionHint")
        outer.addWidget(hint)
        outer.addSpacing(18)
        self.new_btn = primary_button("新建支部")
        self.demo_btn = QPushButton("打开示例支部")
        self.open_btn = QPushButton("打开已有台账…")
        self.liaison_btn = QPushButton("联络员汇总…")
        for b, text in (
            (self.new_btn, "第一次使用：填写支部名称，建立本支部的台账，然后导入 Excel 花名册。"),
            (
                self.demo_btn,
                "先看看：打开一个虚构的示例支部（36名党员、2个党小组、支委会），随便试，不会保存。",
            ),
            (self.open_btn, "已经有台账文件（例如从U盘或另一台电脑拷来的 .sqlite 文件）。"),
            (self.liaison_btn, "园区联络员：汇总各支部交来的报送包，不需要台账。"),
        ):
            row = QHBoxLayout()
            row.setSpacing(16)
            b.setMinimumWidth(180)
            b.setMinimumHeight(40)
            row.addWidget(b)
            lbl = QLabel(text)
            lbl.setWordWrap(True)
            row.addWidget(lbl, 1)
            outer.addLayout(row)
            outer.addSpacing(8)
        outer.addStretch(1)
        where = QLabel(f"新台账将保存在：{default_path}")
        where.setObjectName("SectionHint")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(where)
        self.new_btn.clicked.connect(self._new)
        self.demo_btn.clicked.connect(lambda: self.chosen.emit("demo", None))
        self.open_btn.clicked.connect(lambda: self.chosen.emit("open", None))
        self.liaison_btn.clicked.connect(self._liaison)
        fit.install()
        fit.manage(self, "welcome", (760, 560))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        fit.save(self)
        super().closeEvent(event)

    def _liaison(self) -> None:
        from desktop.liaison import LiaisonWindow

        self.liaison_window = LiaisonWindow()
        self.liaison_window.show()

    def _new(self) -> None:
        dlg = NewBranchDialog(self)
        if dlg.exec():
            self.chosen.emit("new", dlg.details())


class NewBranchDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建支部")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText("如：中共××科技有限公司支部委员会")
        self.upper = QLineEdit()
        self.upper.setPlaceholderText("如：中共××园区综合党委")
        self.park = QLineEdit()
        self.founded = DateField()
        self.records_start = DateField()
        self.records_start.set_value(default_start())
        form.addRow("支部全称 *", self.name)
        form.addRow("上级党组织", self.upper)
        form.addRow("所在园区", self.park)
        form.addRow("成立日期", self.founded)
        form.addRow("电子台账起始日期 *", self.records_start)
        start_hint = WrapLabel(
            "从这一天起用本软件记台账；之前的会议、党费记在纸质台账上，不算“缺”。"
            "默认本月1日；以后补录了历史记录，可在“设置”中改早。"
        )
        start_hint.setObjectName("SectionHint")
        form.addRow("", start_hint)
        from desktop.lock import NewPasswordFields

        self.password = NewPasswordFields(optional=True)
        form.addRow("台账密码（可选）", self.password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #C62828;")
        form.addRow(self.error)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("建立台账", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText("请填写支部全称")
            self.name.setFocus()
            return
        if self.founded.error():
            self.error.setText(f"成立日期：{self.founded.error()}")
            return
        start = self.records_start.value()
        if self.records_start.error() or start is None:
            self.error.setText(f"电子台账起始日期：{self.records_start.error() or '请填写'}")
            return
        if start > clock.today():
            self.error.setText("电子台账起始日期不能晚于今天")
            return
        _pw, reason = self.password.value()
        if reason:
            self.error.setText(f"台账密码：{reason}")
            return
        self.accept()

    def details(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(),
            "upper_org": self.upper.text().strip() or None,
            "park": self.park.text().strip() or None,
            "founded_on": self.founded.value(),
            "records_start_on": self.records_start.value(),
            "password": self.password.value()[0],
        }


class SnapshotDialog(QDialog):
    """Choose a snapshot: newest first, with when and why it was taken."""

    def __init__(self, snapshots: list[Path], parent: QWidget | None = None, message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("选择快照")
        self.setMinimumSize(560, 380)
        self.chosen: Path | None = None
        lay = QVBoxLayout(self)
        if message:
            m = QLabel(message)
            m.setWordWrap(True)
            lay.addWidget(m)
        self.list = QListWidget()
        for p in snapshots:
            when, op, reason = snapshot_info(p)
            item = QListWidgetItem(
                f"{when:%Y年%m月%d日 %H:%M:%S}　{SNAPSHOT_REASONS.get(reason, reason)}　（第{op}次操作后）"
            )
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        lay.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        buttons.addButton("用这个快照恢复", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.list.itemDoubleClicked.connect(lambda _i: self._accept())

    def _accept(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = item.data(Qt.ItemDataRole.UserRole)
            self.accept()
