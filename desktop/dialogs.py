"""Message boxes that say what happened and what to do, in Chinese."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import InputRefused, LedgerError


def show_error(parent: QWidget | None, err: BaseException | str, title: str = "操作未完成") -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    if isinstance(err, InputRefused):
        head = str(err).splitlines()[0]
        box.setText(head)
        box.setInformativeText(
            "\n".join(f"• {p}" for p in err.problems[:12])
            + ("\n……" if len(err.problems) > 12 else "")
            + "\n\n请改正后再试，未保存任何内容。"
        )
    elif isinstance(err, LedgerError):
        box.setText(str(err))
    elif isinstance(err, OSError):
        box.setText(f"文件操作失败：{err.strerror or err}")
        if err.filename:
            box.setInformativeText(
                f"文件：{err.filename}\n请检查文件是否被其他程序（如 Excel）打开，或磁盘是否已满、是否只读。"
            )
    elif isinstance(err, str):
        box.setText(err)
    else:
        box.setText(f"发生了意外错误：{type(err).__name__}: {err}")
        box.setInformativeText("数据未受影响（操作已整体撤回）。如反复出现，请把这段文字告诉技术支持。")
    box.exec()


def confirm(
    parent: QWidget | None, title: str, text: str, ok_text: str = "确定", danger: bool = False
) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is ok


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def offer_open(parent: QWidget | None, path: Path, title: str = "已导出") -> None:
    """After writing a file: 打开文件 / 打开所在文件夹."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(f"已保存到：\n{path}")
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_dir = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is open_dir:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent if path.is_file() else path)))
