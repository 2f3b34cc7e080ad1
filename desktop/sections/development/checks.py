"""How the development dialogs show the rule checks: the coloured message lines under a form, and the
dialog that passes a block rule (RULES.md §3.2) only with a written reason, kept in the record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.rules import development as rules
from desktop.style import ERROR_RED


class _Message(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.hide()

    def show_lines(self, lines: list[tuple[str, str]], codes: list[str] | None = None) -> None:
        """lines of (colour, text); the rules' codes, if any, go to the tooltip (the text says them in words)."""
        from html import escape

        self.setText("<br/>".join(f'<span style="color:{c}">{escape(t)}</span>' for c, t in lines))
        self.setToolTip("规则代码：" + "、".join(dict.fromkeys(codes)) if codes else "")
        self.setVisible(bool(lines))


class OverrideDialog(QDialog):
    """A block rule (RULES.md §3.2 level 'block') is passed only with a written reason, kept in the record."""

    def __init__(self, breaches: list[rules.Breach], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("不符合规定 — 需要说明理由")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        head = QLabel("这一步不符合发展党员工作的硬性规定：")
        head.setWordWrap(True)
        lay.addWidget(head)
        items = QLabel(
            "\n".join(f"• {rules.RULE_TITLES[b.code]}：{b.message.split('：', 1)[-1]}" for b in breaches)
        )
        items.setWordWrap(True)
        items.setToolTip("规则代码：" + "、".join(dict.fromkeys(b.code for b in breaches)))
        items.setStyleSheet(f"color: {ERROR_RED};")
        lay.addWidget(items)
        note = QLabel(
            "一般应先纠正后再登记。确有特殊情况（如上级党委书面同意）时，可以写明理由后越过；"
            "理由会保存在纪实记录中，检查时仍会列出这条问题并附上理由。"
        )
        note.setWordWrap(True)
        note.setObjectName("SectionHint")
        lay.addWidget(note)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("理由（必填），如：经园区党委同意（园委〔2026〕3号）")
        self.reason.setFixedHeight(80)
        lay.addWidget(self.reason)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {ERROR_RED};")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("写明理由并登记", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("返回修改", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def _accept(self) -> None:
        if len(self.text()) < 4:
            self.error.setText("请写明理由（至少4个字）。")
            return
        self.accept()


def ask_override(parent: QWidget | None, breaches: list[rules.Breach]) -> str | None:
    dlg = OverrideDialog(breaches, parent)
    return dlg.text() if dlg.exec() == QDialog.DialogCode.Accepted else None
