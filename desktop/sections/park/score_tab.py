"""星级自评 tab: the scheme in force (imported as a file; the example says 示例，非正式标准), each item with its
evidence — computed from the ledger or checked by hand — the score, the stars of the scheme's own thresholds, and
each gap opening the screen that fixes it. Rules: db.scorecards."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import clock, scorecards
from db.errors import LedgerError
from db.scorecards import Check, ItemScore, YearScore
from desktop.dialogs import show_error
from desktop.models import Col, RowModel
from desktop.sections.tab import SectionTab
from desktop.style import ERROR_RED, OK_GREEN, WARN_AMBER
from desktop.widgets import Table, WrapLabel

if TYPE_CHECKING:
    from db.connection import Ledger

# Where a 工作提醒 code is fixed (findings_clear items).
CODE_SCREENS = {
    "M": "meetings",
    "P": "dues",
    "D": "development",
    "C": "checklist",
    "O": "orglife",
    "T": "branch",
}


def screen_of(s: ItemScore) -> str:
    if s.item.evidence == "findings_clear":
        codes = [str(c) for c in s.item.params.get("codes") or []]
        for c in codes:
            if c[:1] in CODE_SCREENS:
                return CODE_SCREENS[c[:1]]
        return "dashboard"
    if s.screen == "findings":
        return "dashboard"
    return s.screen


def state_of(s: ItemScore) -> str:
    if s.evidence.met is None:
        return "未核对"
    return "达标" if s.evidence.met else "失分"


class CheckDialog(QDialog):
    """The secretary's check of a manual item: 达标 or not, a partial score, the evidence."""

    def __init__(
        self, ledger: Ledger, scheme_id: int, year: int, s: ItemScore, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.ledger, self.scheme_id, self.year, self.item = ledger, scheme_id, year, s.item
        self.setWindowTitle(f"核对：{s.item.title}")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("评分规则", WrapLabel(s.item.standard or "（未写明）"))
        self.met = QComboBox()
        for label, v in (("未核对", None), ("达标", True), ("未达标", False)):
            self.met.addItem(label, v)
        c = s.check
        self.met.setCurrentIndex(max(0, self.met.findData(c.met if c else None)))
        form.addRow("核对结果", self.met)
        self.score = QLineEdit("" if c is None or c.score is None else str(c.score))
        self.score.setPlaceholderText(f"不填：达标得{s.item.points}分")
        form.addRow("得分", self.score)
        self.evidence = QLineEdit(c.evidence if c and c.evidence else "")
        self.evidence.setPlaceholderText("佐证材料：文件、照片、记录的名称")
        form.addRow("佐证", self.evidence)
        lay.addLayout(form)
        b = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        b.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        b.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        b.accepted.connect(self.save)
        b.rejected.connect(self.reject)
        lay.addWidget(b)

    def save(self) -> None:
        score = None
        if self.score.text().strip():
            try:
                score = Decimal(self.score.text().strip())
            except InvalidOperation:
                show_error(self, "得分应为数字")
                return
        try:
            scorecards.save_check(
                self.ledger,
                Check(
                    self.scheme_id,
                    self.year,
                    self.item.key,
                    self.met.currentData(),
                    score,
                    self.evidence.text(),
                ),
            )
        except LedgerError as e:
            show_error(self, e)
            return
        self.accept()


class ScoreTab(SectionTab):
    def __init__(self, section: Any) -> None:
        super().__init__(section)
        self.score: YearScore | None = None
        lay = self.lay
        bar, fix_btn = self.button_bar(
            ("去处理", self.fix_current),
            (
                ("核对…", self.check_current),
                ("导入评分标准…", self.import_scheme),
                ("导出评分标准…", self.export_scheme),
                ("使用示例标准", self.use_example),
            ),
        )
        assert fix_btn is not None
        self.fix_btn = fix_btn
        self.fix_btn.setToolTip("打开能补上所选失分项的页面（双击同）")
        bar.addStretch(1)
        exp = QPushButton("导出自评表…")
        exp.clicked.connect(lambda: self.section.export("scorecard"))
        bar.addWidget(exp)
        self.summary = WrapLabel("")
        self.summary.setObjectName("SectionHint")
        lay.addWidget(self.summary)
        cols: list[Col[ItemScore]] = [
            Col("编号", lambda s: s.item.key, width=50),
            Col("指标", lambda s: s.item.title, width=220),
            Col("分值", lambda s: str(s.item.points), align="right", width=50),
            Col("佐证方式", lambda s: s.item.evidence_label, width=170, tooltip=lambda s: s.item.standard),
            Col(
                "状态",
                state_of,
                width=64,
                color=lambda s: {"达标": OK_GREEN, "失分": ERROR_RED, "未核对": WARN_AMBER}[state_of(s)],
            ),
            Col("得分", lambda s: str(s.score), align="right", width=50),
            Col("佐证情况", lambda s: s.evidence.detail, tooltip=lambda s: s.evidence.detail),
        ]
        self.model: RowModel[ItemScore] = RowModel(cols)
        self.table = Table(self.model, sortable=False)
        self.table.activated_row.connect(self.open_item)
        lay.addWidget(self.table, 1)

    def load(self, year: int) -> None:
        self.year = year
        scheme = scorecards.scheme_for(self.ledger, year)
        if scheme is None or scheme.id is None:
            self.score = None
            self.model.set_rows([])
            self.summary.setText(
                "还没有评分标准 — 导入上级党委发布的评分标准文件，或先“使用示例标准”看看（示例，非正式标准）。"
                "星级、分值和评分规则都是地方规定，程序不设默认标准。"
            )
            return
        self.score = scorecards.year_score(self.ledger, scheme.id, year)
        self.model.set_rows(self.score.items)
        s = self.score
        stars = "" if s.stars is None else f"，对应{s.stars}星"
        example = "【示例，非正式标准】" if scheme.example else ""
        self.summary.setText(
            f"{example}{scheme.name}（{scheme.year}年）：{year}年得分 {s.total}/{scheme.total_points}{stars}；"
            f"失分或未核对{len(s.gaps)}项，双击失分项打开能补上的页面。分值和星级线均为上级党委规定（地方做法）。"
        )

    def open_item(self, s: ItemScore) -> None:
        if s.item.evidence == "manual":
            self.check_item(s)
        elif s.is_gap:
            self.fix(s)

    def fix(self, s: ItemScore) -> None:
        target = screen_of(s)
        if target == "park":
            self.section.tabs.setCurrentWidget(self.section.posts)
            return
        self.section.ctx.navigate(target)

    def fix_current(self) -> None:
        s = self.table.current_row()
        if s is not None:
            self.open_item(s) if s.item.evidence == "manual" else self.fix(s)

    def check_item(self, s: ItemScore) -> None:
        if self.score is None or self.score.scheme.id is None:
            return
        if (
            CheckDialog(self.ledger, self.score.scheme.id, self.year, s, self).exec()
            == QDialog.DialogCode.Accepted
        ):
            self.section.ctx.status("核对结果已保存")

    def check_current(self) -> None:
        s = self.table.current_row()
        if s is not None:
            self.check_item(s)

    def use_example(self) -> None:
        try:
            scorecards.save_scheme(self.ledger, scorecards.example_scheme(self.year or clock.today().year))
        except LedgerError as e:
            show_error(self, e)

    def import_scheme(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _f = QFileDialog.getOpenFileName(
                self, "导入评分标准", str(Path.home()), "评分标准 (*.json)"
            )
            if not chosen:
                return
            path = Path(chosen)
        try:
            scorecards.import_scheme(self.ledger, path)
        except LedgerError as e:
            show_error(self, e, "评分标准未导入")

    def export_scheme(self, path: Path | None = None) -> None:
        if self.score is None:
            return
        if path is None:
            name = f"{self.score.scheme.name}_{self.score.scheme.year}.json"
            chosen, _f = QFileDialog.getSaveFileName(
                self, "导出评分标准", str(Path.home() / name), "评分标准 (*.json)"
            )
            if not chosen:
                return
            path = Path(chosen)
        try:
            scorecards.export_scheme(self.score.scheme, path)
        except LedgerError as e:
            show_error(self, e)
