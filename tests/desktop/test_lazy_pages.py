"""A section's first visit builds what it shows: its other tabs (and the meeting editor) are built when first shown
or reached (desktop/sections/lazy.py). A page built later shows what operations made before it existed; a page
built earlier is still refreshed after an operation; a page never shown is never built, so never refreshed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from db import branch, clock, meetings, members, talks
from db.talks import Talk
from desktop.sections.lazy import LazyTabs


def _topics(tab: Any) -> set[str]:
    return {t.topic for t in tab.talk_model.rows}


def _talk(w: Any, topic: str) -> None:
    ids = [m.id for m in members.list_members(w.ledger)]
    talks.save_talk(w.ledger, Talk(clock.today(), ids[0], ids[1], topic=topic))


def test_orglife_builds_its_first_tab_only_and_the_others_when_shown(main_window: Any) -> None:
    w = main_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    assert list(sec.pages.built()) == ["appraisal"]
    assert sec.tabs.count() == 7 and sec.tabs.currentWidget() is sec.appraisal
    assert [sec.tabs.tabText(i) for i in range(7)] == [
        "民主评议",
        "谈心谈话",
        "学时",
        "整改",
        "流动党员",
        "奖惩",
        "关怀",
    ]
    sec.tabs.setCurrentIndex(1)  # a click on 谈心谈话
    assert list(sec.pages.built()) == ["appraisal", "talks"]
    assert sec.tabs.currentWidget() is sec.talks and sec.talks.isVisible()
    assert sec.talks.year == sec.current_year()  # loaded as it was built
    # reaching a page by its attribute builds it in its own place, without showing it
    care = sec.care
    assert sec.tabs.indexOf(care) == 6 and sec.tabs.currentIndex() == 1
    assert sec.pages.name_at(6) == "care"


def test_a_tab_built_after_an_operation_shows_it(main_window: Any) -> None:
    w = main_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    _talk(w, "构建之前登记的谈话")  # the 谈心谈话 tab does not exist yet
    assert not sec.pages.is_built("talks")
    sec.tabs.setCurrentIndex(1)
    assert "构建之前登记的谈话" in _topics(sec.talks)


def test_built_tabs_are_still_refreshed_and_unbuilt_ones_are_left_alone(main_window: Any) -> None:
    w = main_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.tabs.setCurrentIndex(1)
    talks_tab = sec.talks
    _talk(w, "谈话标签页显示时登记")  # the tab in view is loaded again at once
    assert "谈话标签页显示时登记" in _topics(talks_tab)
    sec.tabs.setCurrentIndex(0)
    _talk(w, "谈话标签页隐藏时登记")  # a built tab out of view is loaded when it is shown again
    sec.tabs.setCurrentIndex(1)
    assert sec.talks is talks_tab and "谈话标签页隐藏时登记" in _topics(talks_tab)
    # the operations built no other tab
    assert list(sec.pages.built()) == ["appraisal", "talks"]


def test_a_finding_opens_its_tab_building_it(main_window: Any) -> None:
    w = main_window
    ids = [m.id for m in members.list_members(w.ledger)]
    w.show_section("orglife", "member", ids[0], code="L07")  # 关怀
    sec = w.sections["orglife"]
    assert sec.pages.current_name() == "care" and sec.tabs.currentWidget() is sec.care
    assert set(sec.pages.built()) == {"appraisal", "care"}


def test_the_meeting_editor_is_built_when_a_meeting_is_first_opened(main_window: Any, qtbot: Any) -> None:
    w = main_window
    w.show_section("meetings")
    sec = w.sections["meetings"]
    assert sec._editor.page is None  # noqa: SLF001 - what the first visit built
    assert sec.stack.count() == 1
    row = meetings.list_meetings(w.ledger)[0]
    sec.open_meeting(row.id)
    assert sec._editor.page is sec.editor and sec.stack.currentWidget() is sec.editor  # noqa: SLF001
    assert sec.editor.meeting.id == row.id and sec.editor.isVisible()
    # the editor's Escape goes back to the list, as before
    sec.editor.topic.setFocus()
    qtbot.keyClick(sec.editor.topic, Qt.Key.Key_Escape)
    assert sec.stack.currentIndex() == 0


def test_an_operation_does_not_build_the_meeting_editor(main_window: Any) -> None:
    w = main_window
    w.show_section("meetings")
    sec = w.sections["meetings"]
    before = sec.model.rowCount()
    _talk(w, "与会议无关")  # an operation on another table
    mid = meetings.list_meetings(w.ledger)[0].id
    meetings.delete_meeting(w.ledger, mid)
    assert sec.model.rowCount() == before - 1  # the list was refreshed
    assert sec._editor.page is None  # noqa: SLF001


def test_park_and_guide_build_later_tabs_for_the_year_shown(main_window: Any) -> None:
    w = main_window
    w.show_section("park")
    park = w.sections["park"]
    assert list(park.pages.built()) == ["posts"]
    year = clock.today().year - 1
    park.set_year(year)
    park.tabs.setCurrentIndex(1)
    assert park.plans.year == year and f"{year}年" in park.plans.state.text()
    assert list(park.pages.built()) == ["posts", "plans"]
    w.show_section("guide")
    guide = w.sections["guide"]
    assert list(guide.pages.built()) == ["guide"]
    guide.set_year(year)
    guide.tabs.setCurrentIndex(1)
    assert guide.projects.isVisible() and list(guide.pages.built()) == ["guide", "projects"]


def test_roster_builds_the_transfers_tab_when_shown(main_window: Any) -> None:
    w = main_window
    w.show_section("roster")
    sec = w.sections["roster"]
    assert list(sec.pages.built()) == ["members"]
    sec.tabs.setCurrentIndex(1)
    assert sec.tabs.currentWidget() is sec.transfers and sec.transfers.hint.text()  # loaded as it was built


def test_branch_fills_a_tab_as_it_is_built_and_refreshes_it_once_built(main_window: Any) -> None:
    w = main_window
    w.show_section("branch")
    sec = w.sections["branch"]
    assert list(sec.pages.built()) == ["profile"] and sec.f_park.isVisible()
    branch.save_group(w.ledger, branch.PartyGroup(name="懒加载党小组", created_on=clock.today()))
    assert not sec.pages.is_built("groups")
    sec.show_subject("party_group", None)  # opens 党小组, building it
    assert sec.tabs.currentWidget() is sec.pages.page("groups")
    assert "懒加载党小组" in {r[0].name for r in sec.group_model.rows}
    branch.save_group(w.ledger, branch.PartyGroup(name="第二个党小组", created_on=clock.today()))
    assert "第二个党小组" in {r[0].name for r in sec.group_model.rows}
    # a tab's widget reached by its name builds (and fills) its tab
    assert not sec.pages.is_built("elections")
    assert "五分之四" in sec.rule_note.text() and sec.pages.is_built("elections")
    assert not sec.pages.is_built("terms")


def test_lazy_tabs_keep_labels_tooltips_and_the_current_tab(qtbot: Any) -> None:
    from PySide6.QtWidgets import QTabWidget

    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    seen: list[tuple[str, int]] = []
    pages = LazyTabs(tabs, lambda name, _page: seen.append((name, tabs.currentIndex())))
    heard: list[Any] = []
    made = {}

    def make(name: str) -> Any:
        def factory() -> QWidget:
            made[name] = QWidget()
            return made[name]

        return factory

    pages.add("a", "甲", make("a"), build=True)
    pages.add("b", "乙", make("b"))
    pages.add("c", "丙", make("c"))
    tabs.setTabToolTip(2, "第三页")
    tabs.currentChanged.connect(lambda i: heard.append(tabs.widget(i)))
    tabs.show()
    assert set(made) == {"a"}
    tabs.setCurrentIndex(2)
    # the listener hears of the page itself, once, after it was built in its place
    assert heard == [made["c"]] and seen == [("c", 2)]
    assert tabs.tabText(2) == "丙" and tabs.tabToolTip(2) == "第三页" and tabs.currentIndex() == 2
    assert pages.page("b") is made["b"] and tabs.currentIndex() == 2 and heard == [made["c"]]
    assert [tabs.tabText(i) for i in range(3)] == ["甲", "乙", "丙"] and list(pages.built()) == [
        "a",
        "b",
        "c",
    ]
