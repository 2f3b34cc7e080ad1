"""六个一: the year's self-check of each item and 六有 sub-item (达标 / 部分达标 / 未达标), evidence notes and
photos, the date checked, and for a gap the 整改措施 with its due date; the checklist definition edited,
imported and exported as a small JSON file; the 自查表 exported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import checklists, clock
from db.checklists import Definition, Item, Result
from db.dates import fmt_zh
from desktop.dialogs import confirm, offer_open, show_error
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.style import OK_GREEN, SEVERITY_COLORS
from desktop.widgets import DateField, SectionHeader, Table, primary_button

STATUS_COLORS = {"met": OK_GREEN, "partly": SEVERITY_COLORS["warning"], "not_met": SEVERITY_COLORS["error"]}
IMAGE_FILTER = "图片 (*.png *.jpg *.jpeg *.bmp *.gif)"


def row_title(r: checklists.Row) -> str:
    return f"　　{r.item.title}" if r.parent else r.item.title


class DefinitionDialog(QDialog):
    """Edit a checklist definition: items and sub-items (编号, 名称, 标准要求) for a year."""

    def __init__(self, d: Definition, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"编辑{year}年清单")
        self.resize(860, 560)
        self.year = year
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(d.name)
        self.source = QLineEdit(d.source or "")
        form.addRow("清单名称", self.name)
        form.addRow("依据", self.source)
        lay.addLayout(form)
        note = QLabel(f"保存后作为{year}年及以后各年的清单，直到再次修改。以前年度的清单和自查结果不变。")
        note.setObjectName("SectionHint")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["编号", "名称", "标准要求"])
        self.tree.setColumnWidth(0, 80)
        self.tree.setColumnWidth(1, 300)
        for it in d.items:
            top = self._add(None, it)
            for sub in it.sub_items:
                self._add(top, sub)
            top.setExpanded(True)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        for text, fn in (
            ("添加项目", self.add_item),
            ("添加子项目", self.add_sub),
            ("删除", self.remove),
            ("上移", lambda: self.move(-1)),
            ("下移", lambda: self.move(1)),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _add(self, parent: QTreeWidgetItem | None, it: Item) -> QTreeWidgetItem:
        node = QTreeWidgetItem([it.key, it.title, it.standard or ""])
        node.setFlags(node.flags() | Qt.ItemFlag.ItemIsEditable)
        if parent is None:
            self.tree.addTopLevelItem(node)
        else:
            parent.addChild(node)
        return node

    def add_item(self) -> None:
        n = self.tree.topLevelItemCount() + 1
        node = self._add(None, Item(str(n), "新项目"))
        self.tree.setCurrentItem(node)
        self.tree.editItem(node, 1)

    def add_sub(self) -> None:
        cur = self.tree.currentItem()
        if cur is None:
            return
        top = cur.parent() or cur
        node = self._add(top, Item(f"{top.text(0)}.{top.childCount() + 1}", "新子项目"))
        top.setExpanded(True)
        self.tree.setCurrentItem(node)
        self.tree.editItem(node, 1)

    def remove(self) -> None:
        cur = self.tree.currentItem()
        if cur is None:
            return
        (cur.parent() or self.tree.invisibleRootItem()).removeChild(cur)

    def move(self, step: int) -> None:
        cur = self.tree.currentItem()
        if cur is None:
            return
        parent = cur.parent() or self.tree.invisibleRootItem()
        i = parent.indexOfChild(cur)
        j = i + step
        if 0 <= j < parent.childCount():
            expanded = cur.isExpanded()
            parent.takeChild(i)
            parent.insertChild(j, cur)
            cur.setExpanded(expanded)
            self.tree.setCurrentItem(cur)

    def definition(self) -> Definition:
        items = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            subs = [
                Item(
                    top.child(j).text(0).strip(),
                    top.child(j).text(1).strip(),
                    top.child(j).text(2).strip() or None,
                )
                for j in range(top.childCount())
            ]
            items.append(Item(top.text(0).strip(), top.text(1).strip(), top.text(2).strip() or None, subs))
        return Definition(self.name.text().strip(), self.year, items, self.source.text().strip() or None)


class ChecklistSection(Section):
    key = "checklist"
    title = "六个一"
    watches = frozenset(
        {"checklist_defs", "checklist_items", "checklist_results", "checklist_photos", "settings"}
    )

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("六个一自查", "")
        self.export_btn = primary_button("导出自查表（Ctrl+P）")
        self.export_btn.clicked.connect(self.export_report)
        self.header.add_button(self.export_btn)
        self.layout_.addWidget(self.header)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(lambda _v: self.refresh())
        bar.addWidget(self.year)
        bar.addSpacing(10)
        bar.addWidget(QLabel("清单："))
        self.name = QComboBox()
        self.name.setMinimumWidth(140)
        self.name.currentIndexChanged.connect(lambda _i: self.refresh() if not self._filling else None)
        bar.addWidget(self.name)
        bar.addSpacing(10)
        for text, fn in (
            ("编辑清单…", self.edit_definition),
            ("导入清单…", self.import_definition),
            ("导出清单…", self.export_definition),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            bar.addWidget(b)
        bar.addStretch(1)
        self.layout_.addLayout(bar)
        self._filling = False

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("checklist")  # its divider is remembered (desktop.fit)
        cols = [
            Col("编号", lambda r: r.item.key, align="center", width=48),
            Col("项目", row_title, width=270),
            Col(
                "是否达标",
                lambda r: r.result.status_label,
                align="center",
                width=76,
                color=lambda r: STATUS_COLORS.get(r.result.status or ""),
            ),
            Col("检查日期", lambda r: r.result.checked_on, width=120),
            Col("照片", lambda r: r.photo_count or "", align="center", width=44),
            Col("整改期限", lambda r: r.result.rect_due if r.result.is_gap else None, width=120),
        ]
        self.model: RowModel[checklists.Row] = RowModel(cols)
        self.table = Table(self.model, sortable=False)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(cur))
        split.addWidget(self.table)

        self.editor = QGroupBox("自查情况")
        form = QFormLayout(self.editor)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.item_title = QLabel()
        self.item_title.setWordWrap(True)
        self.item_title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.standard = QLabel()
        self.standard.setWordWrap(True)
        self.standard.setObjectName("SectionHint")
        form.addRow(self.item_title)
        form.addRow("标准要求", self.standard)
        st = QGridLayout()
        st.setContentsMargins(0, 0, 0, 0)
        self.status_group = QButtonGroup(self)
        self.status_buttons: dict[str | None, QRadioButton] = {}
        for i, (code, label) in enumerate(
            (("met", "达标(&1)"), ("partly", "部分达标(&2)"), ("not_met", "未达标(&3)"), (None, "未检查(&0)"))
        ):
            rb = QRadioButton(label)
            self.status_group.addButton(rb)
            self.status_buttons[code] = rb
            st.addWidget(rb, i // 2, i % 2)
            rb.toggled.connect(self._status_toggled)
        st.setColumnStretch(2, 1)
        form.addRow("是否达标", st)
        self.evidence = QPlainTextEdit()
        self.evidence.setPlaceholderText("自查情况：实际情况如何，如“活动室约40平方米，可容纳全体党员”")
        self.evidence.setFixedHeight(70)
        form.addRow("自查情况", self.evidence)
        self.documents = QLineEdit()
        self.documents.setPlaceholderText("佐证材料：文件、台账、档案号等")
        form.addRow("佐证材料", self.documents)
        self.checked_on = DateField()
        form.addRow("检查日期", self.checked_on)
        self.rect_box = QWidget()
        rf = QFormLayout(self.rect_box)
        rf.setContentsMargins(0, 0, 0, 0)
        self.rectification = QPlainTextEdit()
        self.rectification.setPlaceholderText("整改措施：谁、做什么")
        self.rectification.setFixedHeight(56)
        self.rect_due = DateField()
        self.rect_done = DateField()
        rf.addRow("整改措施", self.rectification)
        rf.addRow("整改期限", self.rect_due)
        rf.addRow("完成日期", self.rect_done)
        form.addRow(self.rect_box)
        self.photo_list = QListWidget()
        self.photo_list.setViewMode(QListView.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(120, 90))
        self.photo_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.photo_list.setFixedHeight(130)
        self.photo_list.setToolTip("佐证照片（保存在台账文件中）")
        form.addRow("佐证照片", self.photo_list)
        pb = QHBoxLayout()
        self.add_photo_btn = QPushButton("添加照片…")
        self.add_photo_btn.clicked.connect(self.pick_photos)
        self.del_photo_btn = QPushButton("删除所选照片")
        self.del_photo_btn.clicked.connect(self.remove_photo)
        pb.addWidget(self.add_photo_btn)
        pb.addWidget(self.del_photo_btn)
        pb.addStretch(1)
        form.addRow("", pb)
        self.save_btn = primary_button("保存（Ctrl+S）")
        self.save_btn.clicked.connect(self.save)
        sb = QHBoxLayout()
        sb.addStretch(1)
        sb.addWidget(self.save_btn)
        form.addRow(sb)
        # The editor scrolls on a small screen (a 1366×768 laptop at 150% leaves about 500 px of height).
        editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setWidget(self.editor)
        editor_scroll.setMinimumWidth(420)
        split.addWidget(editor_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([680, 420])
        self.layout_.addWidget(split, 1)
        self.current: checklists.Row | None = None

    # -- loading
    def _on_changed(self, result: Any) -> None:
        if result.tables == {"checklist_photos"} and self.isVisible() and not self._dirty:
            self._photos_changed()  # keep what is being typed in the form
            return
        super()._on_changed(result)

    def _photos_changed(self) -> None:
        counts: dict[str, int] = {}
        for p in checklists.photos(self.ledger, self.year.value(), self.checklist_name()):
            counts[p.item_key] = counts.get(p.item_key, 0) + 1
        for i, row in enumerate(self.model.rows):
            n = counts.get(row.item.key, 0)
            if n != row.photo_count:
                row.photo_count = n
                self.model.dataChanged.emit(
                    self.model.index(i, 0), self.model.index(i, len(self.model.columns) - 1)
                )
        self._fill_photos()

    def checklist_name(self) -> str:
        return self.name.currentText() or checklists.DEFAULT_NAME

    def refresh(self) -> None:
        year = self.year.value()
        names = checklists.checklist_names(self.ledger, year)
        self._filling = True
        keep = self.name.currentText()
        self.name.clear()
        self.name.addItems(names)
        if keep in names:
            self.name.setCurrentText(keep)
        self._filling = False
        self.name.setEnabled(len(names) > 1)
        name = self.checklist_name()
        d = checklists.definition_for(self.ledger, year, name)
        rows = checklists.year_rows(self.ledger, year, name)
        key = self.current.item.key if self.current else None
        self.model.set_rows(rows)
        met = sum(1 for r in rows if r.result.status == "met")
        gaps = sum(1 for r in rows if r.result.is_gap)
        todo = sum(1 for r in rows if r.result.status is None)
        origin = (
            "本年度清单"
            if d.year == year and d.id
            else (f"沿用{d.year}年清单" if d.id else "默认清单（松江区“六个一”“六有”）")
        )
        self.header.set_hint(
            f"{year}年“{name}”：共{len(rows)}项（含子项），达标{met}项，"
            f"未达标或部分达标{gaps}项，未检查{todo}项。{origin}。"
        )
        if not (key and self.table.select_where(lambda r: r.item.key == key)) and rows:
            self.table.select_where(lambda r: True)
        self._select(self.table.currentIndex())

    def _select(self, index: Any) -> None:
        row = index.data(Qt.ItemDataRole.UserRole + 2) if index is not None and index.isValid() else None
        self.current = row
        self.editor.setEnabled(row is not None)
        if row is None:
            return
        r = row.result
        self.item_title.setText(
            f"{row.item.key}　{row.item.title}" + (f"（{row.parent.title}）" if row.parent else "")
        )
        self.standard.setText(row.item.standard or "（未写明）")
        self.status_buttons[r.status].setChecked(True)
        self.evidence.setPlainText(r.evidence or "")
        self.documents.setText(r.documents or "")
        self.checked_on.set_value(r.checked_on)
        self.rectification.setPlainText(r.rectification or "")
        self.rect_due.set_value(r.rect_due)
        self.rect_done.set_value(r.rect_done)
        self._status_toggled()
        self._fill_photos()

    def _fill_photos(self) -> None:
        self.photo_list.clear()
        if self.current is None:
            return
        for p in checklists.photos(
            self.ledger, self.year.value(), self.checklist_name(), self.current.item.key
        ):
            pix = QPixmap()
            pix.loadFromData(checklists.photo_thumb(self.ledger, p.id))
            item = QListWidgetItem(QIcon(pix), p.caption or p.file_name)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setToolTip(f"{p.file_name}　添加于{fmt_zh(p.added_on)}")
            self.photo_list.addItem(item)

    def _status_toggled(self) -> None:
        gap = self.status() in ("partly", "not_met")
        self.rect_box.setVisible(gap or bool(self.rectification.toPlainText().strip()))

    def status(self) -> str | None:
        for code, rb in self.status_buttons.items():
            if rb.isChecked():
                return code
        return None

    def set_status(self, code: str | None) -> None:
        self.status_buttons[code].setChecked(True)

    # -- actions
    def form_result(self) -> Result | None:
        if self.current is None:
            return None
        for f, label in (
            (self.checked_on, "检查日期"),
            (self.rect_due, "整改期限"),
            (self.rect_done, "完成日期"),
        ):
            if f.error():
                show_error(self, f"{label}：{f.error()}")
                return None
        status = self.status()
        checked = self.checked_on.value()
        if status is not None and checked is None:
            checked = min(clock.today(), dt.date(self.year.value(), 12, 31))
        return Result(
            self.year.value(),
            self.checklist_name(),
            self.current.item.key,
            status,
            self.evidence.toPlainText().strip() or None,
            self.documents.text().strip() or None,
            checked,
            self.rectification.toPlainText().strip() or None,
            self.rect_due.value(),
            self.rect_done.value(),
        )

    def save(self) -> None:
        r = self.form_result()
        if r is None:
            return
        try:
            checklists.save_result(self.ledger, r)
        except Exception as e:  # noqa: BLE001 - shown to the secretary
            show_error(self, e, "自查结果未保存")
            return
        self.ctx.status(f"已保存：{self.current.item.title if self.current else ''}")

    def pick_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "选择佐证照片", str(Path.home()), IMAGE_FILTER)
        if files:
            self.add_photo_files([Path(f) for f in files])

    def add_photo_files(self, paths: list[Path]) -> None:
        if self.current is None:
            return
        key = self.current.item.key
        for p in paths:
            try:
                data = p.read_bytes()
                checklists.add_photo(
                    self.ledger, self.year.value(), self.checklist_name(), key, data, p.name, p.stem
                )
            except Exception as e:  # noqa: BLE001 - shown to the secretary
                show_error(self, e, f"照片 {p.name} 未添加")
                return
        self.ctx.status(f"已添加{len(paths)}张照片")

    def remove_photo(self) -> None:
        item = self.photo_list.currentItem()
        if item is None:
            return
        if not confirm(
            self, "删除照片", f"删除照片“{item.text()}”？可以用“撤销”（Ctrl+Z）恢复。", "删除", danger=True
        ):
            return
        checklists.remove_photo(self.ledger, int(item.data(Qt.ItemDataRole.UserRole)))

    def edit_definition(self) -> None:
        year = self.year.value()
        d = checklists.definition_for(self.ledger, year, self.checklist_name())
        dlg = DefinitionDialog(d, year, self)
        while dlg.exec():
            try:
                checklists.save_definition(self.ledger, dlg.definition())
            except Exception as e:  # noqa: BLE001 - shown, the dialog stays open
                show_error(self, e, "清单未保存")
                continue
            self.name.setCurrentText(dlg.definition().name)
            self.refresh()
            return

    def import_definition(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入清单", str(Path.home()), "清单文件 (*.json)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        year = self.year.value()
        try:
            d = checklists.import_definition(self.ledger, path, year)
        except Exception as e:  # noqa: BLE001 - shown to the secretary
            show_error(self, e, "清单未导入")
            return
        self.refresh()
        self.name.setCurrentText(d.name)
        self.ctx.status(f"已导入“{d.name}”，作为{year}年起的清单")

    def export_definition(self) -> None:
        d = checklists.definition_for(self.ledger, self.year.value(), self.checklist_name())
        default = str(Path.home() / f"{d.name}-清单-{self.year.value()}.json")
        path, _ = QFileDialog.getSaveFileName(self, "导出清单", default, "清单文件 (*.json)")
        if not path:
            return
        try:
            checklists.export_definition(d, Path(path))
        except Exception as e:  # noqa: BLE001
            show_error(self, e, "清单未导出")
            return
        offer_open(self, Path(path), "清单已导出")

    def export_report(self) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog("checklist", Params(year=self.year.value()))

    def new_item(self) -> None:
        self.edit_definition()

    def focus_search(self) -> None:
        self.table.setFocus()

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        if subject_type != "checklist_item" or subject_id is None:
            return
        r = checklists.get_result(self.ledger, int(subject_id))
        if r is None:
            return
        self.year.setValue(r.year)
        self.name.setCurrentText(r.checklist)
        self.refresh()
        self.table.select_where(lambda row: row.item.key == r.item_key)
        self.evidence.setFocus()


SECTION = ChecklistSection
