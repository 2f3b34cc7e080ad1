"""Issue #19 items 3–5 (RULES-EXT.md §16.3, §16.4): 示范岗/责任区 designations, 星级 schemes as data with computed
and manual evidence, and the 工作计划/年度总结 drafts whose every number comes from a record."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import resources
from db import branch, checklists, development, dues, interchange, meetings, members, plans, posts, scorecards
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.meetings.model import Attendance, Meeting
from db.posts import Post
from db.scorecards import Item, Scheme, StarLevel
from tests.db.test_checklists import add_members

D = dt.date


# ------------------------------------------------------------------------------------------ posts (YQ09–YQ13)


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (D(2025, 2, 28), False),  # the day before 挂牌
        (D(2025, 3, 1), True),  # 挂牌 day
        (D(2025, 12, 31), True),  # the last day still counts
        (D(2026, 1, 1), False),  # the day after it ended
    ],
)
def test_post_is_held_from_its_start_to_its_end_day(day: dt.date, active: bool) -> None:
    p = Post("model", "示范岗", D(2025, 3, 1), [1], ends_on=D(2025, 12, 31))
    assert p.active_on(day) is active


@pytest.mark.parametrize(
    ("start", "end", "year", "held"),
    [
        (D(2024, 7, 1), None, 2026, True),
        (D(2024, 7, 1), D(2024, 12, 31), 2025, False),
        (D(2024, 7, 1), D(2025, 1, 1), 2025, True),
        (D(2026, 12, 31), None, 2026, True),
        (D(2027, 1, 1), None, 2026, False),
    ],
)
def test_post_in_year_boundaries(start: dt.date, end: dt.date | None, year: int, held: bool) -> None:
    assert Post("area", "责任区", start, [1], ends_on=end).in_year(year) is held


def test_post_state_says_ended_or_taken_down() -> None:
    p = Post("commando", "突击队", D(2025, 5, 1), [1], ends_on=D(2025, 8, 1))
    assert p.state_label(D(2025, 8, 1)) == "在岗"
    assert p.state_label(D(2025, 8, 2)) == "已到期"
    p.end_reason = "调离岗位"
    assert p.state_label(D(2025, 8, 2)) == "已摘牌"


def test_save_post_refuses_what_cannot_be_and_says_where(ledger: Ledger) -> None:
    ids = add_members(ledger, 2)
    with pytest.raises(InputRefused) as e:
        posts.save_post(ledger, Post("model", " ", D(2025, 3, 1), [], ends_on=D(2025, 1, 1)))
    text = str(e.value)
    assert "名称" in text and "到期日期" in text and "责任党员" in text
    with pytest.raises(InputRefused, match="不在本支部"):
        posts.save_post(ledger, Post("model", "示范岗", D(2009, 1, 1), [ids[0]]))
    with pytest.raises(InputRefused, match="类型"):
        posts.save_post(ledger, Post("hero", "示范岗", D(2025, 1, 1), [ids[0]]))


def test_post_save_end_delete_and_undo(ledger: Ledger) -> None:
    ids = add_members(ledger, 3)
    pid = posts.save_post(
        ledger, Post("model", "研发示范岗", D(2025, 3, 1), [ids[1], ids[0]], pledge="带头攻关")
    )
    got = posts.get_post(ledger, pid)
    assert got.member_ids == [ids[1], ids[0]] and got.pledge == "带头攻关"
    assert [p.id for p in posts.posts_of_member(ledger, ids[0])] == [pid]
    assert posts.posts_of_member(ledger, ids[2]) == []
    posts.end_post(ledger, pid, D(2025, 9, 30), "调整岗位")
    got = posts.get_post(ledger, pid)
    assert got.ends_on == D(2025, 9, 30) and got.end_reason == "调整岗位"
    ledger.undo_last()
    assert posts.get_post(ledger, pid).ends_on is None
    with pytest.raises(InputRefused, match="早于挂牌日期"):
        posts.end_post(ledger, pid, D(2025, 1, 1), None)
    posts.delete_post(ledger, pid)
    assert posts.list_posts(ledger) == []
    ledger.undo_last()
    assert posts.get_post(ledger, pid).member_ids == [ids[1], ids[0]]


# ------------------------------------------------------------------------------------------ scorecards (YQ13–YQ17)


@pytest.mark.parametrize(
    ("evidence", "met", "manual", "score"),
    [
        ("meetings_cadence", True, None, Decimal(10)),
        ("meetings_cadence", False, None, Decimal(0)),
        ("manual", None, None, Decimal(0)),  # not checked yet: no points
        ("manual", True, None, Decimal(10)),
        ("manual", True, Decimal(7), Decimal(7)),  # a partial score
        ("manual", False, Decimal(12), Decimal(10)),  # capped at the item's points
        ("manual", False, Decimal(-1), Decimal(0)),
        ("meetings_cadence", False, Decimal(5), Decimal(0)),  # a computed item takes no hand score
    ],
)
def test_item_score(evidence: str, met: bool | None, manual: Decimal | None, score: Decimal) -> None:
    it = Item("1", "x", Decimal(10), evidence, {"kind": "assembly"})
    assert scorecards.item_score(it, met, manual) == score


@pytest.mark.parametrize(
    ("total", "stars"),
    [
        (Decimal("59.9"), 0),
        (Decimal(60), 3),
        (Decimal("79.5"), 3),
        (Decimal(80), 4),
        (Decimal(95), 5),
        (Decimal(120), 5),
    ],
)
def test_stars_follow_the_schemes_own_thresholds(total: Decimal, stars: int) -> None:
    levels = [StarLevel(3, Decimal(60)), StarLevel(5, Decimal(95)), StarLevel(4, Decimal(80))]
    assert scorecards.stars_for(total, levels) == stars
    assert scorecards.stars_for(total, []) is None  # no scale is claimed by the program


def test_example_scheme_is_marked_as_an_example_and_valid() -> None:
    s = scorecards.example_scheme(2025)
    assert s.example and "示例" in s.name and "非正式标准" in (s.notes or "")
    assert scorecards.validate_scheme(s) == []
    assert s.total_points == Decimal(100)
    kinds = {it.evidence for it in s.items}
    assert {"meetings_cadence", "dues_collected", "manual"} <= kinds


def test_scheme_file_round_trip_and_bad_files(ledger: Ledger, tmp_path: Path) -> None:
    s = scorecards.example_scheme(2025)
    path = scorecards.export_scheme(s, tmp_path / "scheme.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == scorecards.FILE_FORMAT and data["example"] is True
    back = scorecards.import_scheme(ledger, path)
    assert scorecards.scheme_to_json(back) == scorecards.scheme_to_json(
        scorecards.get_scheme(ledger, back.id or 0)
    )
    assert scorecards.scheme_to_json(back) == data
    data["items"][2]["points"] = "十分"
    data["items"][4]["evidence"] = "meetings_cadence"
    data["items"][4]["params"] = {"kind": "party"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputRefused) as e:
        scorecards.import_scheme(ledger, bad)
    assert "items[2].points" in str(e.value) and "bad.json" in str(e.value)
    data["items"][2]["points"] = "10"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputRefused) as e:
        scorecards.import_scheme(ledger, bad)
    assert "items[4].params.kind" in str(e.value)
    (tmp_path / "x.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputRefused, match="不是有效的 JSON"):
        scorecards.import_scheme(ledger, tmp_path / "x.json")
    with pytest.raises(InputRefused, match="format"):
        scorecards.scheme_from_json({"items": []})


def _assembly(day: dt.date, ids: list[int]) -> Meeting:
    return Meeting(
        kinds=["assembly"],
        date=day,
        host_id=ids[0],
        recorder_id=ids[1],
        topic="支部党员大会",
        attendance=[Attendance(member_id=i, status="present") for i in ids],
    )


def test_a_computed_item_flips_when_the_missing_assembly_is_added(ledger: Ledger, frozen_today: Any) -> None:
    """每季度召开党员大会 ← the meetings cadence: 3 of 4 quarters held is a gap; the 4th quarter's 党员大会 makes it met
    (and the score and stars follow)."""
    frozen_today(D(2026, 2, 1))
    b = branch.get_branch(ledger)
    assert b is not None
    b.founded_on = D(2024, 1, 1)
    branch.save_branch(ledger, b)
    ids = add_members(ledger, 4)
    s = Scheme(
        "测试标准",
        2025,
        [
            Item("1", "每季度召开党员大会", Decimal(60), "meetings_cadence", {"kind": "assembly"}),
            Item("2", "特色品牌", Decimal(40), "manual"),
        ],
        stars=[StarLevel(3, Decimal(60))],
    )
    sid = scorecards.save_scheme(ledger, s)
    for q_day in (D(2025, 2, 10), D(2025, 5, 10), D(2025, 8, 10)):
        meetings.create_meeting(ledger, _assembly(q_day, ids))
    ys = scorecards.year_score(ledger, sid, 2025)
    first = ys.items[0]
    assert first.evidence.met is False and first.score == 0
    assert "应召开4次" in first.evidence.detail and "已召开3次" in first.evidence.detail
    assert ys.total == 0 and ys.stars == 0
    assert [g.item.key for g in ys.gaps] == ["1", "2"] and ys.gaps[0].screen == "meetings"
    meetings.create_meeting(ledger, _assembly(D(2025, 11, 10), ids))
    ys = scorecards.year_score(ledger, sid, 2025)
    assert ys.items[0].evidence.met is True and ys.items[0].score == 60
    assert ys.total == 60 and ys.stars == 3
    # the manual item: checked by the secretary
    scorecards.save_check(ledger, scorecards.Check(sid, 2025, "2", True, Decimal(30), "品牌方案"))
    ys = scorecards.year_score(ledger, sid, 2025)
    assert ys.items[1].score == 30 and ys.items[1].evidence.detail == "品牌方案" and ys.total == 90
    with pytest.raises(InputRefused, match="得分应在0到40之间"):
        scorecards.save_check(ledger, scorecards.Check(sid, 2025, "2", True, Decimal(41)))
    with pytest.raises(InputRefused, match="没有编号"):
        scorecards.save_check(ledger, scorecards.Check(sid, 2025, "9", True))


def test_scheme_carries_over_to_later_years(ledger: Ledger) -> None:
    assert scorecards.scheme_for(ledger, 2025) is None
    scorecards.save_scheme(ledger, scorecards.example_scheme(2024))
    s = scorecards.scheme_for(ledger, 2026)
    assert s is not None and s.year == 2024
    assert scorecards.scheme_for(ledger, 2023) is None


# ------------------------------------------------------------------------------------------ plans: facts only


def _demo(tmp_path: Path) -> Ledger:
    led = open_ledger(tmp_path / "demo.sqlite", create=True)
    interchange.load_file(led, resources.demo_document())
    return led


def _resolve(source: str, models: dict[str, Any]) -> Any:
    """The value a fact's source names, e.g. "meetings.year_summary.held.assembly"."""
    head, _, rest = source.partition(".year_summary.")
    node = models[head]
    for part in rest.split("."):
        node = node[part]
    return node


