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
from db import forms as stored
from desktop.dialogs import confirm, offer_open, show_error
from desktop.export_dialog import default_folder, safe_filename
from desktop.tasks import run_task
from desktop.widgets import DateField, ScrollBody
from exports import forms
from exports.forms import library
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
        self.stored: stored.FormTemplate | None = None  # filling a version kept in the ledger
        self.note = ""
        outer = QVBoxLayout(self)
        self.tabs = tabs = QTabWidget()
        outer.addWidget(tabs)
        tabs.addTab(ScrollBody(self._fill_tab()), "填写表格")
        tabs.addTab(self._library_tab(), "台账中的模板")
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
        self.saved = QComboBox()
        self.saved.setToolTip("以前添加过或随表格包安装的模板，保存在台账中（每个名称用最新版本）")
        self.saved.activated.connect(self._pick_saved)
        form.addRow("台账中的模板", self.saved)
        row = QHBoxLayout()
        self.template = QLineEdit()
        self.template.setPlaceholderText("还没有选择表格模板 — 按“选择模板…”")
        self.template.editingFinished.connect(lambda: self.set_template(Path(self.template.text().strip())))
        pick = QPushButton("选择模板…")
        pick.setToolTip("从文件选择 .xlsx/.docx 模板；没有错误的模板会复制保存到台账（同名的成为新版本）")
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
        row = QHBoxLayout()
        row.addStretch(1)
        export = QPushButton("导出字段表（Excel）…")
        export.setToolTip("字段表和联络员用的园区字段表，各一个工作表，发给写模板的人")
        export.clicked.connect(lambda: self.export_fields())
        row.addWidget(export)
        lay.addLayout(row)
        return w

    def _library_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        hint = QLabel(
            "保存在台账中的表格模板，每个版本一行。添加同名模板成为新版本，旧版本仍保留。"
            "安装联络员发来的表格包（.zip）后，生成报送包时会自动填好包中的每张表格一并报送。"
        )
        hint.setObjectName("SectionHint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.library = _table(["名称", "版本", "来源", "期间", "报送期限", "添加日期", "SHA-256"])
        self.library.itemDoubleClicked.connect(lambda _i: self._use_selected())
        lay.addWidget(self.library, 1)
        row = QHBoxLayout()
        add = QPushButton("添加模板…")
        add.clicked.connect(lambda: self.add_template())
        install = QPushButton("安装表格包…")
        install.clicked.connect(lambda: self.install_pack())
        self.use_btn = QPushButton("用此版本填写")
        self.use_btn.clicked.connect(self._use_selected)
        self.remove_btn = QPushButton("移除表格包")
        self.remove_btn.setToolTip("报送包不再填写这个表格包的表格（模板仍留在台账的历史中，可撤销）")
        self.remove_btn.clicked.connect(self._remove_selected_pack)
        for b in (add, install):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.remove_btn)
        row.addWidget(self.use_btn)
        lay.addLayout(row)
        self.packs_label = QLabel()
        self.packs_label.setWordWrap(True)
        lay.addWidget(self.packs_label)
        self.refresh_library()
        return w

    # -- the templates kept in the ledger
    def refresh_library(self) -> None:
        ledger = self.ctx.ledger
        self._versions = stored.list_templates(ledger)
        packs = {p.id: p for p in stored.list_packs(ledger, include_removed=True)}
        installed = {p.id for p in stored.installed_packs(ledger)}
        self.library.setRowCount(0)
        for t in self._versions:
            pack = packs.get(t.pack_id) if t.pack_id else None
            source = "自己添加" if pack is None else f"表格包“{pack.name}”第{pack.version}版"
            if pack is not None and pack.id not in installed:
                source += "（已不在用）"
            period = {"year": "年度", "quarter": "季度"}.get(t.period or "", "")
            due = f"期间结束后次月{t.due_day}日" if t.due_day else ""
            _put_row(
                self.library,
                [t.name, f"第{t.version}版", source, period, due, t.added_on.isoformat(), t.sha256[:12]],
            )
        names = [
            f"“{p.name}”（第{p.version}版，{len(stored.pack_templates(ledger, p.id))} 张表）"
            for p in stored.installed_packs(ledger)
        ]
        self.packs_label.setText(
            ("已安装的表格包：" + "、".join(names) + "。生成报送包时一并填写。")
            if names
            else "还没有安装表格包。"
        )
        self.saved.clear()
        self.saved.addItem("（从文件选择 — 按“选择模板…”）", None)
        for t in stored.list_templates(ledger, latest=True):
            self.saved.addItem(t.label, t.id)

    def _selected_version(self) -> stored.FormTemplate | None:
        rows = {i.row() for i in self.library.selectedIndexes()}
        if not rows:
            return None
        return self._versions[min(rows)]

    def _use_selected(self) -> None:
        t = self._selected_version()
        if t is None:
            show_error(self, "请先在表中选一个模板版本。")
            return
        self.set_stored(t)
        self.tabs.setCurrentIndex(0)

    def _remove_selected_pack(self) -> None:
        t = self._selected_version()
        if t is None or t.pack_id is None:
            show_error(self, "请先在表中选一张来自表格包的表格。")
            return
        pack = next(
            (p for p in stored.list_packs(self.ctx.ledger, include_removed=True) if p.id == t.pack_id), None
        )
        if pack is None:
            return
        if not confirm(self, "移除表格包", f"报送包不再填写表格包“{pack.name}”中的表格。要移除吗？", "移除"):
            return
        stored.remove_pack(self.ctx.ledger, pack.id)
        self.refresh_library()

    def add_template(self, path: Path | None = None) -> stored.FormTemplate | None:
        """Copy a checked template file into the ledger (a new version when its name is known)."""
        if path is None:
            picked, _ = QFileDialog.getOpenFileName(
                self, "添加表格模板", str(default_folder()), "表格模板 (*.xlsx *.docx)"
            )
            if not picked:
                return None
            path = Path(picked)
        try:
            t = library.add_template_file(self.ctx.ledger, path)
        except forms.FormError as e:
            show_error(self, str(e), "模板没有保存")
            return None
        except Exception as e:  # noqa: BLE001 - a file that cannot be read: named
            show_error(self, e, "模板没有保存")
            return None
        self.refresh_library()
        return t

    def install_pack(self, path: Path | None = None) -> stored.FormPack | None:
        """Install a liaison's pack (.zip): checked whole (zip, manifest, every form's fields) and stored."""
        from exports.forms.pack import install_pack

        if path is None:
            picked, _ = QFileDialog.getOpenFileName(
                self, "安装表格包", str(default_folder()), "表格包 (*.zip)"
            )
            if not picked:
                return None
            path = Path(picked)
        try:
            pack = install_pack(self.ctx.ledger, path)
        except forms.FormError as e:
            show_error(self, str(e), "表格包没有安装")
            return None
        except Exception as e:  # noqa: BLE001 - named, never a traceback
            show_error(self, e, "表格包没有安装")
            return None
        self.refresh_library()
        self.packs_label.setText(
            f"已安装表格包“{pack.name}”（第{pack.version}版）。" + self.packs_label.text()
        )
        return pack

    def export_fields(self, out: Path | None = None) -> Path | None:
        from exports.forms.fields_sheet import write_fields_xlsx

        if out is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "导出字段表", str(default_folder() / "园区表格字段表.xlsx"), "Excel 文件 (*.xlsx)"
            )
            if not path:
                return None
            out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        try:
            write_fields_xlsx(out)
        except Exception as e:  # noqa: BLE001 - a disk fault: named
            show_error(self, e, "字段表没有导出")
            return None
        offer_open(self, out, "字段表已导出")
        return out

    # -- template
    def _pick_template(self) -> None:
        start = self.template.text().strip() or str(default_folder())
        path, _ = QFileDialog.getOpenFileName(
            self, "选择表格模板", start, "表格模板 (*.xlsx *.docx);;Excel (*.xlsx);;Word (*.docx)"
        )
        if path:
            self.set_template(Path(path))
            if self.usage is not None and self.usage.fields and not self.usage.problems:
                t = self.add_template(Path(path))  # copied into the ledger, versioned
                if t is not None:
                    self.note = f"已保存到台账：{t.label}。"
                    self._update()

    def _pick_saved(self, _index: int = 0) -> None:
        tid = self.saved.currentData()
        if tid is not None:
            self.set_stored(stored.get_template(self.ctx.ledger, int(tid)))

    def set_stored(self, t: stored.FormTemplate) -> None:
        """Fill from a version kept in the ledger."""
        self.stored = t
        self.note = f"台账中的模板：{t.label}，{t.added_on.isoformat()} 添加。"
        self.template.setText(f"台账：{t.label}")
        if t.period == "quarter" and self.period.currentData() is None:  # a pack's quarterly form
            self.period.setCurrentIndex(self.period.findData((clock.today().month - 1) // 3 + 1))
        elif t.period == "year":
            self.period.setCurrentIndex(0)
        self._show_usage(library.inspect_stored(self.ctx.ledger, t))
        i = self.saved.findData(t.id)
        self.saved.setCurrentIndex(i if i >= 0 else 0)

    def _template_name(self) -> tuple[str, str]:
        """(stem, suffix) of the template being filled, stored or from a file."""
        if self.stored is not None:
            return self.stored.name, self.stored.suffix
        tpl = Path(self.template.text())
        return tpl.stem, tpl.suffix.lower()

    def set_template(self, path: Path) -> None:
        """Check a template: list the fields it uses with their places, and every problem in red."""
        self.stored = None
        self.note = ""
        if hasattr(self, "saved"):
            self.saved.setCurrentIndex(0)
        self.template.setText(str(path) if str(path) not in ("", ".") else "")
        usage = None
        if self.template.text():
            try:
                usage = forms.inspect(path)
            except forms.FormError as e:
                usage = forms.Usage(problems=list(e.problems))
        self._show_usage(usage)

    def _show_usage(self, usage: forms.Usage | None) -> None:
        self.uses.setRowCount(0)
        self.usage = usage
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
            self.summary.setText(f"模板用到 {len(u.fields)} 个字段，都在字段表中，可以填写。{self.note}")
        self.ok.setEnabled(bool(u and u.fields and not u.problems))

    # -- output
    def params(self) -> Params:
        q = self.period.currentData()
        as_of = self.as_of.value() if not self.as_of.error() else None
        return Params(year=self.year.value(), quarter=q, as_of=as_of, masked=bool(self.masked.currentData()))

    def _suggest(self) -> None:
        if self._out_touched or not self.template.text():
            return
        stem, suffix = self._template_name()
        p = self.params()
        label = f"{p.year}年第{p.quarter}季度" if p.quarter else f"{p.year}年"
        name = safe_filename("-".join([branch.branch_name(self.ctx.ledger)[:20], stem, label]))
        folder = Path(self.out.text()).parent if self.out.text() else default_folder()
        if not folder.is_dir():
            folder = default_folder()
        self.out.setText(str(folder / (name + suffix)))

    def _browse(self) -> None:
        suffix = self._template_name()[1] or ".xlsx"
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
        stem, suffix = self._template_name()
        saved = self.stored
        out_text = self.out.text().strip()
        if not out_text:
            show_error(self, "请填写保存位置和文件名。")
            return
        out = Path(out_text)
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        if not out.parent.is_dir():
            show_error(self, f"保存位置“{out.parent}”不存在。请按“选择…”换一个文件夹。")
            return
        if saved is None and out.resolve() == template.resolve():
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
                progress(0, 1, f"正在填写{stem}")
                if saved is not None:
                    return library.fill_stored(reader, saved, out, params)
                return forms.fill(reader, template, out, params)
            finally:
                reader.close()

        def done(result: forms.FillResult) -> None:
            self.filled = result
            title = f"已填写{stem}"
            if result.warnings:
                title += f"（{len(result.warnings)} 条提示）"
                show_error(self, "\n".join(result.warnings), "脱敏填写的提示")
            self.accept()
            offer_open(self.parentWidget(), result.out, title)

        run_task(self, f"正在填写{stem}…", work, done, cancellable=False)
