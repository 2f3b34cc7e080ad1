"""主题党日指导清单 (RULES-EXT.md §16.1, YQ01–YQ04): the sheet in two shapes and a bad one, the month parser,
a month planned from its item and held, changed and skipped items, K01 at its edges, the JSON a committee
sends, the `guide_lists` interchange section."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from db import findings, guide_lists, interchange, meetings, settings
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.guide_lists import GuideItem
from tests.guide_data import THEMES, sheet_a, sheet_b, sheet_bad
from tests.orglife_data import add_committee, add_meeting, add_members

D = dt.date


def k01(ledger: Ledger, on: dt.date) -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == "K01"]


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("1月", (None, 1)),
        ("01", (None, 1)),
        (3, (None, 3)),
        (3.0, (None, 3)),
        ("一月", (None, 1)),
        ("十一月", (None, 11)),
        ("十二月份", (None, 12)),
        ("正月", (None, 1)),
        ("2026年1月", (2026, 1)),
        ("2026-07", (2026, 7)),
        (D(2026, 5, 1), (2026, 5)),
        (dt.datetime(2026, 9, 1), (2026, 9)),
    ],
)
def test_month_forms(value: object, want: tuple[int | None, int]) -> None:
    assert guide_lists.parse_month(value) == want


@pytest.mark.parametrize("value", ["十三月", "13月", 0, "", "春季", "2026年13月"])
def test_month_refused(value: object) -> None:
    with pytest.raises(guide_lists.MonthError):
        guide_lists.parse_month(value)


def test_sheet_with_title_row_and_merged_months(ledger: Ledger, tmp_path: Path) -> None:
    res = guide_lists.import_guide_sheet(ledger, sheet_a(tmp_path / "a.xlsx"))
    assert res.ok, res.errors
    assert res.year == 2026  # from the title row
    assert res.imported == len(THEMES) == 13
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None and gl.title and "指导清单" in gl.title
    march = gl.months()[3]
    assert [i.theme for i in march] == ["学雷锋志愿服务", "巾帼建功"]  # the merged month over both
    assert [i.seq for i in march] == [1, 2]
    jan = gl.months()[1][0]
    assert (jan.points, jan.forms, jan.node) == ("集中学习全会公报", "专题学习", "1月中旬")


def test_sheet_in_another_shape(ledger: Ledger, tmp_path: Path) -> None:
    res = guide_lists.import_guide_sheet(ledger, sheet_b(tmp_path / "b.xlsx"))
    assert res.ok, res.errors
    assert res.year == 2026  # from "2026年1月"
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None
    assert [(i.month, i.theme) for i in gl.items] == [(m, t) for m, t, *_ in THEMES]
    feb = gl.months()[2][0]  # "二月"
    assert (feb.points, feb.forms, feb.node) == ("走访困难党员职工", "走访慰问", "春节")
    assert any("备注" in w.message or "备注" in (w.column or "") for w in res.warnings) or res.fields.get(
        "notes"
    )


def test_bad_sheet_refused_with_file_row_column(ledger: Ledger, tmp_path: Path) -> None:
    res = guide_lists.import_guide_sheet(ledger, sheet_bad(tmp_path / "bad.xlsx"), 2026)
    assert not res.ok and res.imported == 0
    where = {(p.row, p.column) for p in res.errors}
    assert (3, "月份") in where and (4, "主题") in where
    text = [str(p) for p in res.errors]
    assert any(t.startswith("bad.xlsx，第3行，“月份”") and "十三月" in t for t in text)
    assert any("第4行" in t and "主题为空" in t for t in text)
    assert guide_lists.get_list(ledger, 2026) is None  # all or nothing


def test_year_unknown_and_year_mismatch(ledger: Ledger, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["月份", "主题"])
    wb.active.append(["1月", "学习"])
    wb.save(tmp_path / "x.xlsx")
    res = guide_lists.import_guide_sheet(ledger, tmp_path / "x.xlsx")
    assert not res.ok and "哪一年" in res.errors[0].message
    res = guide_lists.import_guide_sheet(ledger, sheet_b(tmp_path / "b.xlsx"), 2025)
    assert not res.ok and any("不是2025年的月份" in p.message for p in res.errors)


def test_second_import_needs_replace_and_keeps_links(ledger: Ledger, tmp_path: Path) -> None:
    guide_lists.import_guide_sheet(ledger, sheet_a(tmp_path / "a.xlsx"))
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None
    guide_lists.set_deviation(ledger, gl.months()[2][0].id or 0, "skipped", "春节放假，与三月合并")
    res = guide_lists.import_guide_sheet(ledger, sheet_b(tmp_path / "b.xlsx"))
    assert not res.ok and "替换" in res.errors[0].message
    res = guide_lists.import_guide_sheet(ledger, sheet_b(tmp_path / "b.xlsx"), replace=True)
    assert res.ok
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None and gl.months()[2][0].reason == "春节放假，与三月合并"


# ------------------------------------------------------------------------------------------ plan and hold


def branch_with_list(ledger: Ledger, tmp_path: Path) -> list[int]:
    ids = add_members(ledger, 4)
    add_committee(ledger, ids[:3])
    guide_lists.import_guide_sheet(ledger, sheet_a(tmp_path / "a.xlsx"))
    return ids


def test_plan_a_month_from_its_item_and_hold_it(ledger: Ledger, tmp_path: Path, frozen_today) -> None:  # type: ignore[no-untyped-def]
    frozen_today(D(2026, 4, 2))
    branch_with_list(ledger, tmp_path)
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None
    april = gl.months()[4][0]
    assert guide_lists.item_state(2026, april, D(2026, 4, 2)) == guide_lists.OPEN
    plan_id = guide_lists.plan_item(ledger, april.id or 0, D(2026, 4, 3))
    plan = next(p for p in meetings.list_plans(ledger) if p.id == plan_id)
    assert plan.kinds == ["theme_day"] and plan.topic == "缅怀革命先烈" and "清明祭扫" in (plan.notes or "")
    _, april = guide_lists.get_item(ledger, april.id or 0)
    assert april.plan_date == D(2026, 4, 3)
    assert guide_lists.item_state(2026, april, D(2026, 4, 2)) == guide_lists.PLANNED
    # planning again moves the same plan
    assert guide_lists.plan_item(ledger, april.id or 0, D(2026, 4, 4)) == plan_id
    assert len(meetings.list_plans(ledger)) == 1
    # held: the record opens with the theme and points filled; saved and linked, the item is carried out
    frozen_today(D(2026, 4, 4))
    m = guide_lists.meeting_for(ledger, april.id or 0)
    assert (m.kinds, m.date, m.topic) == (["theme_day"], D(2026, 4, 4), "缅怀革命先烈")
    assert m.agenda[0].minutes == "清明祭扫" and len(m.attendance) == 4 and m.host_id is not None
    m.place, m.recorder_id = "会议室", m.host_id
    mid = meetings.create_meeting(ledger, m)
    guide_lists.link_meeting(ledger, april.id or 0, mid)
    _, april = guide_lists.get_item(ledger, april.id or 0)
    assert guide_lists.item_state(2026, april, D(2026, 4, 4)) == guide_lists.DONE
    assert guide_lists.item_for_meeting(ledger, mid) is not None
    # one meeting carries out one item
    may = guide_lists.get_list(ledger, 2026).months()[5][0]  # type: ignore[union-attr]
    with pytest.raises(InputRefused, match="已关联"):
        guide_lists.link_meeting(ledger, may.id or 0, mid)
    # undo takes the link back
    ledger.undo_last()
    _, april = guide_lists.get_item(ledger, april.id or 0)
    assert april.meeting_id is None


def test_only_a_theme_day_can_be_linked(ledger: Ledger, tmp_path: Path) -> None:
    branch_with_list(ledger, tmp_path)
    mid = add_meeting(ledger, ["committee"], D(2026, 1, 10))
    item = guide_lists.get_list(ledger, 2026).items[0]  # type: ignore[union-attr]
    with pytest.raises(InputRefused, match="不是主题党日"):
        guide_lists.link_meeting(ledger, item.id or 0, mid)


def test_deviation_needs_a_reason(ledger: Ledger, tmp_path: Path) -> None:
    branch_with_list(ledger, tmp_path)
    item = guide_lists.get_list(ledger, 2026).items[0]  # type: ignore[union-attr]
    with pytest.raises(InputRefused, match="原因"):
        guide_lists.set_deviation(ledger, item.id or 0, "changed", "  ")


# ------------------------------------------------------------------------------------------ K01 at its edges


@pytest.mark.parametrize(
    ("as_of", "flagged"),
    [
        (D(2026, 1, 31), False),  # the month's last day: still in time
        (D(2026, 2, 1), True),  # the next day: past
    ],
)
def test_k01_month_edge(ledger: Ledger, tmp_path: Path, as_of: dt.date, flagged: bool) -> None:
    branch_with_list(ledger, tmp_path)
    jan = [f for f in k01(ledger, as_of) if f.period == "2026-01"]
    assert bool(jan) is flagged
    if flagged:
        f = jan[0]
        assert f.severity == "reminder" and f.due == D(2026, 1, 31) and f.subject_type == "guide_item"
        assert "学习贯彻全会精神" in f.message and "地方惯例" in f.message


def test_k01_meeting_after_the_as_of_date_does_not_count_yet(ledger: Ledger, tmp_path: Path) -> None:
    branch_with_list(ledger, tmp_path)
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None
    jan = gl.months()[1][0]
    # held late, on 2 February, and linked: on 1 February it has not happened yet
    mid = add_meeting(ledger, ["theme_day"], D(2026, 2, 2), topic=jan.theme)
    guide_lists.link_meeting(ledger, jan.id or 0, mid)
    assert [f.period for f in k01(ledger, D(2026, 2, 1))] == ["2026-01"]
    assert [f.period for f in k01(ledger, D(2026, 2, 2))] == []
    # the months after are not past yet on 2 February; March is past on 1 April, both items
    assert sorted(f.subject_name for f in k01(ledger, D(2026, 4, 1))) == sorted(
        ["2026年2月 新春慰问送温暖", "2026年3月 学雷锋志愿服务", "2026年3月 巾帼建功"]
    )


def test_k01_silenced_by_a_reason_or_the_setting(ledger: Ledger, tmp_path: Path) -> None:
    branch_with_list(ledger, tmp_path)
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None
    feb, mar1 = gl.months()[2][0], gl.months()[3][0]
    guide_lists.set_deviation(ledger, feb.id or 0, "skipped", "春节放假，并入三月")
    guide_lists.set_deviation(ledger, mar1.id or 0, "changed", "改为参加园区联合志愿服务")
    periods = [f.subject_name for f in k01(ledger, D(2026, 4, 1))]
    assert periods == ["2026年1月 学习贯彻全会精神", "2026年3月 巾帼建功"]
    _, feb = guide_lists.get_item(ledger, feb.id or 0)
    assert guide_lists.item_state(2026, feb, D(2026, 4, 1)) == guide_lists.SKIPPED
    settings.update(ledger, {"guide_list_check": "off"})
    assert k01(ledger, D(2026, 4, 1)) == []


def test_state_table() -> None:
    y = 2026
    it = GuideItem(5, "x")
    assert guide_lists.item_state(y, it, D(2026, 5, 31)) == guide_lists.OPEN
    assert guide_lists.item_state(y, it, D(2026, 6, 1)) == guide_lists.MISSED
    it.plan_id = 1
    assert guide_lists.item_state(y, it, D(2026, 5, 1)) == guide_lists.PLANNED
    it.meeting_id, it.meeting_date = 3, D(2026, 5, 20)
    assert guide_lists.item_state(y, it, D(2026, 5, 19)) == guide_lists.PLANNED
    assert guide_lists.item_state(y, it, D(2026, 5, 20)) == guide_lists.DONE
    it.deviation, it.reason = "changed", "改为线上"
    assert guide_lists.item_state(y, it, D(2026, 5, 20)) == guide_lists.CHANGED


# ------------------------------------------------------------------------------------------ JSON and round trip


def test_committee_json_imports_the_same_list(ledger: Ledger, tmp_path: Path) -> None:
    guide_lists.import_guide_sheet(ledger, sheet_a(tmp_path / "a.xlsx"))
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None
    out = tmp_path / "list.json"
    out.write_text(json.dumps(guide_lists.list_to_json(gl), ensure_ascii=False), encoding="utf-8")
    other = open_ledger(tmp_path / "other.sqlite", create=True)
    try:
        res = guide_lists.import_guide_file(other, out)
        assert res.ok and res.imported == 13
        got = guide_lists.get_list(other, 2026)
        assert got is not None
        assert [(i.month, i.seq, i.theme, i.points) for i in got.items] == [
            (i.month, i.seq, i.theme, i.points) for i in gl.items
        ]
        bad = tmp_path / "bad.json"
        bad.write_text(
            json.dumps({"year": 2027, "items": [{"month": "十三月", "theme": "x"}]}), encoding="utf-8"
        )
        res = guide_lists.import_guide_file(other, bad)
        assert not res.ok and res.errors[0].column == "（文档）.items[0].month"
    finally:
        other.close()


def test_round_trip(ledger: Ledger, tmp_path: Path) -> None:
    branch_with_list(ledger, tmp_path)
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None
    jan, feb = gl.months()[1][0], gl.months()[2][0]
    guide_lists.plan_item(ledger, jan.id or 0, D(2026, 1, 15))
    guide_lists.link_meeting(ledger, jan.id or 0, add_meeting(ledger, ["theme_day"], D(2026, 1, 15)))
    guide_lists.set_deviation(ledger, feb.id or 0, "skipped", "春节")
    doc = interchange.dump(ledger)
    assert doc["guide_lists"][0]["items"][0]["meeting_id"] is not None
    other = open_ledger(tmp_path / "rt.sqlite", create=True)
    try:
        interchange.load(other, json.loads(json.dumps(doc)))
        again = interchange.dump(other)
        assert again["guide_lists"] == doc["guide_lists"]
        assert [f.to_json() for f in k01(other, D(2026, 4, 1))] == [
            f.to_json() for f in k01(ledger, D(2026, 4, 1))
        ]
    finally:
        other.close()


def test_load_refuses_a_dangling_meeting_with_its_json_path(ledger: Ledger) -> None:
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "guide_lists": [
            {"id": 1, "year": 2026, "items": [{"id": 1, "month": 1, "theme": "x", "meeting_id": 99}]}
        ],
    }
    with pytest.raises(InputRefused) as e:
        interchange.check(doc)
    assert any(p.column == "guide_lists[0].items[0].meeting_id" for p in e.value.problems)