def test_every_number_of_the_summary_equals_its_source_record(tmp_path: Path) -> None:
    led = _demo(tmp_path)
    year, on = 2025, D(2025, 12, 31)
    p = plans.draft_plan(led, year, "summary")
    # the demo's finalised 2025 总结 holds the same numbers: the records of 2025 have not changed since
    stored = plans.get_plan(led, year, "summary")
    assert stored is not None and stored.frozen
    assert [[f.to_json() for f in s.facts] for s in stored.sections] == [
        [f.to_json() for f in s.facts] for s in p.sections
    ]
    models = {
        "meetings": meetings.year_summary(led, year, as_of=on),
        "dues": dues.year_summary(led, year, as_of=on),
        "development": development.year_summary(led, year, as_of=on),
        "checklists": checklists.year_summary(led, year),
    }
    checked = 0
    for s in p.sections:
        for f in s.facts:
            if ".year_summary." in f.source and f.source.split(".")[0] in models:
                assert f.value == str(_resolve(f.source, models)), f.source
                checked += 1
    assert checked >= 24
    # and against the records themselves, not only the read models
    facts = {f.label: f.value for s in p.sections for f in s.facts}
    n_meetings = led.scalar("SELECT count(*) FROM meetings WHERE date BETWEEN '2025-01-01' AND '2025-12-31'")
    assert facts["本年会议记录"] == str(n_meetings)
    start, end = members.counts_on(led, D(2025, 1, 1)), members.counts_on(led, on)
    assert facts["2025年1月1日党员"] == str(start["total"]) and facts["2025年12月31日党员"] == str(
        end["total"]
    )
    assert facts["其中正式党员"] == str(end["full"]) and facts["其中预备党员"] == str(end["probationary"])
    assert (
        int(facts["本年新增（转入、接收）"]) - int(facts["本年减少（转出、去世等）"])
        == end["total"] - start["total"]
    )
    paid = led.scalar(
        "SELECT coalesce(sum(CAST(amount AS REAL)), 0) FROM dues_payments WHERE month BETWEEN '2025-01' AND '2025-12'"
    )
    assert Decimal(facts["已交党费"]) == Decimal(str(round(paid, 2)))
    held_assembly = led.scalar(
        "SELECT count(DISTINCT (CAST(strftime('%m', m.date) AS INTEGER) + 2) / 3) FROM meetings m "
        "JOIN meeting_kinds k ON k.meeting_id = m.id WHERE k.kind = 'assembly' AND m.date LIKE '2025-%'"
    )
    assert facts["支部党员大会 已召开（按周期）"] == str(held_assembly)
    n_posts = sum(1 for x in posts.list_posts(led) if x.in_year(2025))
    assert facts["本年度设立的示范岗、责任区等"] == str(n_posts)
    meeting_lines = [f for s in p.sections for f in s.facts if f.source.startswith("meetings.list_meetings#")]
    assert len(meeting_lines) == n_meetings
    # the program writes no sentences of its own: every section's own text is the secretary's (empty here)
    fresh = plans.draft_plan(led, 2026, "summary")
    assert all(s.text == "" for s in fresh.sections)
    led.close()


