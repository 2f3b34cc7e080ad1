"""The 工作台's findings tree is built again only when what it shows changed (desktop/sections/dashboard.py,
`_show_found`): after an operation that leaves the findings as they were, the tree, and the secretary's
folding of it, stay; after one that changes them, the tree shows the new findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import members
from db.connection import Ledger


def _leaves(tree: Any) -> list[str]:
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            area = top.child(j)
            out += [area.child(k).text(0) for k in range(area.childCount())]
    return out


def test_the_findings_tree_is_kept_while_the_findings_stay_and_built_again_when_they_change(
    qtbot: Any, ledger: Ledger, sync_tasks: None
) -> None:
    from desktop.mainwindow import MainWindow

    ids = [
        members.add(ledger, members.Member(name=name, joined_on=dt.date(2015, 1, 1), category="full"))
        for name in ("张三", "李四", "王五")
    ]
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    dash = w.sections["dashboard"]
    dash.ensure_fresh()
    found = list(dash.found)
    assert found and dash.tree.topLevelItemCount()
    shown = _leaves(dash.tree)
    top = dash.tree.topLevelItem(0)
    top.setExpanded(False)  # the secretary folds a group

    # an operation the 工作台 refreshes after, whose findings are the same: the tree as it was, still folded
    m = members.get(ledger, ids[0])
    m.notes = "已联系"
    members.update(ledger, m)
    dash.ensure_fresh()
    assert dash.found == found
    assert dash.tree.topLevelItem(0) is top and not top.isExpanded()
    assert _leaves(dash.tree) == shown

    # a fourth member without a 核定: the findings change and the tree shows them, built again
    members.add(ledger, members.Member(name="赵六", joined_on=dt.date(2015, 1, 1), category="full"))
    dash.ensure_fresh()
    assert dash.found != found
    assert dash.tree.topLevelItem(0) is not top and dash.tree.topLevelItem(0).isExpanded()
    assert any("赵六" in text for text in _leaves(dash.tree))
    assert len(_leaves(dash.tree)) == len(dash.found)
