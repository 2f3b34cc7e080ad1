"""The 党员花名册 section: the roster table (search, filters, sort as you type; ID and phone masked), the actions on
the chosen member, the empty state with both ways to start, and the way in from Excel and out to the printed
roster. The member form and the status dialogs live beside it in this package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import appraisals, branch, clock, members
from db.dates import fmt_zh
from db.errors import InputRefused
from db.members import Member
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.sections.lazy import LazyPage, LazyTabs
from desktop.sections.roster.form import MemberDialog
from desktop.sections.roster.status import HistoryDialog, StatusDialog
from desktop.style import WARN_AMBER
from desktop.widgets import SearchBox, SectionHeader, Table, primary_button

if TYPE_CHECKING:
    from desktop.sections.roster.transfers import TransfersTab


def _transfers(section: RosterSection) -> QWidget:
    from desktop.sections.roster.transfers import TransfersTab

    return TransfersTab(section)


class _RosterEmpty(QWidget):
    """'还没有党员 — 新增党员 / 从 Excel 导入': both ways to start, side by side."""

    def __init__(self, on_new: Any, on_import: Any) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.label = QLabel(
            "还没有党员 — 新增党员，或从已有的 Excel 花名册导入（表头顺序不限，导入前会逐行检查）。"
        )
        self.label.setObjectName("EmptyState")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = primary_button("新增党员")
        self.button.clicked.connect(on_new)
        self.import_button = QPushButton("从 Excel 导入")
        self.import_button.clicked.connect(on_import)
        row.addWidget(self.button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(2)


class RosterSection(Section):
    key = "roster"
    title = "党员花名册"
    watches = frozenset(
        {
            "members",
            "member_history",
            "party_groups",
            "appraisals",
            "appraisal_results",
            "posts",
            "post_members",
            "transfers",
        }
    )

    # the 组织关系转接 tab (`self.pages`) is imported and built when first shown or reached, loaded as it is built
    transfers: LazyPage[TransfersTab] = LazyPage()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("党员花名册", "")
        self.add_btn = self.header.add_button(primary_button("新增党员"))
        self.add_btn.setToolTip("Ctrl+N")
        self.add_btn.clicked.connect(self.new_item)
        self.import_btn = self.header.add_button(QPushButton("从 Excel 导入"))
        self.import_btn.clicked.connect(lambda: self.import_excel())
        self.export_btn = self.header.add_button(QPushButton("导出花名册"))
        self.export_btn.setToolTip("Ctrl+P")
        self.export_btn.clicked.connect(self.export_roster)
        self.layout_.addWidget(self.header)

        filters = QHBoxLayout()
        self.search = SearchBox("搜索姓名、岗位、党小组…（Ctrl+F）")
        self.search.setMinimumWidth(160)  # inside the tab the filters need the room at 1093 px
        self.search.textChanged.connect(lambda t: self.table.proxy.set_search(t))
        filters.addWidget(self.search, 1)
        self.status_filter = QComboBox()
        self.status_filter.addItem("在册党员", "active")
        self.status_filter.addItem("全部（含已离开）", None)
        for code, label in members.STATUS_LABELS.items():
            if code != "active":
                self.status_filter.addItem(label, code)
        self.category_filter = QComboBox()
        self.category_filter.addItem("全部类别", None)
        for code, label in members.CATEGORY_LABELS.items():
            self.category_filter.addItem(label, code)
        self.group_filter = QComboBox()
        # filled on each refresh: its width follows the names (the search box gives way, not the names)
        self.group_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for w, label in (
            (self.status_filter, "党籍"),
            (self.category_filter, "类别"),
            (self.group_filter, "党小组"),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
            w.currentIndexChanged.connect(self._apply_filters)

        self.groups: dict[int, str] = {}
        self.grades: dict[int, str] = {}  # the latest 民主评议 等次 (db.appraisals)
        self.posts: dict[int, str] = {}  # the 示范岗/责任区 held today (db.posts)
        cols: list[Col[Member]] = [
            Col("姓名", lambda m: m.name, width=90),
            Col("性别", lambda m: m.gender_label, align="center", width=44),
            Col("人员类别", lambda m: m.category_label, align="center", width=80),
            Col("党小组", lambda m: self.groups.get(m.group_id or -1, ""), width=110),
            Col("公民身份号码", lambda m: m.masked_id, align="center", width=150),
            Col("手机号", lambda m: m.masked_phone, align="center", width=105),
            Col("出生日期", lambda m: m.birth_date, width=118),
            Col("加入党组织日期", lambda m: m.joined_on, width=118),
            Col("转正日期", lambda m: m.full_on, width=118),
            Col("工作岗位", lambda m: m.job, width=140),
            Col(
                "党籍状态",
                lambda m: (
                    m.status_label
                    + (
                        f"（{fmt_zh(m.status_changed_on)}）"
                        if m.status != "active" and m.status_changed_on
                        else ""
                    )
                ),
                width=170,
                color=lambda m: None if m.status == "active" else WARN_AMBER,
            ),
            Col("民主评议", lambda m: self.grades.get(m.id or -1, ""), width=120),
            Col("示范岗", lambda m: self.posts.get(m.id or -1, ""), width=160),
        ]
        self.model: RowModel[Member] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(self.edit)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

        self.stack = QStackedWidget()
        table_page = QWidget()
        tl = QVBoxLayout(table_page)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.edit_btn = QPushButton("修改…")
        self.edit_btn.setToolTip("双击或回车")
        self.edit_btn.clicked.connect(lambda: self.edit(self.table.current_row()))
        self.transfer_btn = QPushButton("转出…")
        self.transfer_btn.setToolTip("开具组织关系介绍信（存根、介绍信、回执），该党员自转出日期起不再在册")
        self.transfer_btn.clicked.connect(self.transfer_out)
        self.status_btn = QPushButton("党籍变更…")
        self.status_btn.setToolTip("转出、去世、出党/除名、停止党籍或恢复")
        self.status_btn.clicked.connect(self.change_status)
        self.history_btn = QPushButton("变动记录…")
        self.history_btn.clicked.connect(self.show_history)
        self.delete_btn = QPushButton("删除（录错时）…")
        self.delete_btn.clicked.connect(self.delete)
        for b in (self.edit_btn, self.transfer_btn, self.status_btn, self.history_btn, self.delete_btn):
            actions.addWidget(b)
        actions.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("SectionHint")
        actions.addWidget(self.count_label)
        tl.addLayout(actions)
        self.stack.addWidget(table_page)
        self.empty = _RosterEmpty(self.new_item, lambda: self.import_excel())
        self.empty_import = self.empty.import_button
        self.stack.addWidget(self.empty)
        members_page = QWidget()  # the search and filters belong to the list, not to the transfers
        ml = QVBoxLayout(members_page)
        ml.setContentsMargins(0, 6, 0, 0)
        ml.addLayout(filters)
        ml.addWidget(self.stack, 1)
        self.tabs = QTabWidget()
        self.pages = LazyTabs(self.tabs, lambda _n, page: page.load())  # type: ignore[attr-defined]
        self.pages.add("members", "党员名单", lambda: members_page, build=True)
        self.pages.add("transfers", "组织关系转接", lambda: _transfers(self))
        self.layout_.addWidget(self.tabs, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.proxy.rowsInserted.connect(lambda *_: self._update_count())
        self.table.proxy.modelReset.connect(self._update_count)
        self.table.proxy.layoutChanged.connect(self._update_count)

    # -- loading
    def refresh(self) -> None:
        current = self.table.current_row()
        self.groups = {g.id: g.name for g in branch.list_groups(self.ledger) if g.id is not None}
        self.grades = appraisals.grades_on(self.ledger, clock.today())
        self.posts = self._posts_today()
        gid = self.group_filter.currentData()
        self.group_filter.blockSignals(True)
        self.group_filter.clear()
        self.group_filter.addItem("全部党小组", None)
        for g_id, name in self.groups.items():
            self.group_filter.addItem(name, g_id)
        self.group_filter.addItem("未分党小组", -1)
        self.group_filter.setCurrentIndex(max(0, self.group_filter.findData(gid)))
        self.group_filter.blockSignals(False)
        self.group_filter.setEnabled(bool(self.groups))
        rows = members.list_members(self.ledger)
        self.model.set_rows(rows)
        self.stack.setCurrentIndex(0 if rows else 1)
        self.export_btn.setEnabled(bool(rows))
        c = members.counts_on(self.ledger, clock.today())
        self.header.set_hint(
            f"在册 {c['total']} 名：正式党员 {c['full']} 名，预备党员 {c['probationary']} 名。"
            "身份证号和手机号在表中只显示部分，打开党员可查看完整信息。"
        )
        self._apply_filters()
        if current is not None:
            self.select_member(current.id)
        self._update_buttons()
        if self.pages.is_built("transfers"):  # else loaded when it is built
            self.transfers.load()

    def _posts_today(self) -> dict[int, str]:
        from db import posts

        today = clock.today()
        out: dict[int, list[str]] = {}
        for p in posts.list_posts(self.ledger):
            if p.active_on(today):
                for mid in p.member_ids:
                    out.setdefault(mid, []).append(p.name)
        return {k: "、".join(v) for k, v in out.items()}

    def _apply_filters(self) -> None:
        status = self.status_filter.currentData()
        category = self.category_filter.currentData()
        group = self.group_filter.currentData()

        def keep(m: Member) -> bool:
            if status is not None and m.status != status:
                return False
            if category is not None and m.category != category:
                return False
            if group == -1:
                return m.group_id is None
            return group is None or m.group_id == group

        self.table.proxy.set_extra_filter(keep)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.table.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"显示 {shown} / 共 {total} 人")

    def _update_buttons(self) -> None:
        row = self.table.current_row()
        has = row is not None
        for b in (self.edit_btn, self.status_btn, self.history_btn, self.delete_btn):
            b.setEnabled(has)
        self.transfer_btn.setEnabled(row is not None and row.status == "active")

    def select_member(self, member_id: int | None) -> bool:
        return self.table.select_where(lambda m: m is not None and m.id == member_id)

    # -- Section API
    def new_item(self) -> None:
        dlg = MemberDialog(self.ledger, None, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved_id is not None:
            self.ensure_fresh()
            self.search.clear()
            self.select_member(dlg.saved_id)
            self.ctx.status(f"已新增党员 {dlg.name.text().strip()}")

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        if subject_type == "transfer" and subject_id is not None:
            self.ensure_fresh()
            self.tabs.setCurrentWidget(self.transfers)
            self.transfers.select(int(subject_id))
            return
        if subject_type != "member" or subject_id is None:
            return
        self.ensure_fresh()
        self.tabs.setCurrentIndex(0)
        self.search.clear()
        if not self.select_member(int(subject_id)):
            self.status_filter.setCurrentIndex(self.status_filter.findData(None))
            self.category_filter.setCurrentIndex(0)
            self.group_filter.setCurrentIndex(0)
            self.select_member(int(subject_id))
        row = self.table.current_row()
        if row is not None and row.id == int(subject_id):
            self.edit(row)

    # -- actions on the selected member
    def edit(self, m: Member | None) -> None:
        if m is None:
            return
        fresh = members.get(self.ledger, m.id) if m.id is not None else m
        dlg = MemberDialog(self.ledger, fresh, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.ensure_fresh()
            self.select_member(m.id)
            self.ctx.status(f"已保存 {fresh.name} 的信息")

    def change_status(self) -> None:
        m = self.table.current_row()
        if m is None:
            return
        dlg = StatusDialog(self.ledger, members.get(self.ledger, m.id), self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.ensure_fresh()
            self.ctx.status(f"{m.name}：{dlg.status.currentText()}（{fmt_zh(dlg.date.value())}）")

    def transfer_out(self) -> None:
        m = self.table.current_row()
        if m is None or m.id is None:
            return
        from desktop.sections.roster.transfers import TransferOutDialog

        dlg = TransferOutDialog(self.ledger, members.get(self.ledger, m.id), self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved_id is not None:
            self.ensure_fresh()
            self.ctx.status(f"{m.name}的组织关系已转出（{fmt_zh(dlg.date.value())}），介绍信已生成")

    def show_history(self) -> None:
        m = self.table.current_row()
        if m is not None:
            HistoryDialog(self.ledger, members.get(self.ledger, m.id), self).exec()

    def delete(self) -> None:
        m = self.table.current_row()
        if m is None:
            return
        if not confirm(
            self,
            "删除党员",
            f"只有录入错误的记录才应删除。“{m.name}”如已离开支部，请用“党籍变更”（转出、去世等），"
            f"这样过去的会议和党费记录仍然完整。\n\n确定删除“{m.name}”吗？（可用 Ctrl+Z 撤销）",
            "删除",
            danger=True,
        ):
            return
        try:
            members.delete(self.ledger, m.id)
        except InputRefused as e:
            show_error(self, e, "不能删除")
            return
        self.ctx.status(f"已删除 {m.name}（Ctrl+Z 可撤销）")

    def import_excel(self, path: Any = None) -> None:
        from desktop.roster_import_dialog import RosterImportDialog

        dlg = RosterImportDialog(self.ctx, path, self)
        if dlg.path is not None:
            dlg.exec()
        self.ensure_fresh()

    def export_roster(self) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog("roster", Params(year=clock.today().year))


SECTION = RosterSection
