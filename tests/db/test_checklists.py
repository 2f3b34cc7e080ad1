"""六个一 checklists, the year's self-check, C01/C02; committee terms (T01–T05) and elections (RULES.md §4, §5)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from db import branch, checklists, findings, interchange, members, settings
from db.connection import Ledger
from db.errors import InputRefused
from db.members import Member

D = dt.date


def codes(ledger: Ledger, on: dt.date, prefix: str = "") -> list[str]:
    return [f.code for f in findings.check(ledger, on) if f.code.startswith(prefix)]


def add_members(ledger: Ledger, n_full: int, n_prob: int = 0) -> list[int]:
    ids = []
    with ledger.operation("Seed", "测试数据"):
        for i in range(n_full):
            ids.append(
                members.insert(
                    ledger,
                    Member(
                        name=f"正式{i}",
                        gender="male",
                        birth_date=D(1985, 1, 1),
                        joined_on=D(2010, 7, 1),
                        full_on=D(2011, 7, 1),
                    ),
                )
            )
        for i in range(n_prob):
            ids.append(
                members.insert(
                    ledger,
                    Member(
                        name=f"预备{i}",
                        gender="female",
                        birth_date=D(1995, 1, 1),
                        category="probationary",
                        joined_on=D(2025, 3, 1),
                    ),
                )
            )
    return ids


def png(w: int = 320, h: int = 200, color: tuple[int, int, int] = (180, 20, 20)) -> bytes:
    from PIL import Image

    b = io.BytesIO()
    Image.new("RGB", (w, h), color).save(b, "PNG")
    return b.getvalue()


# ------------------------------------------------------------------------------------------ terms: T01/T02


@pytest.fixture
def termed(ledger: Ledger) -> Ledger:
    ids = add_members(ledger, 7)
    branch.save_term(
        ledger,
        branch.Term(
            kind="committee",
            elected_on=D(2024, 3, 18),
            starts_on=D(2024, 3, 20),
            seats=[
                branch.Seat(member_id=i, role=r)
                for i, r in zip(ids, ["secretary", "organization", "propaganda"], strict=False)
            ],
        ),
    )
    return ledger


@pytest.mark.parametrize(
    ("on", "expect", "text"),
    [
        (D(2026, 9, 18), [], None),
        (D(2026, 9, 19), ["T01"], "届满前6个月"),
        (D(2026, 12, 19), ["T01"], "届满前3个月"),
        (D(2027, 2, 19), ["T01"], "届满前1个月"),
        (D(2027, 3, 19), ["T01"], "今天"),
        (D(2027, 3, 20), ["T02"], "尚未记录换届选举"),
        (D(2028, 3, 19), ["T02"], "尚未记录换届选举"),
        (D(2028, 3, 20), ["T02"], "超过1年"),
    ],
)
def test_term_reminders_and_lapse(termed: Ledger, on: dt.date, expect: list[str], text: str | None) -> None:
    """RULES §4: reminders at −6/−3/−1 months and at expiry (T01), overdue after (T02), hard flag at +1 year."""
    found = [f for f in findings.check(termed, on) if f.code in ("T01", "T02")]
    assert [f.code for f in found] == expect
    if text:
        assert text in found[0].message
        assert found[0].due == D(2027, 3, 19)
        assert found[0].severity == ("reminder" if expect == ["T01"] else "error")
        assert found[0].to_json()["subject"]["type"] == "committee"


def test_election_recorded_clears_t02_and_new_term_clears_t01(termed: Ledger) -> None:
    assert codes(termed, D(2027, 4, 1), "T0") == ["T02"]
    checklists.save_election(
        termed, checklists.Election(held_on=D(2027, 3, 25), expected=7, present=7, seats=3)
    )
    # the election is recorded: no T02; the new committee is still to be entered (T03 says so)
    assert codes(termed, D(2027, 4, 1), "T0") == ["T03"]
    # a new term recorded in advance silences the reminders of the old one
    ids = [m.id for m in members.list_members(termed)]
    branch.save_term(
        termed,
        branch.Term(
            kind="committee",
            elected_on=D(2027, 3, 10),
            starts_on=D(2027, 3, 20),
            seats=[branch.Seat(member_id=i, role="member") for i in ids[:3]],
        ),
    )
    assert codes(termed, D(2027, 3, 1), "T0") == []


def test_seven_full_members_reached_by_conversion_raise_t03(ledger: Ledger) -> None:
    """RULES §4: ≥7 正式党员 → 支部委员会; the 7th arrives by 转正 (预备党员 do not count)."""
    ids = add_members(ledger, 6, 1)
    branch.save_term(
        ledger,
        branch.Term(
            kind="secretary",
            elected_on=D(2024, 1, 10),
            starts_on=D(2024, 1, 10),
            seats=[branch.Seat(member_id=ids[0], role="secretary")],
        ),
    )
    assert "T03" not in codes(ledger, D(2026, 3, 1))
    m = members.get(ledger, ids[-1])
    m.category, m.full_on = "full", D(2026, 3, 1)
    members.update(ledger, m, changed_on=D(2026, 3, 1))
    assert "T03" not in codes(ledger, D(2026, 2, 28))
    t03 = [f for f in findings.check(ledger, D(2026, 3, 1)) if f.code == "T03"]
    assert len(t03) == 1 and t03[0].severity == "error" and "7名" in t03[0].message


def test_t04_t05_size(ledger: Ledger) -> None:
    add_members(ledger, 2, 1)
    assert codes(ledger, D(2026, 11, 22), "T04") == ["T04"]
    add_members(ledger, 48)
    got = codes(ledger, D(2026, 11, 22), "T0")
    assert "T05" in got and "T04" not in got


# ------------------------------------------------------------------------------------------ elections


def election(
    ids: list[int], expected: int, present: int, votes: list[int], seats: int = 3
) -> checklists.Election:
    return checklists.Election(
        held_on=D(2026, 3, 18),
        expected=expected,
        present=present,
        seats=seats,
        candidates=[checklists.Candidate(i, v) for i, v in zip(ids, votes, strict=False)],
    )


@pytest.mark.parametrize(
    ("present", "mode", "valid"),
    [
        (15, "four_fifths_inclusive", False),  # one below 4/5 of 20
        (16, "four_fifths_inclusive", True),  # exactly 4/5: the 中组部 explanation accepts it
        (16, "four_fifths_strict", False),  # ... the strict reading does not
        (17, "four_fifths_strict", True),  # one above
        (17, "four_fifths_inclusive", True),
    ],
)
def test_election_quorum_edge_with_setting(ledger: Ledger, present: int, mode: str, valid: bool) -> None:
    ids = add_members(ledger, 20)
    with ledger.operation("S", "s"):
        settings.set_value(ledger, "election_quorum", mode)
    e = election(ids, 20, present, [present, present - 1, present - 2])
    eid = checklists.save_election(ledger, e)
    v = checklists.verdict(checklists.get_election(ledger, eid), checklists.quorum_mode(ledger))
    assert v.quorum_ok is valid
    assert (len(v.elected) == 3) is valid


@pytest.mark.parametrize(("votes", "elected"), [(8, False), (9, True)])
def test_elected_needs_more_than_half_of_present(ledger: Ledger, votes: int, elected: bool) -> None:
    ids = add_members(ledger, 20)
    v = checklists.verdict(election(ids, 18, 16, [votes], seats=1))
    assert v.quorum_ok
    assert (ids[0] in v.elected) is elected
    assert v.votes_needed == 9


def test_election_refuses_probationary_candidate_and_too_many_votes(ledger: Ledger) -> None:
    ids = add_members(ledger, 8, 1)
    with pytest.raises(InputRefused) as e:
        checklists.save_election(ledger, election([ids[-1]], 8, 8, [8], seats=1))
    assert "被选举权" in str(e.value.problems[0])
    with pytest.raises(InputRefused) as e:
        checklists.save_election(ledger, election(ids[:1], 8, 7, [8], seats=1))
    assert "多于实到人数" in str(e.value.problems[0])
    with pytest.raises(InputRefused):
        checklists.save_election(ledger, election(ids[:1], 7, 8, [5], seats=1))


def test_elections_and_vacancies_round_trip(termed: Ledger, tmp_path: Path) -> None:
    ids = [m.id for m in members.list_members(termed)]
    term = branch.latest_term(termed)
    assert term is not None and term.id is not None
    e = checklists.Election(
        held_on=D(2026, 5, 10),
        kind="by",
        term_id=term.id,
        expected=7,
        present=6,
        seats=1,
        members_filed_on=D(2026, 5, 20),
        members_filing_ref="园区党委备〔2026〕3号",
        candidates=[checklists.Candidate(ids[5], 6, 0, 0, True, "discipline")],
    )
    eid = checklists.save_election(termed, e)
    checklists.save_vacancy(
        termed,
        checklists.Vacancy(
            term.id, "discipline", D(2026, 4, 1), ids[2], "工作调动", filled_by=eid, filled_on=D(2026, 5, 10)
        ),
    )
    doc = interchange.dump(termed)
    assert doc["elections"][0]["candidates"][0]["elected"] is True
    assert doc["committee_vacancies"][0]["filled_by"] == eid
    from db.connection import open_ledger

    other = open_ledger(tmp_path / "o.sqlite", create=True)
    interchange.load(other, json.loads(json.dumps(doc)))
    again = interchange.dump(other)
    other.close()
    doc.pop("exported_at")
    again.pop("exported_at")
    assert again == doc


# ------------------------------------------------------------------------------------------ checklists


def test_default_is_liu_ge_yi_with_liu_you(ledger: Ledger) -> None:
    d = checklists.definition_for(ledger, 2026)
    assert d.name == "六个一" and len(d.items) == 6
    assert d.items[0].title == "有一个“六有”标准化党员活动阵地"
    assert [s.title for s in d.items[0].sub_items] == [
        "有场所",
        "有设施",
        "有标志",
        "有党旗",
        "有书报",
        "有制度",
    ]
    assert d.items[4].title == "有一份反映本单位党建工作的简报或刊物"
    assert checklists.year_summary(ledger, 2026) == {"items": 6, "met": 0, "sub_items": 6, "sub_met": 0}


def test_definition_carries_over_until_changed(ledger: Ledger) -> None:
    d = checklists.default_definition(2024)
    d.items = d.items[:3]
    checklists.save_definition(ledger, d)
    assert len(checklists.definition_for(ledger, 2026).items) == 3
    assert (
        len(checklists.definition_for(ledger, 2023).items) == 6
    )  # before any definition: the built-in default
    d2 = checklists.default_definition(2026)
    checklists.save_definition(ledger, d2)
    assert len(checklists.definition_for(ledger, 2025).items) == 3
    assert len(checklists.definition_for(ledger, 2026).items) == 6
    assert len(checklists.definition_for(ledger, 2030).items) == 6


def test_c01_c02_findings(ledger: Ledger) -> None:
    R = checklists.Result
    checklists.save_result(
        ledger,
        R(
            2026,
            "六个一",
            "4",
            "not_met",
            "画廊未设",
            checked_on=D(2026, 6, 10),
            rectification="在一楼走廊设宣传栏",
            rect_due=D(2026, 9, 30),
        ),
    )
    checklists.save_result(ledger, R(2026, "六个一", "1.5", "partly", checked_on=D(2026, 6, 10)))
    checklists.save_result(ledger, R(2026, "六个一", "2", "met", checked_on=D(2026, 6, 10)))
    found = {f.code: f for f in findings.check(ledger, D(2026, 11, 22)) if f.code[0] == "C"}
    assert set(found) == {"C01", "C02"}
    assert found["C01"].severity == "warning" and found["C01"].due == D(2026, 9, 30)
    assert "已超过期限" in found["C01"].message and found["C01"].period == "2026"
    assert "请填写整改措施" in found["C02"].message
    assert found["C01"].to_json()["subject"] == {
        "type": "checklist_item",
        "id": found["C01"].subject_id,
        "name": "有一个党建工作宣传教育画廊",
    }
    # before the check was made, nothing is reported
    assert codes(ledger, D(2026, 6, 9), "C") == []
    # 整改 done: the gap is closed
    r = checklists.results(ledger, 2026)["4"]
    r.rect_done = D(2026, 9, 20)
    checklists.save_result(ledger, r)
    assert codes(ledger, D(2026, 11, 22), "C") == ["C02"]
    # next January, before the new year's check, last year's open gap is still reported
    jan = [f for f in findings.check(ledger, D(2027, 1, 15)) if f.code[0] == "C"]
    assert [(f.code, f.period) for f in jan] == [("C02", "2026")]
    assert checklists.year_summary(ledger, 2026) == {"items": 6, "met": 1, "sub_items": 6, "sub_met": 0}
    assert [o["key"] for o in checklists.open_rectifications(ledger, 2026)] == ["1.5"]


def test_result_validation(ledger: Ledger) -> None:
    with pytest.raises(InputRefused):
        checklists.save_result(ledger, checklists.Result(2026, "六个一", "9", "met"))
    with pytest.raises(InputRefused) as e:
        checklists.save_result(
            ledger, checklists.Result(2026, "六个一", "2", "not_met", rect_due=D(2026, 12, 1))
        )
    assert "整改措施" in str(e.value.problems[0])


def test_photos_soft_delete_thumbnail_and_undo(ledger: Ledger) -> None:
    pid = checklists.add_photo(ledger, 2026, "六个一", "1.4", png(1200, 800), "党旗.png", "活动室党旗")
    assert len(checklists.photos(ledger, 2026, item_key="1.4")) == 1
    from PIL import Image

    with Image.open(io.BytesIO(checklists.photo_thumb(ledger, pid))) as im:
        assert max(im.size) == checklists.THUMB_PX
    checklists.remove_photo(ledger, pid)
    assert checklists.photos(ledger, 2026) == []
    ledger.undo_last()
    assert [p.id for p in checklists.photos(ledger, 2026)] == [pid]
    assert checklists.photo_data(ledger, pid) == png(1200, 800)
    with pytest.raises(InputRefused) as e:
        checklists.add_photo(ledger, 2026, "六个一", "1.4", b"not a picture", "x.png")
    assert "图片" in str(e.value.problems[0])


def test_custom_checklist_imported_used_and_exported(ledger: Ledger, tmp_path: Path) -> None:
    """Another district's list: imported from a small JSON file, used for the year's check, exported again."""
    src = tmp_path / "八有.json"
    src.write_text(
        json.dumps(
            {
                "format": "branch-ledger-checklist",
                "version": 1,
                "name": "五个一",
                "year": 2026,
                "source": "某区组织部",
                "items": [
                    {
                        "key": "A",
                        "title": "有一个活动阵地",
                        "standard": "面积10平方米以上",
                        "sub_items": [{"key": "A1", "title": "有标识"}, {"key": "A2", "title": "有制度"}],
                    },
                    {"key": "B", "title": "有一支骨干队伍"},
                    {"key": "C", "title": "有一套工作制度"},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    d = checklists.import_definition(ledger, src)
    assert d.name == "五个一"
    assert checklists.checklist_names(ledger, 2026) == ["五个一"]
    checklists.save_result(
        ledger,
        checklists.Result(
            2026,
            "五个一",
            "A1",
            "not_met",
            "标识未挂",
            checked_on=D(2026, 7, 1),
            rectification="制作标识牌",
            rect_due=D(2026, 12, 15),
        ),
    )
    checklists.save_result(ledger, checklists.Result(2026, "五个一", "B", "met", checked_on=D(2026, 7, 1)))
    assert checklists.year_summary(ledger, 2026) == {"items": 3, "met": 1, "sub_items": 2, "sub_met": 0}
    assert codes(ledger, D(2026, 11, 22), "C") == ["C02"]
    out = checklists.export_definition(
        checklists.definition_for(ledger, 2027, "五个一"), tmp_path / "out.json"
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["name"] == "五个一" and data["year"] == 2026
    assert [i["key"] for i in data["items"]] == ["A", "B", "C"]
    assert [s["title"] for s in data["items"][0]["sub_items"]] == ["有标识", "有制度"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"name": "x"}', "不是支部台账的清单文件"),
        (
            '{"format": "branch-ledger-checklist", "name": "x", "year": 2026, "items": [{"key": "1", "title": ""}]}',
            "缺少名称",
        ),
        (
            '{"format": "branch-ledger-checklist", "name": "x", "year": 2026, '
            '"items": [{"key": "1", "title": "a"}, {"key": "1", "title": "b"}]}',
            "重复",
        ),
        ("{not json", "不是有效的 JSON"),
    ],
)
def test_bad_checklist_file_refused(ledger: Ledger, tmp_path: Path, content: str, needle: str) -> None:
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputRefused) as e:
        checklists.import_definition(ledger, p)
    assert needle in " ".join(str(x) for x in e.value.problems)
    assert checklists.definition_years(ledger) == []


def test_checklists_round_trip_with_carry_over_and_photos(ledger: Ledger, tmp_path: Path) -> None:
    R = checklists.Result
    checklists.save_result(ledger, R(2025, "六个一", "3", "met", "展厅", "展厅照片", D(2025, 11, 2)))
    checklists.save_result(
        ledger,
        R(
            2026,
            "六个一",
            "1.1",
            "partly",
            checked_on=D(2026, 6, 1),
            rectification="借用会议室",
            rect_due=D(2026, 12, 31),
        ),
    )
    checklists.add_photo(ledger, 2026, "六个一", "1.1", png(), "场所.png")
    doc = interchange.dump(ledger)
    entries = doc["checklists"]
    assert [(e["year"], e["definition_year"]) for e in entries] == [(2025, 2025), (2026, 2025)]
    item3 = entries[0]["items"][2]
    assert item3["met"] is True and item3["status"] == "met" and item3["checked_on"] == "2025-11-02"
    sub = entries[1]["items"][0]["sub_items"][0]
    assert sub["status"] == "partly" and sub["met"] is False and len(sub["photos"]) == 1
    assert interchange.schema_problems(doc) == []
    from db.connection import open_ledger

    other = open_ledger(tmp_path / "o.sqlite", create=True)
    interchange.load(other, json.loads(json.dumps(doc)))
    again = interchange.dump(other)
    assert checklists.definition_years(other) == [2025]
    other.close()
    doc.pop("exported_at")
    again.pop("exported_at")
    assert again == doc


def test_minimal_contract_checklist_loads(tmp_path: Path) -> None:
    """CONTRACT §3 minimum: year, name, items[] with key, title, met, evidence, checked_on, sub_items."""
    from db.connection import open_ledger

    led = open_ledger(tmp_path / "m.sqlite", create=True)
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "测试支部"},
        "checklists": [
            {
                "year": 2026,
                "name": "六个一",
                "items": [
                    {
                        "key": "1",
                        "title": "阵地",
                        "met": False,
                        "evidence": "缺党旗",
                        "checked_on": "2026-05-01",
                        "sub_items": [
                            {
                                "key": "1.4",
                                "title": "有党旗",
                                "met": False,
                                "evidence": None,
                                "checked_on": None,
                            }
                        ],
                    },
                    {
                        "key": "2",
                        "title": "品牌",
                        "met": True,
                        "evidence": "党建品牌",
                        "checked_on": "2026-05-01",
                        "sub_items": [],
                    },
                ],
            }
        ],
    }
    interchange.load(led, doc)
    assert checklists.year_summary(led, 2026) == {"items": 2, "met": 1, "sub_items": 1, "sub_met": 0}
    assert sorted(f.code for f in findings.check(led, D(2026, 11, 1)) if f.code[0] == "C") == ["C01", "C02"]
    led.close()