def test_draft_keeps_the_text_on_rebuild_and_freezes_when_finalised(tmp_path: Path) -> None:
    led = _demo(tmp_path)
    p = plans.build_draft(led, 2026, "summary")
    assert p.id is not None and not p.frozen
    plans.save_text(led, p.id, {"meetings": "按计划开展。", "next": "继续努力。"}, title="二〇二六年工作总结")
    p2 = plans.build_draft(led, 2026, "summary")
    assert p2.id == p.id and p2.title == "二〇二六年工作总结"
    assert p2.section("meetings").text == "按计划开展。"  # type: ignore[union-attr]
    plans.finalize_plan(led, p.id)
    for attempt in (
        lambda: plans.save_text(led, p.id or 0, {"meetings": "改"}),
        lambda: plans.build_draft(led, 2026, "summary"),
        lambda: plans.finalize_plan(led, p.id or 0),
        lambda: plans.delete_plan(led, p.id or 0),
    ):
        with pytest.raises(InputRefused, match="定稿"):
            attempt()
    led.undo_last()  # undo the 定稿
    assert not plans.get_plan(led, 2026, "summary").frozen  # type: ignore[union-attr]
    led.close()


def test_plan_and_report_outline_are_built_from_the_records(tmp_path: Path) -> None:
    led = _demo(tmp_path)
    plan = plans.build_draft(led, 2027, "plan")
    keys = [s.key for s in plan.sections]
    assert keys[0] == "cadence" and keys[-1] == "goals"
    need = {f.label: f.value for f in plan.sections[0].facts}
    assert need["支部党员大会"] == "4" and need["支部委员会"] == "12"
    report = plans.build_draft(led, 2026, "report")
    assert report.sections[0].heading.startswith("一、") and report.sections[-1].key == "next"
    assert "述职" in report.title
    with pytest.raises(InputRefused, match="类型"):
        plans.build_draft(led, 2026, "poem")
    led.close()


