"""What a section's list tab shares (组织生活, 园区工作): its section and year, the column layout, a button bar with the
main action first, the hint line under the table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop.widgets import WrapLabel, primary_button

if TYPE_CHECKING:
    from db.connection import Ledger


class SectionTab(QWidget):
    def __init__(self, section: Any) -> None:
        super().__init__()
        self.section = section
        self.year = 0
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 6, 0, 0)

    @property
    def ledger(self) -> Ledger:
        return self.section.ledger  # type: ignore[no-any-return]

    def button_bar(
        self,
        primary: tuple[str, Callable[[], Any]] | None,
        buttons: Sequence[tuple[str, Callable[[], Any]]] = (),
    ) -> tuple[QHBoxLayout, QPushButton | None]:
        """A row of buttons at the top: the tab's main action first (highlighted), then the others. The caller
        adds what else the row holds and its stretch."""
        bar = QHBoxLayout()
        main = None
        if primary is not None:
            main = primary_button(primary[0])
            main.clicked.connect(primary[1])
            bar.addWidget(main)
        for text, fn in buttons:
            b = QPushButton(text)
            b.clicked.connect(fn)
            bar.addWidget(b)
        self.lay.addLayout(bar)
        return bar, main

    def add_hint(self) -> WrapLabel:
        """The muted line under the table that says what the numbers mean."""
        self.hint = WrapLabel("")
        self.hint.setObjectName("SectionHint")
        self.lay.addWidget(self.hint)
        return self.hint
