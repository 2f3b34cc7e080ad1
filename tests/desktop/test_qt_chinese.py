"""Qt's own texts are Chinese (issue #14 §2): standard buttons, message boxes, the text fields' context menu,
the file dialog and the calendar speak zh_CN, from Qt's qtbase_zh_CN translations that build.spec bundles."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from desktop import qtlocale


def _texts(widget) -> set[str]:  # type: ignore[no-untyped-def]
    return {b.text().replace("&", "") for b in widget.findChildren(QPushButton)}


def test_catalog_is_found_and_loaded(qapp) -> None:  # type: ignore[no-untyped-def]
    path = qtlocale.find_catalog("qtbase")
    assert path is not None and path.name == "qtbase_zh_CN.qm"
    loaded = qtlocale.install(qapp)
    assert [Path(p).name for p in loaded] == ["qtbase_zh_CN.qm"]
    assert QLocale().name() == "zh_CN"


def test_button_box_and_message_box_say_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No
        | QDialogButtonBox.StandardButton.Close
    )
    qtbot.addWidget(box)
    texts = _texts(box)
    assert {"确定", "取消", "是", "否", "关闭"} <= {re.sub(r"\(.*\)", "", t) for t in texts}, texts
    assert not texts & {"OK", "Cancel", "Yes", "No", "Close"}
    mb = QMessageBox(QMessageBox.Icon.Question, "标题", "正文")
    mb.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(mb)
    assert {re.sub(r"\(.*\)", "", t) for t in _texts(mb)} == {"确定", "取消"}


def test_line_edit_context_menu_is_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    edit = QLineEdit("一些文字")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    labels = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if not a.isSeparator()]
    labels = [re.sub(r"\(.*\)", "", t) for t in labels]
    for word in ("撤消", "重做", "剪切", "复制", "粘贴", "删除", "全选"):
        assert word in labels, labels
    assert not {"Undo", "Redo", "Cut", "Copy", "Paste", "Select All"} & set(labels)
    menu.deleteLater()


def test_file_dialog_and_calendar_are_chinese(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = QFileDialog(None, "导出到", str(tmp_path))
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dlg)
    texts = _texts(dlg) | {lbl.text() for lbl in dlg.findChildren(QLabel)}
    joined = " ".join(texts)
    assert "取消" in joined and "Cancel" not in joined, texts
    cal = QCalendarWidget()
    qtbot.addWidget(cal)
    assert cal.locale().name() == "zh_CN"
    assert cal.locale().dayName(1) in ("星期一", "周一")
    assert cal.firstDayOfWeek().name == "Monday"
