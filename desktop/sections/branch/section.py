"""The 支部信息 section, four tabs: 支部概况 (the branch profile form), 党小组 with their 组长, 支委会与换届 (the
committee or lone 书记 by term, with seats, roles and the term findings), 选举与补选 (elections with their verdicts,
vacancies and 补选, RULES.md §4). The dialogs each tab opens live beside it in this package."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import branch, checklists, members
from db.branch import ROLE_LABELS, TERM_KIND_LABELS, Branch, PartyGroup, Seat, Term
from db.checklists import Election, Vacancy
from db.dates import fmt_zh
from db.meetings.rights import no_vote_ids
from db.rules import committee as rules
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.sections.branch.elections import ElectionDialog, VacancyDialog
from desktop.sections.branch.groups import GroupDialog
from desktop.sections.branch.terms import TermDialog
from desktop.sections.lazy import LazyTabs
from desktop.style import ERROR_RED, OK_GREEN
from desktop.widgets import DateField, EmptyState, SectionHeader, Table, WrapLabel, primary_button

# a little less than Qt's default around each tab's contents: two tables share a tab on a laptop screen
PAGE_MARGINS = (8, 6, 8, 6)


class BranchSection(Section):
    key = "branch"
    title = "支部信息"
    watches = frozenset(
        {
            "branch",
            "party_groups",
            "committee_terms",
            "committee_members",
            "members",
            "member_history",
            "elections",
            "election_candidates",
            "committee_vacancies",
            "settings",
        }
    )

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("支部信息", "")
        self.layout_.addWidget(self.header)
        self.tabs = QTabWidget()
        self.layout_.addWidget(self.tabs, 1)
        # the tabs after 支部概况 are built when first shown or reached, and filled as they are built
        self.pages = LazyTabs(self.tabs, lambda name, _page: self._fill(name))
        self.pages.add("profile", "支部概况", self._build_profile, build=True)
        self.pages.add("groups", "党小组", self._build_groups)
        self.pages.add("terms", "支委会与换届", self._build_terms)
        self.pages.add("elections", "选举与补选", self._build_elections)

    # which tab's widget an attribute is (`group_table` …): reaching it builds its tab
    _PAGE_OF = {"group_": "groups", "term_": "terms", "seat_": "terms", "election_": "elections"}
    _PAGE_OF |= {"vacancy_": "elections", "rule_note": "elections"}

    def __getattr__(self, name: str) -> Any:
        pages = self.__dict__.get("pages")
        page = next((p for prefix, p in self._PAGE_OF.items() if name.startswith(prefix)), None)
        if pages is None or page is None or pages.is_built(page):
            raise AttributeError(name)
        pages.page(page)
        return getattr(self, name)

    # -- building
    def _build_profile(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(*PAGE_MARGINS)
        form = QFormLayout()
        self.f_name = QLineEdit()
        self.f_upper = QLineEdit()
        self.f_park = QLineEdit()
        self.f_founded = DateField()
        self.f_enterprise = QLineEdit()
        self.f_notes = QPlainTextEdit()
        self.f_notes.setFixedHeight(70)
        self.f_name.setPlaceholderText("如：中共××科技有限公司支部委员会")
        form.addRow("支部全称", self.f_name)
        form.addRow("上级党组织", self.f_upper)
        form.addRow("园区", self.f_park)
        form.addRow("成立日期", self.f_founded)
        form.addRow("所在单位", self.f_enterprise)
        form.addRow("备注", self.f_notes)
        lay.addLayout(form)
        # what the rules ask of this branch, and 保存 beside it (on its own row it pushed the page past a
        # 1366×768 laptop at 150%)
        row = QHBoxLayout()
        self.setup_note = WrapLabel()
        self.setup_note.setObjectName("SectionHint")
        row.addWidget(self.setup_note, 1)
        b = primary_button("保存（Ctrl+S）")
        b.clicked.connect(self.save)
        row.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(row)
        lay.addStretch(1)
        return w

    def _build_groups(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(*PAGE_MARGINS)
        row = QHBoxLayout()
        for text, fn in (
            ("新增党小组", self.add_group),
            ("编辑", self.edit_group),
            ("删除", self.delete_group),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.group_model: RowModel[tuple[PartyGroup, str, int]] = RowModel(
            [
                Col("名称", lambda r: r[0].name, width=200),
                Col("组长", lambda r: r[1], width=120),
                Col("成立日期", lambda r: r[0].created_on, width=140),
                Col("撤销日期", lambda r: r[0].dissolved_on, width=140),
                Col("现有党员", lambda r: r[2], align="center", width=90),
                Col("备注", lambda r: r[0].notes),
            ]
        )
        self.group_table = Table(self.group_model)
        self.group_table.activated_row.connect(lambda _r: self.edit_group())
        lay.addWidget(self.group_table, 1)
        return w

    def _build_terms(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(*PAGE_MARGINS)
        # the buttons first and the note beside them: two tables share this page on a short laptop screen
        row = QHBoxLayout()
        for text, fn in (
            ("新建届次", self.add_term),
            ("编辑届次", self.edit_term),
            ("删除届次", self.delete_term),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            row.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        row.addSpacing(8)
        self.term_note = WrapLabel()
        row.addWidget(self.term_note, 1)
        lay.addLayout(row)
        self.term_model: RowModel[tuple[Term, str]] = RowModel(
            [
                Col("类型", lambda r: TERM_KIND_LABELS.get(r[0].kind, r[0].kind), width=150),
                Col("选举日期", lambda r: r[0].elected_on, width=130),
                Col("任期开始", lambda r: r[0].starts_on, width=130),
                Col("任期结束", lambda r: r[0].ends_on, width=130),
                Col("人数", lambda r: len(r[0].seats), align="center", width=50),
                Col("状态", lambda r: r[1], width=180),
                Col("批复文号", lambda r: r[0].approval_ref),
            ]
        )
        self.term_table = Table(self.term_model, sortable=False)
        self.term_table.activated_row.connect(lambda _r: self.edit_term())
        self.term_table.selectionModel().currentRowChanged.connect(lambda *_: self._fill_seats())
        lay.addWidget(self.term_table, 2)
        self.term_empty = EmptyState("还没有支委会（或书记）的届次记录 — 新建届次", "新建届次", self.add_term)
        lay.addWidget(self.term_empty, 2)
        lay.addWidget(QLabel("本届成员："))
        self.seat_model: RowModel[tuple[Seat, str]] = RowModel(
            [
                Col("职务", lambda r: r[0].role_label, width=110),
                Col("姓名", lambda r: r[1], width=120),
                Col("到任日期", lambda r: r[0].from_on, width=140),
                Col("离任日期", lambda r: r[0].to_on, width=140),
                Col("备注", lambda r: r[0].notes),
            ]
        )
        self.seat_table = Table(self.seat_model, sortable=False)
        lay.addWidget(self.seat_table, 2)
        return w

    def _build_elections(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(*PAGE_MARGINS)
        row = QHBoxLayout()
        for text, fn in (
            ("新建选举记录", self.add_election),
            ("编辑", self.edit_election),
            ("删除", self.delete_election),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            row.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        row.addSpacing(8)
        self.rule_note = WrapLabel()
        self.rule_note.setObjectName("SectionHint")
        row.addWidget(self.rule_note, 1)
        lay.addLayout(row)
        self.election_model: RowModel[tuple[Election, checklists.Verdict, str]] = RowModel(
            [
                Col("日期", lambda r: r[0].held_on, width=130),
                Col("类型", lambda r: r[0].kind_label, width=80),
                Col(
                    "应到/实到",
                    lambda r: f"{r[0].expected or 0}/{r[0].present or 0}",
                    align="center",
                    width=90,
                ),
                Col(
                    "到会",
                    lambda r: ("有效" if r[1].quorum_ok else "不足4/5") if r[1].quorum_known else "",
                    align="center",
                    width=70,
                    color=lambda r: OK_GREEN if r[1].quorum_ok else ERROR_RED,
                ),
                Col("当选", lambda r: r[2], width=260),
                Col("书记批准", lambda r: r[0].secretary_approved_on, width=130),
                Col("委员备案", lambda r: r[0].members_filed_on, width=130),
            ]
        )
        self.election_table = Table(self.election_model, sortable=False)
        self.election_table.activated_row.connect(lambda _r: self.edit_election())
        lay.addWidget(self.election_table, 3)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel("缺额与补选："))
        for text, fn in (
            ("登记缺额", self.add_vacancy),
            ("编辑", self.edit_vacancy),
            ("删除", self.delete_vacancy),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            row2.addWidget(b)
        row2.addStretch(1)
        lay.addLayout(row2)
        self.vacancy_model: RowModel[tuple[Vacancy, str]] = RowModel(
            [
                Col("出缺职务", lambda r: ROLE_LABELS.get(r[0].role, r[0].role), width=100),
                Col("原任", lambda r: r[1], width=110),
                Col("出缺日期", lambda r: r[0].arose_on, width=130),
                Col("原因", lambda r: r[0].reason, width=180),
                Col("补选日期", lambda r: r[0].filled_on, width=130),
                Col(
                    "状态",
                    lambda r: "已补选" if r[0].filled_on else "待补选",
                    align="center",
                    color=lambda r: OK_GREEN if r[0].filled_on else ERROR_RED,
                ),
            ]
        )
        self.vacancy_table = Table(self.vacancy_model)
        self.vacancy_table.activated_row.connect(lambda _r: self.edit_vacancy())
        lay.addWidget(self.vacancy_table, 2)
        return w

    # -- data
    def choices(self) -> list[tuple[int, str]]:
        return [(m.id, m.name) for m in members.list_members(self.ledger) if m.id is not None]

    def refresh(self) -> None:
        """The 支部概况 tab and the header; the other tabs that were built (a tab is filled when it is built)."""
        today = self.ctx.today()
        b = branch.get_branch(self.ledger) or Branch()
        self.f_name.setText(b.name)
        self.f_upper.setText(b.upper_org or "")
        self.f_park.setText(b.park or "")
        self.f_founded.set_value(b.founded_on)
        self.f_enterprise.setText(b.enterprise or "")
        self.f_notes.setPlainText(b.notes or "")
        counts = members.counts_on(self.ledger, today)
        full = counts["full"]
        setup = (
            "应设立支部委员会（3至5人，一般不超过7人），由党员大会选举，书记、副书记由支委会选举"
            if rules.needs_committee(full)
            else "不设支部委员会，只设书记一名（必要时设副书记一名），由党员大会选举"
        )
        self.setup_note.setText(
            f"截至{fmt_zh(today)}：在册党员{counts['total']}名，其中正式党员{full}名、预备党员"
            f"{counts['probationary']}名。按《支部工作条例》第二十条，{setup}。任期3年；"
            "委员报上级党组织备案，书记、副书记报上级党组织批准。"
        )
        for name in self.pages.built():
            self._fill(name)
        cur = branch.term_on(self.ledger, today)
        open_vac = sum(1 for v in checklists.list_vacancies(self.ledger) if not v.filled_on)
        self.header.set_hint(
            f"{b.name or '（未填写支部全称）'}　　正式党员{full}名"
            + (f"　　本届任期至{fmt_zh(cur.ends_on)}" if cur and cur.ends_on else "　　没有在任的届次")
            + (f"　　待补选{open_vac}个" if open_vac else "")
        )

    def _fill(self, name: str) -> None:
        """Fill one built tab from the ledger (支部概况 is filled by `refresh`)."""
        if name == "groups":
            self._fill_groups()
        elif name == "terms":
            self._fill_terms()
        elif name == "elections":
            self._fill_elections()

    def _fill_groups(self) -> None:
        names = members.names(self.ledger)
        sizes: dict[int, int] = {}
        for r in members.roster_on(self.ledger, self.ctx.today()):
            if r.group_id is not None:
                sizes[r.group_id] = sizes.get(r.group_id, 0) + 1
        self.group_model.set_rows(
            [
                (g, names.get(g.leader_id or 0, ""), sizes.get(g.id or 0, 0))
                for g in branch.list_groups(self.ledger)
            ]
        )

    def _fill_terms(self) -> None:
        today = self.ctx.today()
        terms = branch.list_terms(self.ledger)
        cur = branch.term_on(self.ledger, today)
        rows = []
        for t in terms:
            if t is cur or (cur and t.id == cur.id):
                stage = rules.term_stage(t.ends_on, today) if t.ends_on else None
                status = "本届" + (f"（{stage.label}）" if stage and stage.code != "none" else "")
            elif t.starts_on and t.starts_on > today:
                status = "下一届（尚未开始）"
            else:
                status = "已届满"
            rows.append((t, status))
        keep = self.term_table.current_row()
        self.term_model.set_rows(list(reversed(rows)))
        if not (keep and self.term_table.select_where(lambda r: r[0].id == keep[0].id)):
            self.term_table.select_where(lambda r: True)
        self.term_table.setVisible(bool(rows))
        self.term_empty.setVisible(not rows)
        self._fill_seats()
        f = [x for x in branch.term_findings(self.ledger, today)]
        lines = [x.message for x in f]
        self.term_note.setText("\n".join(lines) if lines else "任期和设置没有发现问题。")
        self.term_note.setStyleSheet(
            f"color: {ERROR_RED if any(x.severity == 'error' for x in f) else '#333'};"
        )

    def _fill_elections(self) -> None:
        names = members.names(self.ledger)
        mode = checklists.quorum_mode(self.ledger)
        self.rule_note.setText(
            "选举大会：有选举权的到会党员须超过应到会人数的五分之四（本支部设置："
            f"{checklists.QUORUM_LABELS[mode]}，可在“设置”中修改）；候选人获得的赞成票超过实到会有选举权人数的一半，"
            "始得当选。预备党员没有选举权和被选举权。"
        )
        er = []
        for e in checklists.list_elections(self.ledger):
            v = checklists.verdict(e, mode)
            won = [
                f"{names.get(c.member_id, '?')}" + (f"（{ROLE_LABELS[c.role]}）" if c.role else "")
                for c in e.candidates
                if checklists.is_elected(c, v)
            ]
            er.append((e, v, "、".join(won)))
        self.election_model.set_rows(list(reversed(er)))
        self.vacancy_model.set_rows(
            [(v, names.get(v.member_id or 0, "")) for v in checklists.list_vacancies(self.ledger)]
        )

    def _fill_seats(self) -> None:
        row = self.term_table.current_row()
        names = members.names(self.ledger)
        seats = row[0].seats if row else []
        order = list(ROLE_LABELS)
        self.seat_model.set_rows(
            [
                (s, names.get(s.member_id, ""))
                for s in sorted(seats, key=lambda s: (s.to_on is not None, order.index(s.role)))
            ]
        )

    # -- actions
    def save(self) -> None:
        if self.f_founded.error():
            show_error(self, f"成立日期：{self.f_founded.error()}")
            return
        b = Branch(
            self.f_name.text().strip(),
            self.f_upper.text().strip() or None,
            self.f_park.text().strip() or None,
            self.f_founded.value(),
            self.f_enterprise.text().strip() or None,
            self.f_notes.toPlainText().strip() or None,
        )
        try:
            branch.save_branch(self.ledger, b)
        except Exception as e:  # noqa: BLE001
            show_error(self, e, "支部信息未保存")
            return
        self.ctx.status("支部信息已保存")

    def _run(self, dlg: QDialog, save: Any) -> bool:
        while dlg.exec():
            value = dlg.value()  # type: ignore[attr-defined]
            if value is None:
                continue
            try:
                save(self.ledger, value)
            except Exception as e:  # noqa: BLE001 - shown, the dialog stays open
                show_error(self, e)
                continue
            return True
        return False

    def add_group(self) -> None:
        self._run(
            GroupDialog(PartyGroup(created_on=self.ctx.today()), self.choices(), self), branch.save_group
        )

    def edit_group(self) -> None:
        row = self.group_table.current_row()
        if row:
            self._run(GroupDialog(row[0], self.choices(), self), branch.save_group)

    def delete_group(self) -> None:
        row = self.group_table.current_row()
        if row and confirm(self, "删除党小组", f"删除党小组“{row[0].name}”？", "删除", danger=True):
            try:
                branch.delete_group(self.ledger, row[0].id)
            except Exception as e:  # noqa: BLE001
                show_error(self, e)

    def _term_dialog(self, t: Term) -> TermDialog:
        return TermDialog(t, self.choices(), members.counts_on(self.ledger, self.ctx.today())["full"], self)

    def add_term(self) -> None:
        self.tabs.setCurrentIndex(2)
        self._run(self._term_dialog(Term()), branch.save_term)

    def edit_term(self) -> None:
        row = self.term_table.current_row()
        if row:
            self._run(self._term_dialog(row[0]), branch.save_term)

    def delete_term(self) -> None:
        row = self.term_table.current_row()
        if row and confirm(
            self, "删除届次", "删除这一届的记录和成员？（可用 Ctrl+Z 撤销）", "删除", danger=True
        ):
            branch.delete_term(self.ledger, row[0].id)

    def _election_dialog(self, e: Election) -> ElectionDialog:
        return ElectionDialog(
            e, self.choices(), branch.list_terms(self.ledger), checklists.quorum_mode(self.ledger), self
        )

    def add_election(self) -> None:
        today = self.ctx.today()
        withheld = no_vote_ids(self.ledger, today)  # 留党察看 (JG15), 流动 not counted (LD03)
        voters = sum(1 for r in members.roster_on(self.ledger, today) if r.can_vote and r.id not in withheld)
        self._run(self._election_dialog(Election(held_on=today, expected=voters)), checklists.save_election)

    def edit_election(self) -> None:
        row = self.election_table.current_row()
        if row:
            self._run(self._election_dialog(row[0]), checklists.save_election)

    def delete_election(self) -> None:
        row = self.election_table.current_row()
        if row and confirm(
            self, "删除选举记录", "删除这条选举记录？（可用 Ctrl+Z 撤销）", "删除", danger=True
        ):
            checklists.delete_election(self.ledger, row[0].id)

    def _vacancy_dialog(self, v: Vacancy) -> VacancyDialog:
        return VacancyDialog(
            v, branch.list_terms(self.ledger), self.choices(), checklists.list_elections(self.ledger), self
        )

    def add_vacancy(self) -> None:
        cur = branch.term_on(self.ledger, self.ctx.today())
        if cur is None or cur.id is None:
            show_error(self, "没有在任的届次，请先在“支委会与换届”中录入届次")
            return
        self._run(self._vacancy_dialog(Vacancy(cur.id, "member", self.ctx.today())), checklists.save_vacancy)

    def edit_vacancy(self) -> None:
        row = self.vacancy_table.current_row()
        if row:
            self._run(self._vacancy_dialog(row[0]), checklists.save_vacancy)

    def delete_vacancy(self) -> None:
        row = self.vacancy_table.current_row()
        if row and confirm(self, "删除缺额记录", "删除这条缺额记录？", "删除", danger=True):
            checklists.delete_vacancy(self.ledger, row[0].id)

    def new_item(self) -> None:
        {1: self.add_group, 2: self.add_term, 3: self.add_election}.get(
            self.tabs.currentIndex(), self.add_term
        )()

    def focus_search(self) -> None:
        self.tabs.currentWidget().setFocus()

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        if subject_type == "party_group":
            self.tabs.setCurrentIndex(1)
            self.group_table.select_where(lambda r: r[0].id == subject_id)
        elif subject_type in ("committee", "branch"):
            self.tabs.setCurrentIndex(2)
            if subject_type == "committee":
                self.term_table.select_where(lambda r: r[0].id == subject_id)
        else:
            self.tabs.setCurrentIndex(0)


SECTION = BranchSection
