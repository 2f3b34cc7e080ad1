"""联络员汇总: the park liaison opens many branches' hand-in packages (folders or zips) and gets one row per
branch with the park's totals, sortable, exportable to xlsx and pdf. No ledger needed: every number comes
from a package that was verified file by file first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import fit, tasks
from desktop.dialogs import offer_open, show_error
from desktop.models import Col, RowModel
from desktop.style import SEVERITY_COLORS
from desktop.widgets import EmptyState, SearchBox, SectionHeader, Table, primary_button
from exports import aggregate
from exports.aggregate import AggregateResult, BranchRow
from exports.inbox import progress_label as aggregate_label
from exports.report import ExportCancelled

STATUS_COLORS = {
    "ok": None,
    "superseded": "#757575",
    "tampered": SEVERITY_COLORS["error"],
    "incomplete": SEVERITY_COLORS["error"],
    "unreadable": SEVERITY_COLORS["warning"],
}


def _ratio(a: int | None, b: int | None) -> str | None:
    return None if b is None else f"{a or 0}/{b}"


COLUMNS: list[Col[BranchRow]] = [
    Col("党支部", lambda r: r.branch, width=260),
    Col("年度", lambda r: r.year, align="center", width=60),
    Col(
        "状态",
        lambda r: r.status_label,
        width=170,
        color=lambda r: STATUS_COLORS[r.status],
        tooltip=lambda r: "\n".join(r.problems) or r.note or None,
    ),
    Col("党员", lambda r: r.members, align="right", width=55),
    Col("正式", lambda r: r.full, align="right", width=55),
    Col("预备", lambda r: r.probationary, align="right", width=55),
    Col("三会一课已开", lambda r: r.meetings_held, align="right", width=95),
    Col("应开", lambda r: r.meetings_required, align="right", width=55),
    Col("党费应交", lambda r: r.dues_due, align="right", width=100),
    Col("党费实交", lambda r: r.dues_paid, align="right", width=100),
    Col("已上缴", lambda r: r.dues_remitted, align="right", width=100),
    Col("申请人", lambda r: r.stage("applicant"), align="right", width=60),
    Col("积极分子", lambda r: r.stage("activist"), align="right", width=70),
    Col("发展对象", lambda r: r.stage("candidate"), align="right", width=70),
    Col("预备党员（发展）", lambda r: r.stage("probationary"), align="right", width=115),
    Col("六个一达标", lambda r: _ratio(r.checklist_met, r.checklist_items), align="center", width=85),
    Col(
        "问题",
        lambda r: r.findings.get("error") if r.counted else None,
        align="right",
        width=50,
        color=lambda r: SEVERITY_COLORS["error"] if r.findings.get("error") else None,
    ),
    Col("提醒", lambda r: r.findings.get("warning") if r.counted else None, align="right", width=50),
    Col("待办", lambda r: r.findings.get("reminder") if r.counted else None, align="right", width=50),
    Col("报送日期", lambda r: r.created_date, align="center", width=125),
    Col("说明", lambda r: r.note, width=320, tooltip=lambda r: r.note or None),
    Col("文件", lambda r: r.source.name, width=260, tooltip=lambda r: str(r.source)),
]


def totals_text(result: AggregateResult) -> str:
    t = result.totals()
    if not result.rows:
        return ""
    parts = [
        f"合计 {t['branches']} 个支部：党员 {t['members'] or 0} 名（正式 {t['full'] or 0}，预备 {t['probationary'] or 0}）"
    ]
    if t["meetings_required"] is not None:
        parts.append(f"三会一课 已开/应开 {t['meetings_held']}/{t['meetings_required']}")
    if t["dues_due"] is not None:
        parts.append(
            f"党费 应交 {t['dues_due']:,.2f} 元，实交 {t['dues_paid']:,.2f} 元，已上缴 {t['dues_remitted']:,.2f} 元"
        )
    if t["checklist_items"] is not None:
        parts.append(f"六个一 达标 {t['checklist_met']}/{t['checklist_items']}")
    f = t["findings"]
    parts.append(f"问题 {f.get('error', 0)}，提醒 {f.get('warning', 0)}，待办 {f.get('reminder', 0)}")
    bad = len(result.problems)
    sup = sum(1 for r in result.rows if r.status == "superseded")
    tail = []
    if bad:
        tail.append(f"{bad} 个报送包被改动、不全或无法读取，未计入")
    if sup:
        tail.append(f"{sup} 个较早的重复报送包未计入")
    if len(result.years) > 1:
        tail.append("注意：报送包属于不同年度")
    return "；".join(parts) + "。" + ("　" + "；".join(tail) + "。" if tail else "")


class LiaisonWindow(QWidget):
    """A top-level window; needs no ledger."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("联络员汇总 — 支部台账")
        self.paths: list[Path] = []
        self.passwords: dict[str, str] = {}
        self.result = AggregateResult([])
        self.filled: Any = None  # the last park form filled (exports.forms.FillResult)
        self.start_dir: Path = Path.home()
        self.worker: Any = None  # the background check running, if any
        self.counted_paths: list[Path] = []  # the paths self.result was made from
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        self.header = SectionHeader(
            "联络员汇总",
            "打开各支部交来的报送包（文件夹或压缩包），每个支部一行，底部是园区合计。"
            "每个报送包都先逐个文件核对；被改动或不全的报送包单独标出，不计入合计。",
        )
        self.add_dir_btn = self.header.add_button(primary_button("添加报送包文件夹…"))
        self.add_dir_btn.clicked.connect(self.add_folder)
        self.add_zip_btn = self.header.add_button(QPushButton("添加压缩包…"))
        self.add_zip_btn.clicked.connect(self.add_zips)
        self.clear_btn = self.header.add_button(QPushButton("清空"))
        self.clear_btn.clicked.connect(self.clear)
        lay.addWidget(self.header)
        row = QHBoxLayout()
        self.search = SearchBox("筛选支部（Ctrl+F）")
        row.addWidget(self.search)
        row.addStretch(1)
        self.xlsx_btn = QPushButton("导出 Excel…")
        self.xlsx_btn.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_btn = QPushButton("导出 PDF…")
        self.pdf_btn.clicked.connect(lambda: self.export("pdf"))
        self.form_btn = QPushButton("填写园区表格…")
        self.form_btn.setToolTip(
            "选一张写着 {{ 各支部.名称 }}、{{ 合计.党员总数 }} 等名称的 Excel/Word 模板（如报给区里的表），"
            "一支部一行、园区合计填好另存（名称见 docs/forms.md 的“园区字段表”）"
        )
        self.form_btn.clicked.connect(self.fill_form)
        row.addWidget(self.form_btn)
        row.addWidget(self.xlsx_btn)
        row.addWidget(self.pdf_btn)
        lay.addLayout(row)
        self.model: RowModel[BranchRow] = RowModel(COLUMNS)
        self.table = Table(self.model)
        self.search.textChanged.connect(self.table.proxy.set_search)
        lay.addWidget(self.table, 1)
        self.empty = EmptyState(
            "还没有打开报送包 — 添加报送包文件夹（可以选一个装着许多报送包的文件夹）",
            "添加报送包文件夹…",
            self.add_folder,
        )
        lay.addWidget(self.empty, 1)
        # while the packages are checked (in a background thread): how far, and a way out
        self.progress_row = QWidget()
        prow = QHBoxLayout(self.progress_row)
        prow.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.cancel_btn = QPushButton("取消")
        self.cancel_btn.setToolTip("停止核对；表格保持上一次的结果，不写任何文件")
        self.cancel_btn.clicked.connect(self.cancel)
        prow.addWidget(self.progress_label)
        prow.addWidget(self.progress_bar, 1)
        prow.addWidget(self.cancel_btn)
        self.progress_row.hide()
        lay.addWidget(self.progress_row)
        self.message = (
            QLabel()
        )  # the outcome of the last run: cancelled, failed, packages that could not be read
        self.message.setWordWrap(True)
        self.message.hide()
        lay.addWidget(self.message)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.totals)
        QShortcut(QKeySequence("Ctrl+O"), self, self.add_folder)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+P"), self, lambda: self.export("pdf"))
        QShortcut(QKeySequence("Ctrl+S"), self, lambda: self.export("xlsx"))
        self.show_result()
        fit.install()
        fit.manage(self, "liaison", (1200, 680))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        worker = self.worker
        if worker is not None:  # stops between two files (threads) or two tasks of a few packages (processes)
            worker.cancel_requested = True
            worker.wait()
        fit.save(self)
        super().closeEvent(event)

    # -- adding
    def add_folder(self) -> None:
        if self.worker is not None:
            return
        path = QFileDialog.getExistingDirectory(
            self, "选择一个报送包文件夹，或装着许多报送包的文件夹", str(self.start_dir)
        )
        if path:
            self.start_dir = Path(path)
            self.add_paths([Path(path)])

    def add_zips(self) -> None:
        if self.worker is not None:
            return
        paths, _ = QFileDialog.getOpenFileNames(
            self, "选择报送包压缩包", str(self.start_dir), "压缩包 (*.zip)"
        )
        if paths:
            self.start_dir = Path(paths[0]).parent
            self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: list[Path]) -> None:
        """Add packages or folders of packages; the folders are looked into by the background check."""
        if self.worker is not None:  # Ctrl+O while a check runs: its buttons are off, and so is this
            return
        self.paths += [Path(p) for p in paths if Path(p) not in self.paths]
        self.reload()

    def clear(self) -> None:
        if self.worker is not None:
            return
        self.paths = []
        self.passwords = {}
        self.counted_paths = []
        self.result = AggregateResult([])
        self.message.hide()
        self.show_result()

    def reload(self) -> None:
        """Check every package again in a background thread (the window stays usable; 取消 stops it)."""
        paths, passwords = list(self.paths), dict(self.passwords)

        def work(progress: Any, cancelled: Any) -> tuple[AggregateResult, list[Path]]:
            items = aggregate.expand(paths)  # a folder of a thousand packages: listed off the GUI thread too
            result = aggregate.collect(items, passwords=passwords, progress=progress, cancelled=cancelled)
            return result, items

        self.message.hide()
        if tasks.SYNC:  # tests: inline
            try:
                result = work(self._progressed, lambda: False)
            except Exception as e:  # noqa: BLE001 - shown in Chinese
                self._failed(e, paths)
                return
            self._collected(*result)
            return
        worker = tasks.background(work)  # its progress shown in this window instead of a dialog
        self.worker = worker
        worker.progressed.connect(self._progressed)
        worker.done.connect(lambda r: self._collected(*r))
        worker.failed.connect(lambda e, _tb: self._failed(e, paths))
        worker.finished.connect(lambda: self._finished(worker))
        self._set_busy(True)
        self._progressed(0, 0, "正在查找报送包…")
        worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel_requested = True
            self.cancel_btn.setEnabled(False)
            self.progress_label.setText("正在停止…")

    def _set_busy(self, busy: bool) -> None:
        self.progress_row.setVisible(busy)
        self.cancel_btn.setEnabled(busy)
        for b in (self.add_dir_btn, self.add_zip_btn, self.clear_btn, self.empty):
            b.setEnabled(not busy)
        if busy:
            for b in (self.xlsx_btn, self.pdf_btn, self.form_btn):
                b.setEnabled(False)

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress_bar.setMaximum(max(total, 0))  # 0: busy, before the packages are counted
        self.progress_bar.setValue(min(done, total))
        if self.cancel_btn.isEnabled() or tasks.SYNC:
            self.progress_label.setText(text or aggregate_label(done, total))

    def _finished(self, worker: Any) -> None:
        """The thread has ended (tasks.background lets the QThread go)."""
        if self.worker is worker:
            self.worker = None
            self._set_busy(False)
            self.show_result()

    def _failed(self, e: BaseException, paths: list[Path]) -> None:
        self.paths = list(self.counted_paths)  # the table still shows the last whole result
        if isinstance(e, ExportCancelled):
            self._say("已取消核对，表格保持上一次的结果（没有写任何文件）。")
            return
        self._say("核对报送包时出错，表格保持上一次的结果。")
        show_error(self, e, "报送包未能全部核对")

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {SEVERITY_COLORS['error']};" if error else "")
        self.message.show()

    def _collected(self, result: AggregateResult, paths: list[Path]) -> None:
        self.result = result
        self.paths = list(paths)  # every package found, once
        self.counted_paths = list(paths)
        bad = [r for r in result.rows if r.status in ("tampered", "incomplete", "unreadable")]
        if bad:
            names = "；".join(f"{r.source.name}（{r.note or r.status_label}）" for r in bad[:3])
            more = f"等 {len(bad)} 个" if len(bad) > 3 else ""
            self._say(f"未计入的报送包{more}：{names}", error=True)
        locked = [
            r
            for r in result.rows
            if r.status == "unreadable"
            and r.source.suffix.lower() == ".zip"
            and "密码" in r.note
            and r.source.name not in self.passwords
        ]
        asked = False
        for r in locked:
            pw = self.ask_password(r.source)
            if pw:
                self.passwords[r.source.name] = pw
                asked = True
        if asked:
            if self.worker is None:
                self.reload()
            else:  # the thread is winding down: start again once it has
                self.worker.finished.connect(self.reload)
            return
        if self.worker is None:  # else once the thread has ended (_finished)
            self.show_result()

    def ask_password(self, zip_path: Path) -> str | None:
        pw, ok = QInputDialog.getText(
            self,
            "压缩包密码",
            f"“{zip_path.name}”已加密，请输入密码（留空则跳过）：",
            QLineEdit.EchoMode.Password,
        )
        return pw if ok and pw else None

    def show_result(self) -> None:
        self.model.set_rows(self.result.rows)
        has = bool(self.result.rows)
        self.table.setVisible(has)
        self.empty.setVisible(not has)
        self.xlsx_btn.setEnabled(has)
        self.pdf_btn.setEnabled(has)
        self.form_btn.setEnabled(bool(self.result.counted))
        self.clear_btn.setEnabled(has)
        self.totals.setText(totals_text(self.result))
        if has:
            self.header.set_hint(
                f"已打开 {len(self.result.rows)} 个报送包，计入 {len(self.result.counted)} 个支部。"
                "点列标题排序；鼠标停在“状态”上可看到具体问题。"
            )

    # -- export
    def export(self, fmt: str) -> None:
        if not self.result.rows:
            return
        years = self.result.years
        name = f"园区党支部报送情况汇总表{'_' + str(years[0]) if len(years) == 1 else ''}.{fmt}"
        flt = "Excel 文件 (*.xlsx)" if fmt == "xlsx" else "PDF 文件 (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self, "导出汇总表", str(self.start_dir / name), flt)
        if not path:
            return
        out = Path(path)
        if out.suffix.lower() != f".{fmt}":
            out = out.with_suffix(f".{fmt}")
        result = self.result

        def work(progress: Any, cancelled: Any) -> Path:
            return aggregate.write(result, out)  # a temporary file, renamed when whole

        tasks.run_task(
            self,
            "正在导出汇总表…",
            work,
            lambda p: offer_open(self, p, "汇总表已导出"),
            lambda e: show_error(self, e, "汇总表未导出"),
            cancellable=False,
        )

    # -- the park's own template
    def fill_form(self, template: Path | None = None, out: Path | None = None) -> None:
        """Fill a park-level template (.xlsx/.docx with the 园区字段表 names) from the packages opened: one row
        per counted branch, the park's totals. Unknown names are refused with their cell, nothing written."""
        from exports import forms
        from exports.forms.park import fill_park

        if not self.result.counted:
            return
        if template is None:
            picked, _ = QFileDialog.getOpenFileName(
                self, "选择园区表格模板", str(self.start_dir), "表格模板 (*.xlsx *.docx)"
            )
            if not picked:
                return
            template = Path(picked)
        if out is None:
            years = self.result.years
            label = f"_{years[0]}" if len(years) == 1 else ""
            suggested = self.start_dir / f"{template.stem}-已填写{label}{template.suffix.lower()}"
            flt = f"填好的表格 (*{template.suffix.lower()})"
            path, _ = QFileDialog.getSaveFileName(self, "保存填好的园区表格", str(suggested), flt)
            if not path:
                return
            out = Path(path)
        if out.suffix.lower() != template.suffix.lower():
            out = out.with_name(out.name + template.suffix.lower())
        if out.resolve() == template.resolve():
            show_error(self, "不能保存到模板文件本身，请换一个文件名。", "园区表格未填写")
            return
        try:
            result = fill_park(self.result, template, out)
        except forms.FormError as e:
            show_error(self, str(e), "园区表格未填写")
            return
        except Exception as e:  # noqa: BLE001 - a disk fault: named
            show_error(self, e, "园区表格未填写")
            return
        self.filled = result
        offer_open(self, out, f"园区表格已填写（{len(self.result.counted)} 个支部）")
