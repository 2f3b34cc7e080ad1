"""What a saved meeting has besides its form, in the meeting editor: 补学 of those on leave or absent, the
dated amendments after 定稿 (the original kept), and attachments — photos and scanned 签到表 stored in the
ledger file, shown as thumbnails, opened from a temporary copy."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db import meetings
from db.dates import fmt_zh
from db.errors import InputRefused
from db.meetings import Meeting
from desktop.dialogs import confirm, show_error
from desktop.sections.meetings.dialogs import MakeupDialog
from desktop.sections.meetings.editor_base import EditorBase
from desktop.style import WARN_AMBER


class AfterSavePart(EditorBase):
    """The 补学, 更正记录 and 附件 boxes of MeetingEditor (shown once the record is saved)."""

    def _build_after_save(self) -> None:
        self.makeup_box = QGroupBox("补学（请假、缺席的同志）")
        ml = QVBoxLayout(self.makeup_box)
        self.makeup_table = QTableWidget(0, 3)
        self.makeup_table.setHorizontalHeaderLabels(["姓名", "补学日期", "说明"])
        self.makeup_table.verticalHeader().setVisible(False)
        self.makeup_table.horizontalHeader().setStretchLastSection(True)
        self.makeup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.makeup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.makeup_table.setMinimumHeight(110)
        self.makeup_table.setMaximumHeight(180)
        ml.addWidget(self.makeup_table)
        tick = QPushButton("登记所选补学…")
        tick.clicked.connect(self.record_makeup)
        ml.addWidget(tick, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.makeup_box)

        self.amend_box = QGroupBox("定稿后的更正记录（原记录保留）")
        aml = QVBoxLayout(self.amend_box)
        self.amend_table = QTableWidget(0, 5)
        self.amend_table.setHorizontalHeaderLabels(["日期", "项目", "原记录", "更正为", "原因"])
        self.amend_table.verticalHeader().setVisible(False)
        self.amend_table.horizontalHeader().setStretchLastSection(True)
        self.amend_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.amend_table.setMinimumHeight(90)
        self.amend_table.setMaximumHeight(160)
        aml.addWidget(self.amend_table)
        self.body.addWidget(self.amend_box)

        self.att_box = QGroupBox("附件（照片、签到表扫描件，保存在台账文件中）")
        atl = QVBoxLayout(self.att_box)
        self.files = QListWidget()
        self.files.setViewMode(QListWidget.ViewMode.IconMode)
        self.files.setIconSize(QSize(120, 90))
        self.files.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.files.setFixedHeight(150)
        self.files.itemDoubleClicked.connect(lambda _i: self.open_attachment())
        atl.addWidget(self.files)
        frow = QHBoxLayout()
        for text, fn in (
            ("添加照片…", lambda: self.add_attachment("photo")),
            ("添加签到表扫描件…", lambda: self.add_attachment("sign_in")),
            ("打开", self.open_attachment),
            ("删除所选附件", self.remove_attachment),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            frow.addWidget(b)
        frow.addStretch(1)
        atl.addLayout(frow)
        self.body.addWidget(self.att_box)

    def _show_after_save(self, m: Meeting) -> None:
        self.makeup_box.setVisible(bool(m.makeups))
        self.makeup_table.setRowCount(len(m.makeups))
        for i, k in enumerate(m.makeups):
            for j, text in enumerate((k.name, fmt_zh(k.done_on) if k.done_on else "未补学", k.note or "")):
                it = QTableWidgetItem(text)
                if j == 1 and not k.done_on:
                    it.setForeground(QBrush(QColor(WARN_AMBER)))
                self.makeup_table.setItem(i, j, it)
        self.amend_box.setVisible(bool(m.amendments))
        self.amend_table.setRowCount(len(m.amendments))
        for i, a in enumerate(m.amendments):
            for j, text in enumerate(
                (fmt_zh(a.amended_on), a.field_label, a.before or "", a.after or "", a.reason)
            ):
                self.amend_table.setItem(i, j, QTableWidgetItem(text))
        self.att_box.setVisible(m.id is not None)
        self.files.clear()
        for att in m.attachments:
            item = QListWidgetItem(f"{att.kind_label}\n{att.name}")
            item.setData(Qt.ItemDataRole.UserRole, att.id)
            if att.thumbnail:
                pm = QPixmap()
                pm.loadFromData(att.thumbnail)
                item.setIcon(QIcon(pm))
            self.files.addItem(item)

    def record_makeup(self) -> None:
        row = self.makeup_table.currentRow()
        if not 0 <= row < len(self.meeting.makeups):
            show_error(self, "请先选中一位需要补学的同志。", "登记补学")
            return
        k = self.meeting.makeups[row]
        dlg = MakeupDialog(k.name, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            meetings.record_makeup(self.ledger, k.id, dlg.date.value(), dlg.note.text())
        except InputRefused as e:
            show_error(self, e)
            return
        self._reload_keep_edits()

    def _reload_keep_edits(self) -> None:
        if self.meeting.id is None:
            return
        fresh = meetings.get_meeting(self.ledger, self.meeting.id)
        if self.dirty:  # keep what is typed; refresh only the saved-side lists
            self.meeting.makeups, self.meeting.attachments = fresh.makeups, fresh.attachments
            self._show_after_save(self.meeting)
        else:
            self.load(fresh)

    def add_attachment(self, kind: str) -> None:
        if self.meeting.id is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "选择附件",
            str(Path.home()),
            "图片或扫描件 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.pdf);;所有文件 (*)",
        )
        for p in paths:
            try:
                meetings.add_attachment(
                    self.ledger, self.meeting.id, Path(p).name, Path(p).read_bytes(), kind
                )
            except (InputRefused, OSError) as e:
                show_error(self, e)
        self._reload_keep_edits()

    def _selected_attachment(self) -> int | None:
        item = self.files.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def open_attachment(self) -> None:
        aid = self._selected_attachment()
        if aid is None:
            return
        info = next(a for a in self.meeting.attachments if a.id == aid)
        target = Path(tempfile.gettempdir()) / f"支部台账附件-{aid}-{info.name}"
        target.write_bytes(meetings.attachment_data(self.ledger, aid))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def remove_attachment(self) -> None:
        aid = self._selected_attachment()
        if aid is None:
            return
        if confirm(self, "删除附件", "删除所选附件？（可撤销）", "删除", danger=True):
            meetings.remove_attachment(self.ledger, aid)
            self._reload_keep_edits()