# ------------------------------------------------------------------------------------------ interchange


def test_demo_round_trip_keeps_posts_plans_and_scorecards(tmp_path: Path) -> None:
    led = _demo(tmp_path)
    doc = interchange.dump(led)
    assert len(doc["posts"]) == 4 and any(p["ends_on"] for p in doc["posts"])
    assert doc["plans"][0]["finalized_on"] and doc["scorecards"][0]["example"] is True
    led2 = open_ledger(tmp_path / "again.sqlite", create=True)
    interchange.load(led2, json.loads(json.dumps(doc)))
    doc2 = interchange.dump(led2)
    for key in ("posts", "plans", "scorecards"):
        assert doc2[key] == doc[key], key
    led.close()
    led2.close()


def test_load_checks_post_references_with_json_paths(tmp_path: Path) -> None:
    doc = json.loads(Path(resources.demo_document()).read_text(encoding="utf-8"))
    doc["posts"][0]["member_ids"] = [doc["posts"][0]["member_ids"][0]] * 2
    doc["posts"][1]["member_ids"] = [9999]
    doc["posts"][2]["kind"] = "英雄岗"
    doc["scorecards"][0]["items"][0]["evidence"] = "magic"
    led = open_ledger(tmp_path / "x.sqlite", create=True)
    with pytest.raises(InputRefused) as e:
        interchange.load(led, doc)
    text = str(e.value)
    assert "posts[0].member_ids[1]" in text
    assert "posts[1].member_ids[0]" in text
    assert "posts[2].kind" in text
    assert "scorecards[0].items[0].evidence" in text
    led.close()


