"""导出报表 (Ctrl+P): built from the template registry. Pick a template, a format and the period; the file is
written in the background and then offered to open."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from db import branch, clock
from db.dates import fmt_zh
from desktop.dialogs import offer_open
from desktop.tasks import run_task
from desktop.widgets import DateField
from exports import registry


def safe_filename(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:80]


def default_folder() -> Path:
    """The user's Documents folder as Windows knows it (it may be redirected, e.g. to OneDrive), else home."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    for candidate in (Path(docs) if docs else None, Path.home() / "Documents", Path.home()):
        if candidate is not None and candidate.is_dir():
            return candidate
    return Path.home()


class ExportDialog(QDialog):
    def __init__(
        self,
        ctx: Any,
        template: str | None = None,
        params: registry.Params | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导出报表")
        self.setMinimumWidth(640)
        self.templates = registry.templates()
        form = QFormLayout(self)
        self.template = QComboBox()
        for t in self.templates:
            self.template.addItem(t.title, t.key)
        form.addRow("报表", self.template)
        self.description = QLabel()
        self.description.setObjectName("SectionHint")
        self.description.setWordWrap(True)
        form.addRow("", self.description)
        fmt_row = QHBoxLayout()
        self.fmt_group = QButtonGroup(self)
        self.pdf = QRadioButton("PDF（打印、报送）")
        self.xlsx = QRadioButton("Excel（可再编辑）")
        self.docx = QRadioButton("Word（改好再打印）")
        self.docx.setToolTip("Word 文档（.docx），字体为宋体/仿宋/黑体，可在 Word 或 WPS 中修改后打印")
        self.pdf.setChecked(True)
        for b in (self.pdf, self.xlsx, self.docx):
            self.fmt_group.addButton(b)
            fmt_row.addWidget(b)
        fmt_row.addStretch(1)
        form.addRow("格式", fmt_row)
        today = clock.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(params.year if params and params.year else today.year)
        self.period = QComboBox()
        self.period.addItem("全年", None)
        for q in range(1, 5):
            self.period.addItem(f"第{q}季度", ("q", q))
        for m in range(1, 13):
            self.period.addItem(f"{m}月", ("m", m))
        self.record = QComboBox()
        self.masked = QComboBox()
        self.masked.addItem("完整（含身份证号、手机号）", False)
        self.masked.addItem("隐去个人敏感信息", True)
        self.as_of = DateField()
        self.as_of.setToolTip("按哪一天的情况导出；不填则为所选年度的年底（今年则为今天）")
        if params is not None and params.as_of is not None:
            self.as_of.set_value(params.as_of)
        form.addRow("年度", self.year)
        form.addRow("期间", self.period)
        self.as_of_label = QLabel("截至日期")
        form.addRow(self.as_of_label, self.as_of)
        self.record_label = QLabel("记录")
        form.addRow(self.record_label, self.record)
        form.addRow("个人信息", self.masked)
        out_row = QHBoxLayout()
        self.out = QLineEdit()
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        form.addRow("保存到", out_row)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("导出", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_path: Path | None = None
        self._out_touched = False
        self.out.textEdited.connect(lambda _t: setattr(self, "_out_touched", True))
        self.template.currentIndexChanged.connect(self._template_changed)
        for w in (self.year, self.period, self.record):
            (w.valueChanged if isinstance(w, QSpinBox) else w.currentIndexChanged).connect(self._suggest)
        self.fmt_group.buttonToggled.connect(lambda *_: self._suggest())
        self.as_of.changed.connect(self._suggest)
        if template:
            idx = self.template.findData(template)
            if idx >= 0:
                self.template.setCurrentIndex(idx)
        self._template_changed()
        if params is not None:
            chosen = params.meeting_id or params.applicant_id or params.transfer_id
            if chosen is not None:
                idx = self.record.findData(chosen)
                if idx >= 0:
                    self.record.setCurrentIndex(idx)
            if params.quarter:
                self.period.setCurrentIndex(self.period.findData(("q", params.quarter)))
            if params.month:
                self.period.setCurrentIndex(self.period.findData(("m", params.month)))
            if params.masked:
                self.masked.setCurrentIndex(self.masked.findData(True))

    def current(self) -> registry.Template:
        return self.templates[self.template.currentIndex()]

    def _template_changed(self) -> None:
        t = self.current()
        self.description.setText(t.description)
        accepts = set(t.accepts) | set(t.needs)
        self.period.setEnabled("quarter" in accepts or "month" in accepts)
        one = any(k in t.needs for k in ("meeting", "applicant", "transfer"))
        self.record.setVisible(one)
        self.record_label.setVisible(one)
        self.record.clear()
        if one and t.choices:
            for rid, label in t.choices(self.ctx.ledger):
                self.record.addItem(label, rid)
            self.record_label.setText(
                "会议" if "meeting" in t.needs else "转接记录" if "transfer" in t.needs else "发展对象"
            )
        self.masked.setEnabled(bool(t.sensitive))
        self.year.setEnabled("year" in accepts)
        self.as_of.setVisible("as_of" in accepts)
        self.as_of_label.setVisible("as_of" in accepts)
        self.xlsx.setEnabled("xlsx" in t.formats)
        self.pdf.setEnabled("pdf" in t.formats)
        self.docx.setVisible("docx" in t.formats)
        if self.docx.isChecked() and "docx" not in t.formats:
            self.pdf.setChecked(True)
        if "pdf" not in t.formats:
            self.xlsx.setChecked(True)
        self._suggest()

    def params(self) -> registry.Params:
        t = self.current()
        period = self.period.currentData() if self.period.isEnabled() else None
        rec = self.record.currentData() if not self.record.isHidden() else None
        accepts = set(t.accepts) | set(t.needs)
        return registry.Params(
            year=self.year.value() if "year" in accepts else None,
            quarter=period[1] if period and period[0] == "q" else None,
            month=period[1] if period and period[0] == "m" else None,
            meeting_id=rec if "meeting" in t.needs else None,
            applicant_id=rec if "applicant" in t.needs else None,
            transfer_id=rec if "transfer" in t.needs else None,
            as_of=self.as_of.value() if self._as_of_wanted(t) else None,
            masked=bool(self.masked.currentData()) and self.masked.isEnabled(),
        )

    def _as_of_wanted(self, t: registry.Template) -> bool:
        return "as_of" in (set(t.accepts) | set(t.needs))

    def fmt(self) -> str:
        if self.docx.isChecked():
            return "docx"
        return "pdf" if self.pdf.isChecked() else "xlsx"

    def _suggest(self) -> None:
        if self._out_touched:
            return
        t = self.current()
        p = self.params()
        bname = branch.branch_name(self.ctx.ledger)
        parts = [bname[:20], t.title, f"截至{fmt_zh(p.as_of)}" if p.as_of is not None else p.period_label()]
        if not self.record.isHidden() and self.record.currentText():
            parts.append(self.record.currentText().split("（")[0][:20])
        folder = Path(self.out.text()).parent if self.out.text() else default_folder()
        if not folder.is_dir():
            folder = default_folder()
        self.out.setText(str(folder / (safe_filename("-".join(x for x in parts if x)) + "." + self.fmt())))

    def _browse(self) -> None:
        fmt = self.fmt()
        path, _ = QFileDialog.getSaveFileName(
            self,
            "保存为",
            self.out.text(),
            {"pdf": "PDF 文件 (*.pdf)", "docx": "Word 文件 (*.docx)"}.get(fmt, "Excel 文件 (*.xlsx)"),
        )
        if path:
            self._out_touched = True
            if not path.lower().endswith("." + fmt):
                path += "." + fmt
            self.out.setText(path)

    def run(self) -> None:
        t = self.current()
        p = self.params()
        missing = registry.missing_params(t, p)
        if missing or (not self.record.isHidden() and self.record.currentData() is None):
            from desktop.dialogs import show_error

            show_error(self, "请先选择要导出的记录。" if not missing else "缺少：" + "、".join(missing))
            return
        if self._as_of_wanted(t) and self.as_of.error():
            from desktop.dialogs import show_error

            show_error(self, f"截至日期：{self.as_of.error()}")
            return
        out = Path(self.out.text().strip())
        fmt = self.fmt()
        if not self.out.text().strip():
            from desktop.dialogs import show_error

            show_error(self, "请填写保存位置和文件名。")
            return
        if out.suffix.lower() != "." + fmt:
            out = out.with_name(out.name + "." + fmt)
        if not out.parent.is_dir():
            from desktop.dialogs import show_error

            show_error(self, f"保存位置“{out.parent}”不存在。请按“选择…”换一个文件夹。")
            return
        if out.exists():
            from desktop.dialogs import confirm

            if not confirm(self, "文件已存在", f"“{out.name}”已经存在，要用新导出的内容替换它吗？", "替换"):
                return
        reader = self.ctx.ledger.reader()

        def work(progress: Any, cancelled: Any) -> Path:
            try:
                return registry.export(reader, t.key, p, fmt, out, progress, cancelled)
            finally:
                reader.close()

        def done(path: Path) -> None:
            self.result_path = path
            self.accept()
            offer_open(self.parentWidget(), path, f"已导出{t.title}")

        run_task(self, f"正在导出{t.title}…", work, done)
