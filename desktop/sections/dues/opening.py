"""The 期初 tab of the 党费 section (issue #15 §1): for a ledger that starts from paper, one grid for the whole
branch — each member's 党费类别 and 税后月基数 for the year (where not yet 核定), 党费已交至 and the last 组织生活
known from paper — typed, or pasted from Excel (with a header row the columns are found by name and the rows
matched by 姓名). 保存 writes everything as one operation, all or nothing; a bad cell is named by row and column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import clock, dues, members, opening
from db.dates import DateParseError, parse_date
from db.errors import InputRefused, LedgerError, Problem
from db.rules.dues import BASE_KINDS, KIND_LABELS
from desktop.dialogs import show_error
from desktop.sections.dues.money import parse_money
from desktop.sections.dues.tabs import DuesTabs
from desktop.widgets import primary_button

COLUMNS = ("姓名", "本年核定", "党费类别", "税后月基数", "党费已交至", "最近一次组织生活")
NAME, FIXED, KIND, BASE, THROUGH, ORG = range(len(COLUMNS))
# header words of a pasted sheet → column (the first that appears in the header wins)
HEADER_WORDS = (
    (THROUGH, ("交至", "缴至", "已交到", "交到")),
    (ORG, ("组织生活",)),
    (BASE, ("基数", "税后", "工资", "收入")),
    (KIND, ("类别", "党费类型")),
    (NAME, ("姓名",)),
)
KIND_BY_LABEL = {v: k for k, v in KIND_LABELS.items()} | {
    "退休": "retired",
    "离休": "retired",
    "工作": "employed",
}
GREY = QColor("#F0F0F0")


@dataclass
class _Row:
    member_id: int
    name: str
    fixed: dues.DuesBase | None  # this year's 核定 already fixed: not editable here


def month_text(value: str) -> str | None:
    """'2026-10' / '2026.10' / '2026年10月' / a date → 'YYYY-MM'; None for empty; DateParseError otherwise."""
    d = parse_date(value.strip(), month_ok=True) if value.strip() else None
    return d.strftime("%Y-%m") if d else None


class OpeningTab(DuesTabs):
    """The 期初 tab: its grid and its actions."""

    def _build_opening_tab(self) -> None:
        self.opening_page = page = QWidget()
        lay = QVBoxLayout(page)
        self.opening_hint = QLabel(
            "从纸质台账开始用本软件时填写：本年党费基数（尚未核定的党员），党费已交至哪个月，最近一次参加组织生活的日期。"
            "可以从 Excel 复制含表头（姓名、基数、党费交至……）的几列，选中表格后 Ctrl+V 粘贴，按姓名对应。"
        )
        self.opening_hint.setObjectName("SectionHint")
        self.opening_hint.setWordWrap(True)
        lay.addWidget(self.opening_hint)
        bar = QHBoxLayout()
        self.opening_paste_btn = QPushButton("从 Excel 粘贴（Ctrl+V）")
        self.opening_paste_btn.clicked.connect(self.paste_openings)
        self.opening_save_btn = primary_button("保存期初数据")
        self.opening_save_btn.clicked.connect(self.save_openings)
        self.opening_status = QLabel()
        self.opening_status.setObjectName("SectionHint")
        bar.addWidget(self.opening_paste_btn)
        bar.addWidget(self.opening_save_btn)
        bar.addWidget(self.opening_status, 1)
        lay.addLayout(bar)
        self.opening_table = t = QTableWidget(0, len(COLUMNS))
        t.setHorizontalHeaderLabels(list(COLUMNS))
        t.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        t.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        h = t.horizontalHeader()
        for c in range(len(COLUMNS)):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        t.setToolTip(
            "税后月基数：每月工资收入扣除个人所得税和“五险一金”后的金额（元）；党费已交至：如 2026-10"
        )
        t.verticalHeader().setDefaultSectionSize(26)
        t.itemChanged.connect(lambda _i: self._opening_dirty(True))
        QShortcut(QKeySequence.StandardKey.Paste, t, activated=self.paste_openings)
        lay.addWidget(t, 1)
        self.opening_rows: list[_Row] = []
        self.id_numbers: dict[int, str | None] = {}
        self.opening_changed = False
        self.openings_stale = True  # filled when the tab is shown (_fill_openings)
        self.tabs.addTab(page, "期初（已交至）")

    def _opening_dirty(self, dirty: bool) -> None:
        self.opening_changed = dirty
        self.opening_status.setText("有未保存的修改" if dirty else "")

    def _fill_openings(self) -> None:
        """Fill the grid when it is shown and stale, never throwing away what the secretary is typing in it."""
        if (
            self.openings_stale
            and not self.opening_changed
            and self.tabs.currentWidget() is self.opening_page
        ):
            self.refresh_openings()

    def refresh_openings(self) -> None:
        self.openings_stale = False
        year = self.current_year()
        today = clock.today()
        found = opening.openings_by_member(self.ledger)
        book = dues.DuesBook.shared(self.ledger)
        self.opening_rows = []
        self.id_numbers = {m.id: m.id_number for m in members.list_members(self.ledger) if m.id is not None}
        t = self.opening_table
        t.blockSignals(True)
        t.setRowCount(0)
        for r in members.roster_on(self.ledger, today):
            fixed = next(
                (
                    b
                    for b in book.people[r.id].bases
                    if b.year == year and not b.draft and b.amount is not None
                )
                if r.id in book.people
                else iter(()),
                None,
            )
            row = _Row(r.id, r.name, fixed)
            self.opening_rows.append(row)
            o = found.get(r.id)
            i = t.rowCount()
            t.insertRow(i)
            values = [
                r.name,
                f"{fixed.kind_label} 每月{fixed.amount:,.2f}元" if fixed else "未核定",
                "" if fixed else "在职",
                "",
                o.dues_paid_through if o and o.dues_paid_through else "",
                o.last_org_life_on.isoformat() if o and o.last_org_life_on else "",
            ]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                if c in (NAME, FIXED) or (fixed is not None and c in (KIND, BASE)):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setBackground(QBrush(GREY))
                t.setItem(i, c, item)
        t.blockSignals(False)
        t.horizontalHeaderItem(BASE).setText(f"{year}年基数（元）")
        self._opening_dirty(False)

    # -- paste
    def paste_openings(self) -> None:
        text = QApplication.clipboard().text()
        if text.strip():
            problems = self.paste_text(text)
            if problems:
                show_error(self, "\n".join(problems), "部分内容未粘贴")

    def paste_text(self, text: str) -> list[str]:
        """Paste tab-separated rows. With a header row (含“姓名”): columns by name, rows by 姓名. Without: a block
        from the current cell. Returns what could not be placed (names not on the roster)."""
        lines = [ln.split("\t") for ln in text.replace("\r\n", "\n").rstrip("\n").split("\n")]
        t = self.opening_table
        problems: list[str] = []
        head = [c.strip() for c in lines[0]]
        if any("姓名" in c for c in head):
            cols: dict[int, int] = {}
            for j, h in enumerate(head):
                for col, words in HEADER_WORDS:
                    if any(w in h for w in words) and col not in cols.values():
                        cols[j] = col
                        break
            by_name: dict[str, list[int]] = {}
            for i, r in enumerate(self.opening_rows):
                by_name.setdefault(r.name, []).append(i)
            id_at = next((j for j, h in enumerate(head) if "身份证" in h or "公民身份号码" in h), None)
            by_id = {
                (self.id_numbers.get(r.member_id) or "").upper(): i for i, r in enumerate(self.opening_rows)
            }
            name_at = next(j for j, c in cols.items() if c == NAME)
            for k, cells in enumerate(lines[1:], start=2):
                name = cells[name_at].strip() if name_at < len(cells) else ""
                ident = cells[id_at].strip().upper() if id_at is not None and id_at < len(cells) else ""
                if not name and not ident:
                    continue
                if ident:
                    found = by_id.get(ident)
                    if found is None:
                        problems.append(f"粘贴的第{k}行：身份证号 {ident[:6]}…… 不在花名册中")
                        continue
                    i = found
                else:
                    rows = by_name.get(name, [])
                    if len(rows) != 1:
                        problems.append(
                            f"粘贴的第{k}行：“{name}”"
                            + ("不在花名册中" if not rows else "在花名册中有重名，请连同身份证号一列复制")
                        )
                        continue
                    i = rows[0]
                for j, col in cols.items():
                    if col != NAME and j < len(cells):
                        self._put(i, col, cells[j].strip())
            return problems
        r0, c0 = max(t.currentRow(), 0), max(t.currentColumn(), 0)
        for di, cells in enumerate(lines):
            for dj, v in enumerate(cells):
                if r0 + di < t.rowCount() and c0 + dj < t.columnCount():
                    self._put(r0 + di, c0 + dj, v.strip())
        return problems

    def _put(self, i: int, col: int, value: str) -> None:
        item = self.opening_table.item(i, col)
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEditable:
            item.setText(value)

    # -- save
    def opening_entries(self) -> tuple[list[dues.BaseEntry], list[opening.Opening], list[Problem]]:
        """What the grid says, checked: bases to fix, opening rows, and every problem by row and column."""
        year = self.current_year()
        t = self.opening_table
        bases: list[dues.BaseEntry] = []
        rows: list[opening.Opening] = []
        problems: list[Problem] = []
        old = opening.openings_by_member(self.ledger)

        def cell(i: int, c: int) -> str:
            item = t.item(i, c)
            return item.text().strip() if item is not None else ""

        for i, r in enumerate(self.opening_rows):
            n = i + 1
            if r.fixed is None and cell(i, BASE):
                kind = KIND_BY_LABEL.get(cell(i, KIND) or "在职")
                if kind is None:
                    problems.append(
                        Problem(
                            f"{r.name}：党费类别“{cell(i, KIND)}”不认识（可写：在职、离退休、学生……）",
                            row=n,
                            column=COLUMNS[KIND],
                        )
                    )
                elif kind not in BASE_KINDS and kind not in ("student", "unemployed", "exempt"):
                    problems.append(
                        Problem(
                            f"{r.name}：{KIND_LABELS[kind]}须在“核定”中逐人核定", row=n, column=COLUMNS[KIND]
                        )
                    )
                else:
                    try:
                        base = parse_money(cell(i, BASE), COLUMNS[BASE]) if kind in BASE_KINDS else None
                        bases.append(dues.BaseEntry(member_id=r.member_id, year=year, kind=kind, base=base))
                    except InputRefused as e:
                        msg = e.problems[0].message if e.problems else str(e)
                        problems.append(Problem(f"{r.name}：{msg}", row=n, column=COLUMNS[BASE]))
            through: str | None = None
            try:
                through = month_text(cell(i, THROUGH))
            except DateParseError as e:
                problems.append(Problem(f"{r.name}：党费已交至 {e}", row=n, column=COLUMNS[THROUGH]))
            org: dt.date | None = None
            try:
                org = parse_date(cell(i, ORG)) if cell(i, ORG) else None
            except DateParseError as e:
                problems.append(Problem(f"{r.name}：最近一次组织生活 {e}", row=n, column=COLUMNS[ORG]))
            notes = old[r.member_id].notes if r.member_id in old else None
            rows.append(opening.Opening(r.member_id, through, org, notes))
        return bases, rows, problems

    def save_openings(self) -> bool:
        bases, rows, problems = self.opening_entries()
        if problems:
            show_error(self, InputRefused(problems, "期初数据有误，未保存"))
            return False
        self._opening_dirty(False)  # the save refreshes the grid from the ledger
        try:
            with self.ledger.operation("SaveOpeningGrid", f"录入期初数据（{len(rows)}人）"):
                for b in bases:
                    dues.save_base(self.ledger, b)
                opening.save_openings(self.ledger, rows)
        except (InputRefused, LedgerError) as e:
            self._opening_dirty(True)
            show_error(self, e, "期初数据未保存")
            return False
        n = sum(1 for r in rows if r.dues_paid_through)
        self.ctx.status(f"已保存期初数据：核定基数 {len(bases)} 人，党费已交至 {n} 人")
        return True
