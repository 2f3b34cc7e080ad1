"""What the three tabs of the 党费 section share. DuesSection (section.py) is built from CollectTab
(collect.py), BaseTab (bases.py) and RemitTab (remit.py) over this base; the fields named here are made by
the section or by one tab and read by another."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from db import dues
from desktop.sections import Section
from desktop.widgets import Table, YearBox


class DuesTabs(Section):
    """The year, the tabs, the rows shown and the member selected, as every tab sees them."""

    year: YearBox
    tabs: QTabWidget
    rows: list[dues.YearRow]
    grid: Table
    base_table: Table

    def current_year(self) -> int:
        return self.year.value()

    def _selected(self) -> dues.YearRow | None:
        if self.tabs.currentIndex() == 1:
            b = self.base_table.current_row()
            return b.row if b else None
        return self.grid.current_row()
