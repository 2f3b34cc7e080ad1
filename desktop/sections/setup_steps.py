"""The 建账步骤 panel of the 工作台 (issue #15 §3): for a ledger on its first days, the steps from paper and Excel
to a true 工作台 — 支部信息, 花名册, 支委会/书记, 起始日期, 党费基数和已交至, 发展党员, 历史记录（可选）— each a
button that opens its screen, ticked from the data (db.opening.steps), the next one marked; gone when the
required steps are done. Compact: two rows of buttons and one line saying what to do next."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from db.opening.steps import SetupStep
from desktop.style import OK_GREEN
from desktop.widgets import WrapLabel

COLUMNS = 4


class SetupPanel(QFrame):
    """Title with progress, the steps as buttons (✓ done, ▶ next, ○ to do), the next step's hint and "没有"."""

    def __init__(self, on_open: Callable[[SetupStep], None], on_skip: Callable[[SetupStep], None]) -> None:
        super().__init__()
        self.setObjectName("Card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.on_open = on_open
        self.on_skip = on_skip
        self.steps: list[SetupStep] = []
        self.next: SetupStep | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(6)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        top.addWidget(self.title)
        top.addStretch(1)
        lay.addLayout(top)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        lay.addLayout(self.grid)
        row = QHBoxLayout()
        self.hint = WrapLabel("")
        self.hint.setObjectName("SectionHint")
        row.addWidget(self.hint, 1)
        self.skip_btn = QPushButton("没有，跳过")
        self.skip_btn.clicked.connect(lambda: self.next and self.on_skip(self.next))
        row.addWidget(self.skip_btn)
        lay.addLayout(row)
        self.buttons: dict[str, QPushButton] = {}

    def set_steps(self, steps: list[SetupStep]) -> None:
        self.steps = steps
        for b in self.buttons.values():
            self.grid.removeWidget(b)
            b.deleteLater()
        self.buttons = {}
        required = [s for s in steps if not s.optional]
        done = sum(1 for s in required if s.done)
        self.next = next((s for s in steps if not s.done), None)
        self.title.setText(f"建账步骤：已完成 {done}/{len(required)}（完成后这里不再显示）")
        for i, s in enumerate(steps):
            mark = "✓" if s.done else ("▶" if s is self.next else "○")
            b = QPushButton(f"{mark} {i + 1}. {s.label}")
            b.setToolTip(s.hint)
            b.setAccessibleName(f"建账步骤 {s.label}：{'已完成' if s.done else '未完成'}")
            if s.done:
                b.setStyleSheet(f"color: {OK_GREEN};")
            elif s is self.next:
                b.setProperty("primary", True)
            b.clicked.connect(lambda _c=False, step=s: self.on_open(step))
            self.grid.addWidget(b, i // COLUMNS, i % COLUMNS)
            self.buttons[s.key] = b
        if self.next is not None:
            self.hint.setText(f"下一步：{self.next.label} — {self.next.hint}")
        else:
            self.hint.setText("")
        self.skip_btn.setVisible(self.next is not None and self.next.skippable)

    def step(self, key: str) -> SetupStep:
        return next(s for s in self.steps if s.key == key)


def open_step(window: QWidget, step: SetupStep) -> None:
    """Open the screen that does a step (and its dialog where one is the obvious start)."""
    sections = window.sections  # type: ignore[attr-defined]
    window.show_section(step.section)  # type: ignore[attr-defined]
    sec = sections.get(step.section)
    if sec is None:
        return
    if step.key == "roster" and not step.done:
        sec.import_excel()
    elif step.key == "committee":
        sec.tabs.setCurrentIndex(2)
        if not step.done:
            sec.add_term()
    elif step.key == "branch":
        sec.tabs.setCurrentIndex(0)
    elif step.key == "dues":
        sec.tabs.setCurrentWidget(sec.opening_page)
    elif step.key == "development" and not step.done:
        sec.new_item()
