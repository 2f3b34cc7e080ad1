"""The app speaks words, not codes (issue #14 §2): finding codes and enum values never show raw on any screen
(the code stays in a tooltip or a column she can show); the Help menu opens the bundled user guides, offline;
the export dialog starts in the user's Documents folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTabBar,
    QWidget,
)

import resources
from db.rule_titles import TITLES, rule_title
from tests.desktop.test_fit import VIEWS

CODE = re.compile(r"(?<![A-Za-z0-9])[MPDRTCO]\d{2}(?![0-9])")
ENUM = re.compile(
    r"\b(active|assembly|committee|probationary|full|error|warning|reminder|present|absent|leave|observer|"
    r"employed|retired|annual_salary|branch_vote|transferred_out|lecture|talk|quarter|half_year|pending|"
    r"waiting|stopped|done)\b"
)


def _count(fn: Any, parent: QModelIndex) -> int:
    """rowCount/columnCount of any model (some make them private with a parent, list models take none)."""
    for call in (lambda: fn(parent), fn):
        try:
            return int(call()) if call is fn and not parent.isValid() or call is not fn else 0
        except TypeError:
            continue
    return 1  # a list model's single column


def _model_texts(view: QAbstractItemView) -> list[str]:
    m = view.model()
    out: list[str] = []
    cols = _count(m.columnCount, QModelIndex())
    for c in range(cols):
        hidden = getattr(view, "isColumnHidden", lambda _c: False)(c)
        h = m.headerData(c, Qt.Orientation.Horizontal)
        if h and not hidden:
            out.append(str(h))

    def walk(parent: QModelIndex, depth: int) -> None:
        for r in range(min(_count(m.rowCount, parent), 300)):
            for c in range(cols):
                if getattr(view, "isColumnHidden", lambda _c: False)(c):
                    continue
                ix = m.index(r, c, parent)
                v = m.data(ix, Qt.ItemDataRole.DisplayRole)
                if v is not None:
                    out.append(str(v))
                if c == 0 and depth < 3 and _count(m.rowCount, ix):
                    walk(ix, depth + 1)

    walk(QModelIndex(), 0)
    return out


def visible_texts(root: QWidget) -> list[str]:
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append(w.text())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabBar):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        # (a header is an item view over its table's model: the table itself reads it, hidden columns left out)
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.model() is not None:
            out += _model_texts(w)
    return out


def raw(texts: list[str]) -> list[str]:
    return sorted({t[:80] for t in texts if CODE.search(t) or ENUM.search(t)})


def test_every_code_has_words() -> None:
    from db.rules.development import RULE_TITLES

    for code in [f"M{i:02}" for i in range(1, 12)] + [f"P{i:02}" for i in range(1, 6)]:
        assert code in TITLES
    for code in [f"T{i:02}" for i in range(1, 6)] + ["C01", "C02", "R01", "R02", "R03", *RULE_TITLES]:
        assert code in TITLES
    assert all(not CODE.search(t) for t in TITLES.values())
    assert rule_title("X99") == "其他规则"


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_raw_code_or_enum_on_any_screen(main_window: Any, view: str) -> None:
    VIEWS[view](main_window)
    assert raw(visible_texts(main_window)) == []


def test_no_raw_code_in_any_persons_timeline(main_window: Any) -> None:
    main_window.show_section("development")
    s = main_window.sections["development"]
    seen = 0
    for box in s.stage_lists.values():
        for row in range(box.list.count()):
            box.list.setCurrentRow(row)
            seen += 1
            assert raw(visible_texts(main_window)) == [], box.list.item(row).text()
    assert seen >= 5


def test_dashboard_keeps_codes_in_tooltips_and_a_hidden_column(main_window: Any) -> None:
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    main_window.show_section("dashboard")
    dash = main_window.sections["dashboard"]
    tree = dash.tree
    assert tree.isColumnHidden(2)
    leaves = []
    it = QTreeWidgetItemIterator(tree)
    while it.value():
        item = it.value()
        if item.childCount() == 0 and item.text(2):
            leaves.append(item)
        it += 1
    assert leaves
    for leaf in leaves:
        code = leaf.text(2)
        assert not CODE.search(leaf.text(0))
        assert rule_title(code) in leaf.toolTip(0) and code in leaf.toolTip(0)
    dash.show_codes.setChecked(True)
    assert not tree.isColumnHidden(2)
    dash.show_codes.setChecked(False)
    assert tree.isColumnHidden(2)


def test_settings_name_the_rule_in_the_tooltip_only(main_window: Any) -> None:
    main_window.show_section("settings")
    fields = main_window.sections["settings"].fields
    assert "D04" in fields["activist_min_months"].toolTip()
    assert "M10" in fields["late_entry_days"].toolTip()


# ------------------------------------------------------------------------------------------------ help
def test_help_menu_opens_every_bundled_guide(qtbot: Any, main_window: Any) -> None:
    from desktop.help import HelpDialog

    menu_texts = [a.text() for m in main_window.menuBar().actions() for a in m.menu().actions()]
    assert "使用说明…" in menu_texts and "关于支部台账" in menu_texts
    guides = resources.guides()
    assert {p.name for p in guides} >= {
        "guide-roster.md",
        "guide-meetings.md",
        "guide-dues.md",
        "guide-development.md",
        "guide-checklist.md",
        "guide-package.md",
        "guide-screen.md",
    }
    dlg = HelpDialog(main_window)
    qtbot.addWidget(dlg)
    assert dlg.list.count() == len(guides)
    assert dlg.current_name() == "guide-roster.md"  # where a new secretary starts
    for row in range(dlg.list.count()):
        dlg.list.setCurrentRow(row)
        text = dlg.view.toPlainText()
        title = dlg.list.item(row).text()
        assert text.startswith(title)
        assert "##" not in text and "**" not in text  # rendered, not shown as Markdown source
    # a link to another guide opens it here; anything else is named, never followed
    dlg.open_guide("guide-meetings.md")
    dlg._link(QUrl("guide-screen.md"))
    assert dlg.current_name() == "guide-screen.md"
    dlg._link(QUrl("https://example.org/"))
    assert dlg.current_name() == "guide-screen.md" and not dlg.note.isHidden()
    assert "不联网" in dlg.note.text()


def test_help_can_start_at_a_guide(qtbot: Any, main_window: Any) -> None:
    from desktop.help import HelpDialog

    dlg = HelpDialog(main_window, "guide-dues.md")
    qtbot.addWidget(dlg)
    assert dlg.current_name() == "guide-dues.md"
    assert "党费" in dlg.view.toPlainText()[:40]


def test_build_spec_bundles_the_guides_and_qt_chinese() -> None:
    spec = (Path(__file__).resolve().parents[2] / "build.spec").read_text(encoding="utf-8")
    assert 'glob("guide-*.md")' in spec and '"docs"' in spec
    assert 'KEEP_QT_LANGS = ["zh_CN"]' in spec and "qtbase_" in spec


# ------------------------------------------------------------------------------------------------ export
def test_export_dialog_starts_in_documents(
    qtbot: Any, main_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.export_dialog import ExportDialog, default_folder

    docs = tmp_path / "Documents"
    docs.mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    assert default_folder() == docs
    d = ExportDialog(main_window.ctx, "roster", None, main_window)
    qtbot.addWidget(d)
    assert Path(d.out.text()).parent == docs