def test_load_accepts_chinese_kind_labels_and_member_names(tmp_path: Path) -> None:
    doc = json.loads(Path(resources.demo_document()).read_text(encoding="utf-8"))
    names = {m["id"]: m["name"] for m in doc["members"]}
    doc["posts"][0]["kind"] = "示范岗"
    doc["posts"][0]["member_ids"] = [names[i] for i in doc["posts"][0]["member_ids"]]
    led = open_ledger(tmp_path / "x.sqlite", create=True)
    interchange.load(led, doc)
    p = posts.list_posts(led)[0]
    assert p.kind == "model" and all(isinstance(i, int) for i in p.member_ids)
    led.close()


def test_drafts_and_evidence_speak_words_not_codes(tmp_path: Path) -> None:
    """Finding codes stay in the sources (for tracing), never in what the secretary reads (issue #14 §2)."""
    import re

    code = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{2}(?![0-9])")
    led = _demo(tmp_path)
    for kind in ("summary", "report", "plan"):
        p = plans.draft_plan(led, 2026, kind)
        shown = [t for s in p.sections for f in s.facts for t in (f.label, f.shown_value)] + [
            s.heading for s in p.sections
        ]
        assert not [t for t in shown if code.search(t)], kind
        assert (
            any(f.source.startswith("findings.check#") for s in p.sections for f in s.facts) or kind == "plan"
        )
    s = scorecards.scheme_for(led, 2025)
    assert s is not None and s.id is not None
    for it in scorecards.year_score(led, s.id, 2025).items:
        assert not code.search(it.evidence.detail) and not code.search(it.item.evidence_label)
    led.close()
