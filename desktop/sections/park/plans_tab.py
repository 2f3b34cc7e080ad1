"""计划总结 tab: the year's 工作计划, 年度总结 and 书记述职提纲 — the facts the program takes from the records (shown,
never edited: each number has its source) and the secretary's own words under each heading; 定稿 freezes it; Word
and PDF out. Rules: db.plans; documents: exports.plandoc."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import branch, plans
from db.dates import fmt_zh
from db.errors import LedgerError
from db.plans import KIND_LABELS, Plan
from desktop.dialogs import confirm, offer_open, show_error
from desktop.widgets import WrapLabel, primary_button

if TYPE_CHECKING:
    from db.connection import Ledger


class PlansTab(QWidget):
    def __init__(self, section: Any) -> None:
        super().__init__()
        self.section = section
        self.year = 0
        self.plan: Plan | None = None
        self._current = -1
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.kind = QComboBox()
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(self.kind.findData("summary"))
        self.kind.currentIndexChanged.connect(lambda _i: self.load(self.year))
        bar.addWidget(self.kind)
        self.build_btn = primary_button("生成草稿")
        self.build_btn.setToolTip("从台账记录取数；已写的文字保留")
        self.build_btn.clicked.connect(self.build)
        bar.addWidget(self.build_btn)
        self.save_btn = QPushButton("保存文字（Ctrl+S）")
        self.save_btn.clicked.connect(self.save)
        bar.addWidget(self.save_btn)
        self.final_btn = QPushButton("定稿…")
        self.final_btn.clicked.connect(self.finalize)
        bar.addWidget(self.final_btn)
        bar.addStretch(1)
        self.docx_btn = QPushButton("导出 Word…")
        self.docx_btn.clicked.connect(lambda: self.export("docx"))
        self.pdf_btn = QPushButton("导出 PDF…")
        self.pdf_btn.clicked.connect(lambda: self.export("pdf"))
        bar.addWidget(self.docx_btn)
        bar.addWidget(self.pdf_btn)
        lay.addLayout(bar)
        self.state = WrapLabel("")
        self.state.setObjectName("SectionHint")
        lay.addWidget(self.state)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.headings = QListWidget()
        self.headings.currentRowChanged.connect(self._show_section)
        split.addWidget(self.headings)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.facts = QTableWidget(0, 2)
        self.facts.setHorizontalHeaderLabels(["项目", "台账记录（不可改）"])
        self.facts.verticalHeader().setVisible(False)
        self.facts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.facts.setAlternatingRowColors(True)
        self.facts.horizontalHeader().setStretchLastSection(True)
        self.facts.setColumnWidth(0, 230)
        self.facts.verticalHeader().setDefaultSectionSize(30)
        self.facts.ensurePolished()
        self.facts.setMinimumHeight(
            self.facts.horizontalHeader().sizeHint().height()
            + 2 * 30
            + self.facts.horizontalScrollBar().sizeHint().height()
            + 2 * self.facts.frameWidth()
        )
        rl.addWidget(self.facts, 3)
        rl.addWidget(QLabel("支部填写（程序不代写）："))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("在此写本部分的情况、成效、打算……")
        self.text.setMinimumHeight(56)
        rl.addWidget(self.text, 2)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        self.headings.setMinimumWidth(150)
        lay.addWidget(split, 1)
        self._texts: dict[str, str] = {}

    @property
    def ledger(self) -> Ledger:
        return self.section.ledger  # type: ignore[no-any-return]

    def kind_code(self) -> str:
        return str(self.kind.currentData())

    def load(self, year: int) -> None:
        kind = self.kind_code()
        # words typed and not yet saved survive a refresh (a change made in another tab reloads this one)
        self._keep_text()
        same = self.plan is not None and (self.plan.year, self.plan.kind) == (year, kind)
        unsaved = dict(self._texts) if same else {}
        self.year = year
        stored = plans.get_plan(self.ledger, year, kind)
        self.plan = stored if stored is not None else plans.draft_plan(self.ledger, year, kind)
        self._texts = {s.key: s.text for s in self.plan.sections}
        if not self.plan.frozen:
            self._texts.update({k: v for k, v in unsaved.items() if k in self._texts})
        self._current = -1
        self.headings.blockSignals(True)
        self.headings.clear()
        for s in self.plan.sections:
            self.headings.addItem(s.heading)
        self.headings.blockSignals(False)
        self.headings.setCurrentRow(0)
        frozen = self.plan.frozen
        self.text.setReadOnly(frozen)
        self.text.setPlaceholderText("（未填写）" if frozen else "在此写本部分的情况、成效、打算……")
        self.build_btn.setEnabled(not frozen)
        self.save_btn.setEnabled(not frozen and stored is not None)
        self.final_btn.setEnabled(not frozen and stored is not None)
        label = KIND_LABELS[kind]
        if frozen:
            self.state.setText(
                f"{year}年{label}已于{fmt_zh(self.plan.finalized_on)}定稿，内容已冻结（可导出）。"
            )
        elif stored is not None:
            self.state.setText(
                f"{year}年{label}草稿：数据取自{fmt_zh(stored.built_on)}；可再次“生成草稿”更新数据，已写文字保留。"
            )
        else:
            self.state.setText(f"预览：{year}年{label}尚未生成 — 点“生成草稿”保存后即可填写文字。")

    def _keep_text(self) -> None:
        if self.plan is not None and 0 <= self._current < len(self.plan.sections):
            self._texts[self.plan.sections[self._current].key] = self.text.toPlainText()

    def _show_section(self, row: int) -> None:
        self._keep_text()
        self._current = row
        if self.plan is None or not 0 <= row < len(self.plan.sections):
            return
        s = self.plan.sections[row]
        self.facts.setRowCount(len(s.facts))
        for i, f in enumerate(s.facts):
            a = QTableWidgetItem(f.label)
            b = QTableWidgetItem(f"{f.shown_value}{f.unit}")
            b.setToolTip(f"来源：{f.source}")
            self.facts.setItem(i, 0, a)
            self.facts.setItem(i, 1, b)
        self.facts.setVisible(bool(s.facts))
        self.text.setPlainText(self._texts.get(s.key, ""))

    def build(self) -> None:
        if self.plan is not None and self.plan.id is not None:
            self.save(quiet=True)
        try:
            plans.build_draft(self.ledger, self.year, self.kind_code())
        except LedgerError as e:
            show_error(self, e)
            return
        self.load(self.year)
        self.section.ctx.status("草稿已生成")

    def save(self, quiet: bool = False) -> None:
        if self.plan is None or self.plan.id is None or self.plan.frozen:
            return
        self._keep_text()
        try:
            plans.save_text(self.ledger, self.plan.id, dict(self._texts))
        except LedgerError as e:
            show_error(self, e)
            return
        if not quiet:
            self.section.ctx.status("文字已保存")

    def finalize(self, ask: bool = True) -> None:
        if self.plan is None or self.plan.id is None:
            return
        if ask and not confirm(
            self, "定稿", "定稿后数据和文字都不能再改（可用 Ctrl+Z 撤销定稿）。现在定稿吗？", "定稿", False
        ):
            return
        self.save(quiet=True)
        try:
            plans.finalize_plan(self.ledger, self.plan.id)
        except LedgerError as e:
            show_error(self, e)
            return
        self.load(self.year)

    def export(self, fmt: str, path: Path | None = None) -> Path | None:
        from exports import plandoc

        if self.plan is None:
            return None
        if not self.plan.frozen:
            self.save(quiet=True)
            if self.plan.id is not None:
                self.plan = plans.get_plan(self.ledger, self.year, self.kind_code())
        assert self.plan is not None
        if path is None:
            name = f"{self.plan.title}.{fmt}"
            filt = "Word 文档 (*.docx)" if fmt == "docx" else "PDF 文件 (*.pdf)"
            chosen, _f = QFileDialog.getSaveFileName(self, "导出", str(Path.home() / name), filt)
            if not chosen:
                return None
            path = Path(chosen)
        bname = branch.branch_name(self.ledger)
        try:
            if fmt == "docx":
                plandoc.write_docx(self.plan, path, bname)
            else:
                plandoc.write_pdf(self.plan, path, bname)
        except (LedgerError, OSError) as e:
            show_error(self, e)
            return None
        if not self.section.ctx.window.property("quiet_exports"):
            offer_open(self, path)
        return path
