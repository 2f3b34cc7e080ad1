"""帮助 → 使用说明: the user guides (docs/guide-*.md, bundled) rendered in the app, offline.

A list of the guides on the left, the chosen one on the right (Qt renders the Markdown); a link to another guide
opens it here, a link to anything else (a developer document, a web page) is named, not followed: the app never
goes online.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import resources

# The order a new secretary reads them in; any other guide follows.
ORDER = ["roster", "meetings", "dues", "development", "checklist", "package", "screen"]


def guide_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def ordered_guides() -> list[Path]:
    found = resources.guides()
    rank = {f"guide-{k}.md": i for i, k in enumerate(ORDER)}
    return sorted(found, key=lambda p: (rank.get(p.name, len(ORDER)), p.name))


class HelpDialog(QDialog):
    def __init__(self, parent: Any = None, start: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HelpDialog")
        self.setWindowTitle("使用说明")
        self.resize(980, 680)
        lay = QVBoxLayout(self)
        self.guides = ordered_guides()
        self.list = QListWidget()
        for p in self.guides:
            item = QListWidgetItem(guide_title(p))
            item.setData(Qt.ItemDataRole.UserRole, p.name)
            item.setToolTip(item.text())
            self.list.addItem(item)
        self.list.setWordWrap(True)
        self.list.setMinimumWidth(150)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)  # links are handled below: guides open here, nothing goes online
        self.view.anchorClicked.connect(self._link)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.hide()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("help")
        split.setChildrenCollapsible(False)
        split.addWidget(self.list)
        right_box = QVBoxLayout()
        right_box.setContentsMargins(0, 0, 0, 0)
        right = QWidget()
        right.setLayout(right_box)
        right_box.addWidget(self.view, 1)
        right_box.addWidget(self.note)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 740])
        lay.addWidget(split, 1)
        if not self.guides:
            self.view.setPlainText("没有找到使用说明文件（docs/guide-*.md）。请重新安装支部台账。")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel("说明随程序一起安装，不需要网络。"), 1)
        row.addWidget(buttons)
        lay.addLayout(row)
        self.list.currentRowChanged.connect(self._show)
        names = [p.name for p in self.guides]
        first = names.index(start) if start in names else 0
        if self.guides:
            self.list.setCurrentRow(first)

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.guides):
            return
        path = self.guides[row]
        self.view.setMarkdown(path.read_text(encoding="utf-8"))
        self.view.verticalScrollBar().setValue(0)
        self.note.hide()

    def open_guide(self, name: str) -> bool:
        names = [p.name for p in self.guides]
        if name not in names:
            return False
        self.list.setCurrentRow(names.index(name))
        return True

    def _link(self, url: QUrl) -> None:
        if url.scheme() in ("", "file"):
            name = Path(url.path()).name
            if not name and url.hasFragment():
                self.view.scrollToAnchor(url.fragment())
                return
            if self.open_guide(name):
                return
        self.note.setText(f"“{url.toString()}”不在程序自带的使用说明里（程序不联网，不会打开它）。")
        self.note.show()
