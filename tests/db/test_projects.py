"""书记项目 / 党建项目 (RULES-EXT.md §16.2, YQ05–YQ08): 立项 with targets, milestones, progress with evidence
(photos, a meeting, a figure), 结项 measured against the targets, K02 at its edges, the `projects` section."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from db import findings, interchange, projects
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.projects import Milestone, Progress, Project, Target
from tests.orglife_data import add_committee, add_meeting, add_members

D = dt.date


def k02(ledger: Ledger, on: dt.date) -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == "K02"]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def project(ledger: Ledger) -> tuple[int, list[int]]:
    ids = add_members(ledger, 4)
    add_committee(ledger, ids[:3])
    p = Project(
        2026,
        "党员技术攻关突击队助力新产品量产",
        owner_id=ids[0],
        goal="新产品良率提升至95%",
        tags="科技攻关、工匠培育",
        background="新产品试产良率偏低",
        problem="关键工序良率低、技术骨干分散",
        measures="组建党员突击队，设立党员示范岗",
        schedule="3月组队，6月攻关，9月验收",
        expected="良率提升，培养骨干",
        approved_on=D(2026, 3, 1),
        targets=[Target("产品良率", "95%"), Target("培养技术骨干", "5名")],
    )
    pid = projects.save_project(ledger, p)
    return pid, ids


def test_approve_and_milestones(ledger: Ledger) -> None:
    pid, ids = project(ledger)
    m1 = projects.save_milestone(ledger, Milestone("组建突击队", D(2026, 3, 31), project_id=pid))
    projects.save_milestone(ledger, Milestone("关键工序攻关", D(2026, 6, 30), project_id=pid))
    p = projects.get_project(ledger, pid)
    assert p.kind_label == "书记项目" and [t.indicator for t in p.targets] == ["产品良率", "培养技术骨干"]
    assert [m.title for m in p.milestones] == ["组建突击队", "关键工序攻关"]
    assert projects.owner_name(ledger, p) == "正式1"
    assert p.status_on(D(2026, 2, 28)) == projects.DRAFT and p.status_on(D(2026, 3, 1)) == projects.ACTIVE
    # a target taken out of the list is removed; the others keep their ids
    keep = p.targets[0].id
    p.targets = p.targets[:1]
    projects.save_project(ledger, p)
    assert [t.id for t in projects.get_project(ledger, pid).targets] == [keep]
    assert m1


def test_refusals(ledger: Ledger) -> None:
    pid, _ = project(ledger)
    with pytest.raises(InputRefused, match="项目名称"):
        projects.save_project(ledger, Project(2026, " "))
    with pytest.raises(InputRefused, match="不存在"):
        projects.save_project(ledger, Project(2026, "x", owner_id=999))
    p = projects.get_project(ledger, pid)
    p.closed_on = D(2026, 10, 1)
    with pytest.raises(InputRefused) as e:
        projects.save_project(ledger, p)
    text = str(e.value)
    assert "成效" in text and "产品良率" in text  # the outcome and each target's actual are required
    with pytest.raises(InputRefused, match="今天之后"):
        projects.save_milestone(ledger, Milestone("x", D(2026, 12, 1), D(2026, 12, 1), project_id=pid))


def test_progress_with_photo_meeting_and_figure(ledger: Ledger) -> None:
    pid, _ = project(ledger)
    mid = add_meeting(ledger, ["committee"], D(2026, 3, 20), topic="研究突击队组建")
    ms = projects.save_milestone(ledger, Milestone("组建突击队", D(2026, 3, 31), project_id=pid))
    p = projects.get_project(ledger, pid)
    g = Progress(D(2026, 3, 25), "突击队12名党员到岗", ms, mid, p.targets[1].id, "2名", project_id=pid)
    projects.add_progress(ledger, g, [("授旗.png", png(), "授旗仪式")], reached=True)
    p = projects.get_project(ledger, pid)
    assert p.milestones[0].done_on == D(2026, 3, 25)
    note = p.progress[0]
    assert (note.meeting_id, note.figure) == (mid, "2名")
    assert note.photos[0].caption == "授旗仪式" and note.photos[0].thumbnail
    assert projects.photo_data(ledger, note.photos[0].id) == png()
    with pytest.raises(InputRefused, match="图片"):
        projects.add_progress(
            ledger, Progress(D(2026, 4, 1), "x", project_id=pid), [("a.png", b"nope", None)]
        )
    with pytest.raises(InputRefused, match="指标"):
        projects.add_progress(ledger, Progress(D(2026, 4, 1), "x", figure="3", project_id=pid))


def test_close_against_the_targets(ledger: Ledger) -> None:
    pid, _ = project(ledger)
    p = projects.get_project(ledger, pid)
    a, b = (t.id or 0 for t in p.targets)
    projects.close_project(ledger, pid, D(2026, 10, 31), "良率达到96%", {a: ("96%", True), b: ("4名", False)})
    p = projects.get_project(ledger, pid)
    assert p.status_on(D(2026, 11, 1)) == projects.CLOSED
    assert p.targets_met() == (1, 2)


@pytest.mark.parametrize(
    ("as_of", "late"),
    [
        (D(2026, 6, 30), False),  # the due day itself
        (D(2026, 7, 1), True),  # the next day
    ],
)
def test_k02_due_edge(ledger: Ledger, as_of: dt.date, late: bool) -> None:
    pid, _ = project(ledger)
    projects.save_milestone(ledger, Milestone("关键工序攻关", D(2026, 6, 30), project_id=pid))
    found = k02(ledger, as_of)
    assert bool(found) is late
    if late:
        f = found[0]
        assert (f.severity, f.subject_type, f.subject_id, f.due) == (
            "warning",
            "project",
            pid,
            D(2026, 6, 30),
        )
        assert "关键工序攻关" in f.message and "逾期" in f.message


def test_k02_done_dates_and_closed_projects(ledger: Ledger) -> None:
    pid, _ = project(ledger)
    projects.save_milestone(ledger, Milestone("组建突击队", D(2026, 3, 31), D(2026, 4, 10), project_id=pid))
    assert len(k02(ledger, D(2026, 4, 9))) == 1  # done later than the as-of date: still late on it
    assert k02(ledger, D(2026, 4, 10)) == []
    projects.save_milestone(ledger, Milestone("验收", D(2026, 9, 30), project_id=pid))
    assert len(k02(ledger, D(2026, 10, 5))) == 1
    p = projects.get_project(ledger, pid)
    projects.close_project(
        ledger, pid, D(2026, 10, 5), "提前结项", {t.id or 0: ("完成", True) for t in p.targets}
    )
    assert k02(ledger, D(2026, 10, 4)) != [] and k02(ledger, D(2026, 10, 5)) == []


def test_round_trip_with_photos(ledger: Ledger, tmp_path: Path) -> None:
    pid, _ = project(ledger)
    mid = add_meeting(ledger, ["committee"], D(2026, 3, 20))
    ms = projects.save_milestone(ledger, Milestone("组建突击队", D(2026, 3, 31), project_id=pid))
    p = projects.get_project(ledger, pid)
    projects.add_progress(
        ledger,
        Progress(D(2026, 3, 25), "到岗", ms, mid, p.targets[0].id, "90%", project_id=pid),
        [("a.png", png(), "x")],
    )
    doc = json.loads(json.dumps(interchange.dump(ledger)))
    other = open_ledger(tmp_path / "rt.sqlite", create=True)
    try:
        interchange.load(other, doc)
        assert interchange.dump(other)["projects"] == doc["projects"]
        got = projects.get_project(other, pid)
        assert got.progress[0].photos[0].thumbnail
    finally:
        other.close()
    # a progress note pointing at another project's milestone is refused with its JSON path
    doc["projects"][0]["progress"][0]["milestone_id"] = 77
    with pytest.raises(InputRefused) as e:
        interchange.check(doc)
    assert any(p.column == "projects[0].progress[0].milestone_id" for p in e.value.problems)
