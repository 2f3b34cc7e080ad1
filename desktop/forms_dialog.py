"""报表 → 园区表格: fill a form the park liaison or upper committee sent (.xlsx / .docx with `{{ 字段 }}` names)
from the ledger. Pick the template, see which fields it uses and which names are unknown (with their cell or
paragraph), pick the period and the profile, fill it in the background, open the result. The 字段表 tab lists
every name a template can use (exports/forms/fields.py, docs/forms.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import branch, clock
from desktop.dialogs import offer_open, show_error
from desktop.export_dialog import default_folder, safe_filename
from desktop.tasks import run_task
from desktop.widgets import DateField, ScrollBody
from exports import forms
from exports.registry import Params

ERROR_BRUSH = QBrush(QColor("#b3261e"))


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    h = t.horizontalHeader()
    for i in range(len(headers) - 1):
        h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
    h.setStretchLastSection(True)
    return t


def _put_row(t: QTableWidget, values: list[str], error: bool = False) -> None:
    r = t.rowCount()
    t.insertRow(r)
    for c, v in enumerate(values):
        item = QTableWidgetItem(v)
        if error:
            item.setForeground(ERROR_BRUSH)
        t.setItem(r, c, item)


class FormsDialog(QDialog):
    def __init__(self, ctx: Any, parent: QWidget | None = None, template: Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("园区表格")
        self.setMinimumWidth(720)
        self.usage: forms.Usage | None = None
        self.filled: forms.FillResult | None = None
        outer = QVBoxLayout(self)
        tabs = QTabWidget()
        outer.addWidget(tabs)
        tabs.addTab(ScrollBody(self._fill_tab()), "填写表格")
        tabs.addTab(self._fields_tab(), "字段表")
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("填写", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setProperty("primary", True)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        if template is not None:
            self.set_template(template)
        self._update()

    # -- layout
    def _fill_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        hint = QLabel(
            "选择联络员或上级发来的 Excel/Word 表格模板（格子里写着 {{ 支部.名称 }} 这样的字段名），"
            "程序按所选期间用台账数据填好另存，不改动模板本身。可用的字段见“字段表”。"
        )
        hint.setObjectName("SectionHint")
        hint.setWordWrap(True)
        form.addRow(hint)
        row = QHBoxLayout()
        self.template = QLineEdit()
        self.template.setPlaceholderText("还没有选择表格模板 — 按“选择模板…”")
        self.template.editingFinished.connect(lambda: self.set_template(Path(self.template.text().strip())))
        pick = QPushButton("选择模板…")
        pick.clicked.connect(self._pick_template)
        row.addWidget(self.template, 1)
        row.addWidget(pick)
        form.addRow("表格模板", row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        form.addRow("检查结果", self.summary)
        self.uses = _table(["字段", "位置", "说明"])
        self.uses.setMinimumHeight(120)
        form.addRow(self.uses)
        period = QHBoxLayout()
        today = clock.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.period = QComboBox()
        self.period.addItem("全年", None)
        for q in range(1, 5):
            self.period.addItem(f"第{q}季度", q)
        self.as_of = DateField()
        self.as_of.setToolTip("数据截至哪一天；不填则为期间最后一天（期间未结束时为今天）")
        period.addWidget(self.year)
        period.addWidget(self.period)
        period.addWidget(QLabel("截至"))
        period.addWidget(self.as_of)
        period.addStretch(1)
        form.addRow("期间", period)
        self.masked = QComboBox()
        self.masked.addItem("脱敏（身份证号、手机号只填部分；交给联络员时用）", True)
        self.masked.addItem("完整（含身份证号、手机号）", False)
        form.addRow("个人信息", self.masked)
        out_row = QHBoxLayout()
        self.out = QLineEdit()
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        form.addRow("保存到", out_row)
        self.year.valueChanged.connect(self._suggest)
        self.period.currentIndexChanged.connect(self._suggest)
        self._out_touched = False
        self.out.textEdited.connect(lambda _t: setattr(self, "_out_touched", True))
        return w

    def _fields_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        hint = QLabel(
            "表格模板中写作 {{ 名称 }}；“列表”中的字段所在的行按列表逐行重复。"
            "“脱敏”为“是”的字段在脱敏填写时只填部分隐去的值。"
        )
        hint.setObjectName("SectionHint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.fields = _table(["名称", "类型", "脱敏", "说明"])
        for f in forms.FIELDS:
            _put_row(self.fields, [f.path, f.kind, "是" if f.sensitive else "", f.description])
        lay.addWidget(self.fields, 1)
        return w

    # -- template
    def _pick_template(self) -> None:
        start = self.template.text().strip() or str(default_folder())
        path, _ = QFileDialog.getOpenFileName(
            self, "选择表格模板", start, "表格模板 (*.xlsx *.docx);;Excel (*.xlsx);;Word (*.docx)"
        )
        if path:
            self.set_template(Path(path))

    def set_template(self, path: Path) -> None:
        """Check a template: list the fields it uses with their places, and every problem in red."""
        self.template.setText(str(path) if str(path) not in ("", ".") else "")
        self.uses.setRowCount(0)
        self.usage = None
        if self.template.text():
            try:
                self.usage = forms.inspect(path)
            except forms.FormError as e:
                self.usage = forms.Usage(problems=list(e.problems))
        if self.usage is not None:
            for where, message in self.usage.problems:
                _put_row(self.uses, ["（错误）", where, message], error=True)
            for name, places in self.usage.fields.items():
                f = forms.BY_PATH.get(name)
                _put_row(self.uses, [name, "、".join(places), f.description if f else ""])
        self._out_touched = False
        self._suggest()
        self._update()

    def _update(self) -> None:
        u = self.usage
        if u is None:
            self.summary.setText("还没有选择表格模板。")
        elif u.problems:
            self.summary.setText(
                f"有 {len(u.problems)} 处错误（红色），改好模板后重新选择；有错误的模板不能填写。"
            )
        elif not u.fields:
            self.summary.setText("这个文件里没有 {{ 字段 }}，没有可以填写的内容。")
        else:
            self.summary.setText(f"模板用到 {len(u.fields)} 个字段，都在字段表中，可以填写。")
        self.ok.setEnabled(bool(u and u.fields and not u.problems))

    # -- output
    def params(self) -> Params:
        q = self.period.currentData()
        as_of = self.as_of.value() if not self.as_of.error() else None
        return Params(year=self.year.value(), quarter=q, as_of=as_of, masked=bool(self.masked.currentData()))

    def _suggest(self) -> None:
        if self._out_touched or not self.template.text():
            return
        tpl = Path(self.template.text())
        p = self.params()
        label = f"{p.year}年第{p.quarter}季度" if p.quarter else f"{p.year}年"
        name = safe_filename("-".join([branch.branch_name(self.ctx.ledger)[:20], tpl.stem, label]))
        folder = Path(self.out.text()).parent if self.out.text() else default_folder()
        if not folder.is_dir():
            folder = default_folder()
        self.out.setText(str(folder / (name + tpl.suffix.lower())))

    def _browse(self) -> None:
        suffix = Path(self.template.text()).suffix.lower() or ".xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "保存为", self.out.text(), f"填好的表格 (*{suffix})")
        if path:
            self._out_touched = True
            if not path.lower().endswith(suffix):
                path += suffix
            self.out.setText(path)

    def run(self) -> None:
        if self.usage is None or self.usage.problems or not self.usage.fields:
            show_error(self, "请先选择一个没有错误的表格模板。")
            return
        if self.as_of.error():
            show_error(self, f"截至日期：{self.as_of.error()}")
            return
        template = Path(self.template.text())
        out_text = self.out.text().strip()
        if not out_text:
            show_error(self, "请填写保存位置和文件名。")
            return
        out = Path(out_text)
        if out.suffix.lower() != template.suffix.lower():
            out = out.with_name(out.name + template.suffix.lower())
        if not out.parent.is_dir():
            show_error(self, f"保存位置“{out.parent}”不存在。请按“选择…”换一个文件夹。")
            return
        if out.resolve() == template.resolve():
            show_error(self, "不能保存到模板文件本身，请换一个文件名。")
            return
        if out.exists():
            from desktop.dialogs import confirm

            if not confirm(self, "文件已存在", f"“{out.name}”已经存在，要用新填写的内容替换它吗？", "替换"):
                return
        params = self.params()
        reader = self.ctx.ledger.reader()

        def work(progress: Any, cancelled: Any) -> forms.FillResult:
            try:
                progress(0, 1, f"正在填写{template.name}")
                return forms.fill(reader, template, out, params)
            finally:
                reader.close()

        def done(result: forms.FillResult) -> None:
            self.filled = result
            title = f"已填写{template.stem}"
            if result.warnings:
                title += f"（{len(result.warnings)} 条提示）"
                show_error(self, "\n".join(result.warnings), "脱敏填写的提示")
            self.accept()
            offer_open(self.parentWidget(), result.out, title)

        run_task(self, f"正在填写{template.name}…", work, done, cancellable=False)
