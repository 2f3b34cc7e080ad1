"""从 Excel 导入: the 花名册, the 党费收缴登记表, the 发展党员工作台账 or the 三会一课 list (issue #15 §2). Choose the kind
and the file, a dry run in the background, then the sheet's own rows with every problem next to the value that
caused it, and the columns that were not used. The secretary fixes a cell right here (the fix is used for this
import only; the Excel file is not changed) or goes back to Excel and presses 重新读取. 导入 is possible only when
there are no errors, and writes all rows as one operation (one Ctrl+Z undoes it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db.errors import Problem
from db.sheets import cell_text, imports
from db.sheets.result import SheetImport
from desktop import fit
from desktop.style import ERROR_RED, OK_GREEN, WARN_AMBER
from desktop.tasks import run_task
from desktop.widgets import primary_button

ERROR_BG = QColor("#FDE2E2")
WARN_BG = QColor("#FFF4D6")
FIXED_BG = QColor("#E3F1E4")
ROW_ROLE = Qt.ItemDataRole.UserRole + 10
HEADER_ROLE = Qt.ItemDataRole.UserRole + 11
PROBLEM_COLUMN = 1  # right after the sheet's row number, so the problems are seen first
FIRST_SHEET_COLUMN = 2

# ------------------------------------------------------------------------------------------ controllers


KIND_ORDER = ("members", "dues", "applicants", "meetings")
# what one record is called, for the summary and the 导入 button
ROW_NOUN = {"members": "名党员", "dues": "名党员", "applicants": "人", "meetings": "次会议"}


def check_file(
    ledger: Any,
    path: Path,
    overrides: dict[tuple[int, str], str],
    kind: str = "members",
    year: int | None = None,
) -> SheetImport:
    """The dry run, on a read-only connection (safe in a background thread)."""
    reader = ledger.reader()
    try:
        return imports.run(kind, reader, path, dry_run=True, year=year, overrides=overrides)
    finally:
        reader.close()


def import_file(
    ledger: Any,
    path: Path,
    overrides: dict[tuple[int, str], str],
    kind: str = "members",
    year: int | None = None,
) -> SheetImport:
    return imports.run(kind, ledger, path, dry_run=False, year=year, overrides=overrides)


def rule_findings(result: SheetImport) -> list[Problem]:
    """The rule breaches an import will show on the 工作台 (发展党员: the D-rule clocks over the imported steps)."""
    return list(getattr(result, "findings", []))


def problems_by_cell(result: SheetImport) -> dict[tuple[int, str | None], list[tuple[Problem, bool]]]:
    """(row, header) -> [(problem, is_error)]; header None for problems of the whole row."""
    out: dict[tuple[int, str | None], list[tuple[Problem, bool]]] = {}
    shown = [(p, True) for p in result.errors] + [(p, False) for p in result.warnings + rule_findings(result)]
    for p, is_error in shown:
        if p.row is None:
            continue
        col = p.column if p.column in result.columns else None
        out.setdefault((p.row, col), []).append((p, is_error))
    return out


def what_is_imported(result: SheetImport) -> str:
    """'3 名党员', '28 笔党费（5 名党员，共 585.00 元）', '12 次会议'."""
    if result.kind == "dues":
        payments = getattr(result, "payments", [])
        people = len({p.member_id for p in payments})
        return f"{len(payments)} 笔党费（{people} 名党员，共 {getattr(result, 'total', 0):,.2f} 元）"
    noun = {"members": "名党员", "applicants": "名发展党员", "meetings": "次会议"}.get(result.kind, "行")
    return f"{result.rows} {noun}"


def summary_text(result: SheetImport) -> str:
    n_err = len(result.errors)
    n_warn = len(result.warnings)
    rows_bad = len({p.row for p in result.errors if p.row is not None})
    noun = ROW_NOUN.get(result.kind or "members", "行")
    header = f"第{result.header_row}行" + ("和下一行" if result.header_rows == 2 else "")
    head = f"“{result.file}”工作表“{result.sheet}”：表头在{header}，读到 {result.rows} {noun}。"
    if result.ignored_columns:
        head += "未使用的列：" + "、".join(f"“{c}”" for c in result.ignored_columns) + "。"
    found = rule_findings(result)
    if found and not n_err:
        head += f"按发展党员工作规定，导入后将有 {len(found)} 条问题（见各行“规则”），可在发展党员页逐项补登或处理。"
    if n_err:
        return (
            head
            + f"有 {rows_bad} 行共 {n_err} 处错误需要改正（红色），改完才能导入。"
            + (f"另有 {n_warn} 条提示（黄色）。" if n_warn else "")
        )
    return head + "没有错误，可以导入。" + (f"有 {n_warn} 条提示（黄色），请看一下。" if n_warn else "")


# ------------------------------------------------------------------------------------------ the dialog


def fit_to_screen(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """The wanted size, shrunk to the screen's free area (a 1366x768 laptop at 150% has only 910x512 logical
    pixels); the table inside scrolls."""
    free = fit.available_geometry(widget)
    return min(width, max(480, free.width() - 40)), min(height, max(360, free.height() - 60))


class SheetImportDialog(QDialog):
    def __init__(
        self,
        ctx: Any,
        path: str | Path | None = None,
        parent: QWidget | None = None,
        *,
        kind: str = "members",
        year: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.overrides: dict[tuple[int, str], str] = {}
        self.checked: SheetImport | None = None
        self.imported: SheetImport | None = None
        self._filling = False
        self.resize(*fit_to_screen(self, 1180, 680))
        outer = QVBoxLayout(self)
        # what kind of sheet: the same reader, four imports
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel("表格类型："))
        self.kind_box = QComboBox()
        for k in KIND_ORDER:
            self.kind_box.addItem(imports.KINDS[k][0], k)
        self.kind_box.setCurrentIndex(KIND_ORDER.index(kind))
        kind_row.addWidget(self.kind_box)
        self.year_label = QLabel("党费年份：")
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(year or clock.today().year)
        kind_row.addWidget(self.year_label)
        kind_row.addWidget(self.year_box)
        kind_row.addStretch(1)
        outer.addLayout(kind_row)
        self.file_label = QLabel()
        self.file_label.setObjectName("SectionTitle")
        self.file_label.setStyleSheet("font-size: 12pt;")
        outer.addWidget(self.file_label)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)

        # page 0: the rows and their problems
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(
            "双击单元格即可在这里改正（只用于本次导入，不改动 Excel 文件）；也可以回到 Excel 改好、保存，"
            "再按“重新读取”。"
        )
        hint.setObjectName("SectionHint")
        hint.setWordWrap(True)
        pl.addWidget(hint)
        self.only_problems = QCheckBox("只看有问题的行")
        self.only_problems.toggled.connect(lambda _c: self._apply_row_filter())
        pl.addWidget(self.only_problems)
        self.model = QStandardItemModel(self)
        self.model.itemChanged.connect(self._cell_edited)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        pl.addWidget(self.table, 1)
        self.pages.addWidget(page)

        # page 1: done
        done = QWidget()
        dl = QVBoxLayout(done)
        dl.addStretch(1)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_label.setStyleSheet(f"font-size: 12pt; color: {OK_GREEN};")
        dl.addWidget(self.done_label)
        dl.addStretch(2)
        self.pages.addWidget(done)

        buttons = QHBoxLayout()
        self.choose_btn = QPushButton("选择其他文件…")
        self.choose_btn.clicked.connect(self.choose_file)
        self.reload_btn = QPushButton("重新读取")
        self.reload_btn.setToolTip(
            "在 Excel 中改好并保存后，按此重新读取文件（在这里做的修改会保留，除非 Excel 中已改成相同的值）"
        )
        self.reload_btn.clicked.connect(self.reload)
        self.import_btn = primary_button("导入")
        self.import_btn.clicked.connect(self.do_import)
        self.close_btn = QPushButton("关闭")
        self.close_btn.clicked.connect(self.reject)
        buttons.addWidget(self.choose_btn)
        buttons.addWidget(self.reload_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.import_btn)
        buttons.addWidget(self.close_btn)
        outer.addLayout(buttons)

        self._kind_changed()
        self.kind_box.currentIndexChanged.connect(
            lambda _i: (self._kind_changed(), self.overrides.clear(), self.reload())
        )
        self.year_box.valueChanged.connect(lambda _v: self.reload())
        self.path: Path | None = Path(path) if path else None
        if self.path is None:
            self.choose_file()
        else:
            self.reload()

    # -- kind
    @property
    def kind(self) -> str:
        return str(self.kind_box.currentData())

    @property
    def year(self) -> int | None:
        return self.year_box.value() if self.kind == "dues" else None

    def _kind_changed(self) -> None:
        self.setWindowTitle(f"从 Excel 导入{imports.KINDS[self.kind][0]}")
        self.year_label.setVisible(self.kind == "dues")
        self.year_box.setVisible(self.kind == "dues")

    def set_kind(self, kind: str, year: int | None = None) -> None:
        """Switch the kind of sheet (and the dues year) and check the file again."""
        if year is not None:
            self.year_box.blockSignals(True)
            self.year_box.setValue(year)
            self.year_box.blockSignals(False)
        if kind == self.kind:
            self.reload()
        else:
            self.kind_box.setCurrentIndex(KIND_ORDER.index(kind))

    # -- file
    def choose_file(self) -> None:
        start = str(self.path.parent) if getattr(self, "path", None) else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self,
            f"选择{imports.KINDS[self.kind][0]}（Excel）",
            start,
            "Excel 工作簿 (*.xlsx *.xlsm);;CSV 文件 (*.csv);;所有文件 (*)",
        )
        if name:
            self.path = Path(name)
            self.overrides.clear()
            self.reload()

    def reload(self) -> None:
        """Read the file again (background dry run), keeping the fixes made here."""
        if getattr(self, "path", None) is None:
            return
        assert self.path is not None
        path, overrides, kind, year = self.path, dict(self.overrides), self.kind, self.year
        self.file_label.setText(f"正在读取 {path.name}…")
        self.import_btn.setEnabled(False)
        run_task(
            self,
            f"正在检查 {path.name}…",
            lambda _p, _c: check_file(self.ledger, path, overrides, kind, year),
            self.show_result,
        )

    # -- showing a dry run
    def show_result(self, result: SheetImport) -> None:
        self.checked = result
        # a fix made here that Excel now has too is no longer needed
        for (row, col), value in list(self.overrides.items()):
            raw = result.raw_rows.get(row, {}).get(col)
            if cell_text(raw) == value:
                del self.overrides[(row, col)]
        self.file_label.setText(f"导入：{result.file}")
        file_errors = [p for p in result.errors if p.row is None or not result.columns]
        if file_errors and not result.records:
            self.summary.setText("\n".join(p.message for p in file_errors))
            self.summary.setStyleSheet(f"color: {ERROR_RED};")
            self.model.clear()
            self.import_btn.setEnabled(False)
            self.import_btn.setText("导入")
            return
        ok = not result.errors
        self.summary.setText(summary_text(result))
        self.summary.setStyleSheet(f"color: {OK_GREEN if ok else ERROR_RED};")
        self.import_btn.setEnabled(ok and result.rows > 0)
        self.import_btn.setText(f"导入 {what_is_imported(result)}" if ok else "导入（先改正错误）")
        self._fill(result)
        if not ok and not self.only_problems.isChecked():
            self.only_problems.setChecked(True)
        self._apply_row_filter()

    def _fill(self, result: SheetImport) -> None:
        self._filling = True
        try:
            cells = problems_by_cell(result)
            self.model.clear()
            headers = ["行", "问题", *result.columns]
            self.model.setHorizontalHeaderLabels(headers)
            for rec in result.records:
                line: list[QStandardItem] = []
                num = QStandardItem(str(rec.row))
                num.setEditable(False)
                num.setData(rec.row, ROW_ROLE)
                num.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                line.append(num)
                said: dict[tuple[str, str], list[str]] = {}  # (mark, message) -> the columns it is about
                for col in result.columns:
                    item = QStandardItem(rec.values.get(col, ""))
                    item.setData(rec.row, ROW_ROLE)
                    item.setData(col, HEADER_ROLE)
                    found = cells.get((rec.row, col), [])
                    if any(e for _, e in found):
                        item.setBackground(QBrush(ERROR_BG))
                    elif found:
                        item.setBackground(QBrush(WARN_BG))
                    elif (rec.row, col) in self.overrides:
                        item.setBackground(QBrush(FIXED_BG))
                    if found:
                        item.setToolTip("\n".join(p.message for p, _ in found))
                    if (rec.row, col) in self.overrides:
                        item.setToolTip((item.toolTip() + "\n" if item.toolTip() else "") + "已在此处修改")
                    for p, e in found:
                        said.setdefault((_mark(p, e, result), p.message), []).append(col)
                    line.append(item)
                for p, e in cells.get((rec.row, None), []):
                    said.setdefault((_mark(p, e, result), p.message), [])
                # the same problem in several cells of a row (a month per column) is said once, naming them all
                messages = [
                    f"{mark} {'、'.join(cols)}：{msg}" if cols else f"{mark} {msg}"
                    for (mark, msg), cols in said.items()
                ]
                prob = QStandardItem("；".join(messages))
                prob.setEditable(False)
                prob.setToolTip("\n".join(messages))
                errors = any(e for (r, _c), ps in cells.items() if r == rec.row for _p, e in ps)
                if messages:
                    prob.setForeground(QBrush(QColor(ERROR_RED if errors else WARN_AMBER)))
                prob.setData(bool(messages), ROW_ROLE + 5)
                line.insert(1, prob)
                self.model.appendRow(line)
            self.table.setColumnWidth(0, 44)
            self.table.setColumnWidth(1, 340)
            for j, col in enumerate(result.columns, start=2):
                self.table.setColumnWidth(j, 150 if "号" in col or "址" in col else 96)
            # every problem readable without hovering: the problem column wraps and its rows grow to fit
            self.table.setWordWrap(True)
            self.table.resizeRowsToContents()
            # a row with many problems stays within a few lines (the whole text is in its tooltip)
            line = self.table.fontMetrics().lineSpacing()
            for r in range(self.model.rowCount()):
                if self.table.rowHeight(r) > 5 * line + 8:
                    self.table.setRowHeight(r, 5 * line + 8)
        finally:
            self._filling = False

    def _apply_row_filter(self) -> None:
        only = self.only_problems.isChecked()
        for r in range(self.model.rowCount()):
            item = self.model.item(r, PROBLEM_COLUMN)
            has = bool(item.data(ROW_ROLE + 5)) if item else False
            self.table.setRowHidden(r, only and not has)

    # -- fixing here
    def _cell_edited(self, item: QStandardItem) -> None:
        if self._filling or self.checked is None:
            return
        row, col = item.data(ROW_ROLE), item.data(HEADER_ROLE)
        if row is None or col is None:
            return
        self.overrides[(int(row), str(col))] = item.text().strip()
        QTimer.singleShot(0, self.revalidate)

    def revalidate(self) -> None:
        """Check again with the fixes, without re-reading from the user's point of view (same file)."""
        self.reload()

    def set_cell(self, row: int, header: str, value: str) -> None:
        """Change a cell as if typed (used by the keyboard path and the tests)."""
        for r in range(self.model.rowCount()):
            if self.model.item(r, 0).data(ROW_ROLE) == row:
                j = FIRST_SHEET_COLUMN + (self.checked.columns.index(header) if self.checked else 0)
                self.model.item(r, j).setText(value)
                return
        raise KeyError((row, header))

    # -- importing
    def do_import(self) -> None:
        if self.path is None or self.checked is None or self.checked.errors:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = import_file(self.ledger, self.path, dict(self.overrides), self.kind, self.year)
        except Exception as e:  # noqa: BLE001 - shown to the secretary, nothing was written
            QApplication.restoreOverrideCursor()
            from desktop.dialogs import show_error

            show_error(self, e, "导入未完成")
            return
        QApplication.restoreOverrideCursor()
        if result.errors:  # the ledger changed since the dry run (e.g. a duplicate added meanwhile)
            self.show_result(result)
            return
        self.imported = result
        created = getattr(result, "groups_created", [])
        groups = f"新建党小组：{'、'.join(created)}。" if created else ""
        fixed = (
            f"其中 {len(self.overrides)} 处按这里的修改导入（Excel 文件未改动）。" if self.overrides else ""
        )
        self.done_label.setText(
            f"已导入 {what_is_imported(result)}。{groups}{fixed}\n"
            "如导入有误，可在“编辑 → 撤销”（Ctrl+Z）撤销整次导入。"
        )
        self.summary.setText("")
        self.pages.setCurrentIndex(1)
        self.only_problems.hide()
        self.kind_box.setEnabled(False)
        self.year_box.setEnabled(False)
        for b in (self.import_btn, self.reload_btn, self.choose_btn):
            b.hide()
        self.close_btn.setText("完成")
        self.close_btn.setProperty("primary", True)
        self.close_btn.style().unpolish(self.close_btn)
        self.close_btn.style().polish(self.close_btn)
        self.close_btn.clicked.disconnect()
        self.close_btn.clicked.connect(self.accept)
        self.close_btn.setFocus()


def _mark(p: Problem, is_error: bool, result: SheetImport) -> str:
    if is_error:
        return "✗"
    return "规则" if any(p is f for f in rule_findings(result)) else "提示"


class RosterImportDialog(SheetImportDialog):
    """从 Excel 导入花名册: the import dialog opened on the roster (the other kinds one choice away)."""

    def __init__(self, ctx: Any, path: str | Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, path, parent, kind="members")
