"""The sheets secretaries keep, brought in through the one reader (issue #15 §2): the 党费收缴登记表 (matched to
the roster, problems by row and column, all or nothing, one undoable operation), the 发展党员工作台账 and the
三会一课 list, each with a dry run, boundary cases and the `ledger import … --json` shapes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from db import members
from db.connection import Ledger
from db.dues import import_sheet as dues_import
from tests.roster_data import make_id

TODAY = dt.date(2026, 11, 22)
ID_ZW = make_id(dt.date(1985, 3, 12), "male", 1)
ID_LF = make_id(dt.date(1992, 10, 5), "female", 2)
ID_WQ = make_id(dt.date(1978, 1, 30), "male", 3)
ID_LF2 = make_id(dt.date(1990, 2, 2), "female", 4)


def add_roster(ledger: Ledger) -> dict[str, int]:
    people = [
        ("张伟", "male", ID_ZW, dt.date(1985, 3, 12), dt.date(2008, 6, 1), "full"),
        ("李芳", "female", ID_LF, dt.date(1992, 10, 5), dt.date(2015, 7, 1), "full"),
        # 预备党员 from 2026-03-15: owes dues from March 2026 only
        ("王强", "male", ID_WQ, dt.date(1978, 1, 30), dt.date(2026, 3, 15), "probationary"),
    ]
    ids = {}
    with ledger.operation("AddMembers", "测试花名册"):
        for name, g, idn, b, j, c in people:
            m = members.Member(name=name, gender=g, id_number=idn, birth_date=b, joined_on=j, category=c)
            if c == "full":
                m.full_on = dt.date(j.year + 1, j.month, j.day)
            ids[name] = members.insert(ledger, m, validate_first=False)
    return ids


def book(
    path: Path, header: list[object], rows: list[list[object]], title: list[list[object]] | None = None
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in (
        title
        if title is not None
        else [["2026年度党费收缴登记表"], ["支部：示例支部", None, None, "单位：元"]]
    ):
        ws.append(r)
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


MONTHS = [f"{m}月" for m in range(1, 13)]


def dues_rows() -> list[list[object]]:
    return [
        [1, "张伟", *([30] * 10), None, None, 300],
        [2, "李芳", *([20.5] * 10), None, None, "205.00"],
        [3, "王强", None, None, *([10] * 8), None, None, 80],
    ]


def count(ledger: Ledger, table: str) -> int:
    return int(ledger.query(f"SELECT count(*) FROM {table}")[0][0])


# ------------------------------------------------------------------------------------------ dues


def test_dues_register_imports_all_payments_as_one_undoable_operation(ledger: Ledger, tmp_path: Path) -> None:
    ids = add_roster(ledger)
    path = book(tmp_path / "党费.xlsx", ["序号", "姓名", *MONTHS, "合计"], dues_rows())
    dry = dues_import.import_dues(ledger, path, 2026, dry_run=True, today=TODAY)
    assert dry.errors == [], [str(p) for p in dry.errors]
    assert dry.imported == 0 and count(ledger, "dues_payments") == 0
    assert len(dry.payments) == 28 and dry.total == Decimal("585.00")
    assert dry.header_row == 3 and dry.ignored_columns == ["序号"]

    res = dues_import.import_dues(ledger, path, 2026, today=TODAY)
    assert res.errors == [] and res.imported == 28
    rows = ledger.query(
        "SELECT month, amount, paid_on, notes FROM dues_payments WHERE member_id = ?", (ids["李芳"],)
    )
    assert [(r[0], r[1]) for r in rows][:2] == [("2026-01", "20.50"), ("2026-02", "20.50")]
    assert rows[0][2] == "2026-01-31" and "党费收缴登记表" in rows[0][3]
    assert (
        ledger.query("SELECT paid_on FROM dues_payments WHERE month = '2026-10' LIMIT 1")[0][0]
        == "2026-10-31"
    )
    op = ledger.undoable()
    assert op is not None and "导入2026年党费" in op.label
    ledger.undo_last()
    assert count(ledger, "dues_payments") == 0
    assert count(ledger, "members") == 3  # the roster before the import is untouched


def test_dues_problems_by_row_and_column_and_nothing_written(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    rows = dues_rows()
    rows[0][2] = "已交"  # 张伟 1月: not an amount
    rows[1][3] = -5  # 李芳 2月: negative
    rows[2][-1] = 999  # 王强 合计 wrong (李芳's is not checked: a month of hers cannot be read)
    rows[2][2] = 10  # 王强 1月: not yet a member
    rows.append([4, "赵六", 10, None, None, None, None, None, None, None, None, None, None, None, 10])
    rows.append([5, "张伟", 10, None, None, None, None, None, None, None, None, None, None, None, 10])
    rows[0][4] = 30.123  # 张伟 3月: three decimals
    path = book(tmp_path / "党费.xlsx", ["序号", "姓名", *MONTHS, "合计"], rows)
    res = dues_import.import_dues(ledger, path, 2026, today=TODAY)
    where = {(p.row, p.column) for p in res.errors}
    assert {(4, "1月"), (5, "2月"), (6, "合计"), (6, "1月"), (7, "姓名"), (8, "姓名"), (4, "3月")} <= where, [
        str(p) for p in res.errors
    ]
    assert res.imported == 0 and count(ledger, "dues_payments") == 0
    assert all(p.file == "党费.xlsx" for p in res.errors)


def test_dues_by_id_number_month_variants_and_wrong_year(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    header = ["公民身份号码", "姓名", "2026年1月", "二月份", "2026-03", dt.datetime(2026, 4, 1)]  # type: ignore[list-item]
    path = book(tmp_path / "d.xlsx", header, [[ID_LF, "李芳", 20, 20, 20, 20]], title=[])
    res = dues_import.import_dues(ledger, path, 2026, today=TODAY)
    assert res.errors == [] and res.imported == 4
    wrong = book(tmp_path / "e.xlsx", ["姓名", "2025年1月"], [["张伟", 20]], title=[])
    res = dues_import.import_dues(ledger, wrong, 2026, today=TODAY)
    assert res.errors and res.errors[0].column == "2025年1月" and "2025年" in res.errors[0].message
    mismatch = book(tmp_path / "f.xlsx", ["公民身份号码", "姓名", "1月"], [[ID_LF, "张伟", 20]], title=[])
    res = dues_import.import_dues(ledger, mismatch, 2026, today=TODAY)
    assert res.errors and "与姓名" in res.errors[0].message


def test_dues_twice_is_refused_and_future_months_beyond_prepay(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    path = book(tmp_path / "d.xlsx", ["姓名", "1月"], [["张伟", 30]], title=[])
    assert dues_import.import_dues(ledger, path, 2026, today=TODAY).imported == 1
    again = dues_import.import_dues(ledger, path, 2026, today=TODAY)
    assert again.imported == 0 and "已有" in again.errors[0].message
    future = book(tmp_path / "f.xlsx", ["姓名", "7月"], [["张伟", 30]], title=[])
    res = dues_import.import_dues(ledger, future, 2027, today=TODAY)
    assert res.errors and "预交" in res.errors[0].message
    near = book(tmp_path / "n.xlsx", ["姓名", "12月"], [["张伟", 30]], title=[])
    res = dues_import.import_dues(ledger, near, 2026, today=TODAY)  # 预交 of next month: fine, dated today
    assert (
        res.errors == []
        and ledger.query("SELECT paid_on FROM dues_payments WHERE month='2026-12'")[0][0] == "2026-11-22"
    )


def test_dues_same_name_twice_in_roster_needs_the_id(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    with ledger.operation("AddMember", "同名"):
        members.insert(
            ledger,
            members.Member(
                name="李芳",
                gender="female",
                id_number=ID_LF2,
                birth_date=dt.date(1990, 2, 2),
                joined_on=dt.date(2012, 7, 1),
                full_on=dt.date(2013, 7, 1),
                category="full",
            ),
            validate_first=False,
        )
    path = book(tmp_path / "d.xlsx", ["姓名", "1月"], [["李芳", 20]], title=[])
    res = dues_import.import_dues(ledger, path, 2026, today=TODAY)
    assert res.errors and "公民身份号码" in res.errors[0].message and res.errors[0].row == 2


# ------------------------------------------------------------------------------------------ applicants

from db.development import import_sheet as dev_import  # noqa: E402
from db.development.store import list_applicants  # noqa: E402

APPLICANT_HEADER = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "递交入党申请书时间",
    "确定为入党积极分子时间",
    "确定为发展对象时间",
    "接收为预备党员时间",
    "转正时间",
    "备注",
]
ID_A1 = make_id(dt.date(1998, 4, 1), "male", 7)
ID_A2 = make_id(dt.date(2000, 9, 9), "female", 8)


def dev_rows() -> list[list[object]]:
    return [
        [1, "周杰", "男", ID_A1, "2024-03-01", "2024年9月10日", None, None, None, "技术部"],
        [2, "吴丽", "女", ID_A2, "2023.3.5", dt.datetime(2023, 9, 12), "2024-10-08", None, None, None],
        # 王强 is on the roster as 预备党员 (joined 2026-03-15): the sheet's 接收 date links to him
        [3, "王强", "男", ID_WQ, "2023-02-01", "2023-08-01", "2025-09-01", "2026-03-15", None, None],
    ]


def test_applicants_register_into_the_step_model(ledger: Ledger, tmp_path: Path) -> None:
    ids = add_roster(ledger)
    path = book(tmp_path / "发展.xlsx", APPLICANT_HEADER, dev_rows(), title=[["发展党员工作台账"]])
    dry = dev_import.import_applicants(ledger, path, dry_run=True, today=TODAY)
    assert dry.errors == [], [str(p) for p in dry.errors]
    assert dry.imported == 0 and count(ledger, "applicants") == 0
    assert any(w.row == 3 and "2.党组织派人谈话" in w.message for w in dry.warnings)
    assert dry.findings, "the rule clocks are run over the imported records"
    res = dev_import.import_applicants(ledger, path, today=TODAY)
    assert res.errors == [] and res.imported == 3
    people = {a.name: a for a in list_applicants(ledger)}
    assert people["周杰"].stage == "activist" and people["吴丽"].stage == "candidate"
    assert people["吴丽"].date_of("candidate") == dt.date(2024, 10, 8)
    assert people["王强"].stage == "probationary" and people["王强"].member_id == ids["王强"]
    assert not any("花名册中王强" in w.message for w in res.warnings)  # the roster agrees
    assert count(ledger, "members") == 3  # linked, not entered twice
    ledger.undo_last()
    assert count(ledger, "applicants") == 0 and count(ledger, "applicant_steps") == 0


def test_applicant_sheet_that_disagrees_with_the_roster_is_flagged(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    rows = dev_rows()[2:]
    rows[0][7] = "2026-03-16"  # the roster says 2026-03-15
    rows[0][8] = "2026-11-01"  # 转正, but the roster still has him as 预备党员
    path = book(tmp_path / "发展.xlsx", APPLICANT_HEADER, rows)
    res = dev_import.import_applicants(ledger, path, dry_run=True, today=TODAY)
    cols = {w.column for w in res.warnings if "花名册中" in w.message}
    assert cols == {"接收为预备党员时间", "转正时间"}


def test_applicant_problems_dates_order_future_and_unknown_member(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    rows = dev_rows()
    rows[0][5] = "2024-01-01"  # 积极分子 before 申请
    rows[1][6] = "2027-01-01"  # in the future
    rows[2][3] = make_id(dt.date(1978, 1, 30), "male", 9)  # not on the roster
    rows.append([4, "郑\u200b", "男", None, "2025-13-01", None, None, None, None, None])
    path = book(tmp_path / "发展.xlsx", APPLICANT_HEADER, rows, title=[])
    res = dev_import.import_applicants(ledger, path, today=TODAY)
    where = {(p.row, p.column) for p in res.errors}
    assert {
        (2, "确定为入党积极分子时间"),
        (3, "确定为发展对象时间"),
        (4, "接收为预备党员时间"),
        (5, "姓名"),
        (5, "递交入党申请书时间"),
    } <= where, [str(p) for p in res.errors]
    assert res.imported == 0 and count(ledger, "applicants") == 0


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("递交入党申请书时间", "applied"),
        ("入党申请时间", "applied"),
        ("确定入党积极分子日期", "activist"),
        ("列为发展对象时间", "candidate"),
        ("接收为预备党员时间", "branch_vote"),
        ("转正时间", "full_approved"),
        ("支部大会讨论接收", "branch_vote"),
        ("政审时间", "political_review"),
        ("入党宣誓时间", "oath"),
    ],
)
def test_step_header_variants(header: str, key: str) -> None:
    from db.sheets import norm_header

    assert dev_import._classify(norm_header(header)) == f"step:{key}"


# ------------------------------------------------------------------------------------------ meetings

from db import findings as findings_mod  # noqa: E402
from db import meetings as meetings_mod  # noqa: E402
from db.meetings import import_sheet as meeting_import  # noqa: E402

MEETING_HEADER = ["序号", "日期", "类型", "主题", "应到", "实到", "主持人", "备注"]


def meeting_rows() -> list[list[object]]:
    return [
        [1, "2026-03-20", "支部党员大会、党课", "学习全会精神", 3, 3, "张伟", None],
        [2, dt.datetime(2026, 6, 18), "支部党员大会", "半年工作总结", "3", "2人", None, "纸质记录本第12页"],
        [3, "2026年9月25日", "主题党日", "参观纪念馆", 3, 3, None, None],
    ]


def m_findings(ledger: Ledger, code: str) -> set[str | None]:
    return {f.period for f in findings_mod.check(ledger, TODAY) if f.code == code}


def test_meetings_list_becomes_paper_records_that_count_for_cadence(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    before = m_findings(ledger, "M01")
    assert {"2026-Q1", "2026-Q2"} <= before
    path = book(tmp_path / "三会一课.xlsx", MEETING_HEADER, meeting_rows(), title=[["2026年三会一课登记表"]])
    dry = meeting_import.import_meetings(ledger, path, dry_run=True, today=TODAY)
    assert dry.errors == [], [str(p) for p in dry.errors]
    assert dry.imported == 0 and count(ledger, "meetings") == 0
    res = meeting_import.import_meetings(ledger, path, today=TODAY)
    assert res.errors == [] and res.imported == 3
    after = m_findings(ledger, "M01")
    assert "2026-Q1" not in after and "2026-Q2" not in after and "2026-Q3" in after
    assert "2026-Q1" not in m_findings(ledger, "M04")  # the 党课 held with the 大会 counts too
    paper = {f.subject_id for f in findings_mod.check(ledger, TODAY) if f.code in ("M09", "M10")}
    ids = [r[0] for r in ledger.query("SELECT id FROM meetings ORDER BY date")]
    assert not paper & set(ids)  # never judged as an incomplete or late full record
    rows = {r.id: r for r in meetings_mod.list_meetings(ledger, 2026)}
    second = rows[ids[1]]
    assert second.paper and (second.expected, second.present) == (3, 2)
    assert second.state_label == "补录（据纸质记录）"
    m = meetings_mod.get_meeting(ledger, ids[1])
    assert m.is_paper and m.attendance == [] and "纸质记录本第12页" in (m.notes or "")
    assert m.kinds == ["assembly"] and m.topic == "半年工作总结"
    ledger.undo_last()
    assert count(ledger, "meetings") == 0 and count(ledger, "meeting_kinds") == 0


def test_paper_meetings_are_never_exported_as_minutes(ledger: Ledger, tmp_path: Path) -> None:
    from exports.registry import Params, get

    add_roster(ledger)
    meeting_import.import_meetings(
        ledger, book(tmp_path / "m.xlsx", MEETING_HEADER, meeting_rows()), today=TODAY
    )
    mid = int(ledger.query("SELECT min(id) FROM meetings")[0][0])
    for template in ("meeting-record", "sign-in"):
        t = get(template)
        with pytest.raises(Exception) as e:
            t.build(ledger, Params(meeting_id=mid))
        assert "补录（据纸质记录）" in str(e.value)


def test_meeting_problems_by_row_and_column(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    rows = meeting_rows()
    rows[0][2] = "茶话会"  # unknown type
    rows[1][1] = "2027-01-05"  # future
    rows[2][5] = 5  # 实到 > 应到
    rows.append(
        [4, "2026-09-25", "主题党日", "重复", 3, 3, None, None]
    )  # same as row 5? no: duplicate of row 3
    rows.append(
        [5, "2026-10-10", "党小组会", "学习", 3, "三", None, None]
    )  # no group in ledger; count not a number
    path = book(tmp_path / "m.xlsx", MEETING_HEADER, rows, title=[])
    res = meeting_import.import_meetings(ledger, path, today=TODAY)
    where = {(p.row, p.column) for p in res.errors}
    assert {(2, "类型"), (3, "日期"), (4, "实到"), (6, "类型"), (6, "实到")} <= where, [
        str(p) for p in res.errors
    ]
    assert res.imported == 0 and count(ledger, "meetings") == 0


def test_meeting_twice_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    add_roster(ledger)
    path = book(tmp_path / "m.xlsx", MEETING_HEADER, meeting_rows()[:1], title=[])
    assert meeting_import.import_meetings(ledger, path, today=TODAY).imported == 1
    again = meeting_import.import_meetings(ledger, path, today=TODAY)
    assert again.imported == 0 and "已有" in again.errors[0].message


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("支部党员大会", ["assembly"]),
        ("支委会", ["committee"]),
        ("党员大会+党课", ["assembly", "lecture"]),
        ("主题党日", ["theme_day"]),
        ("组织生活会", ["org_life"]),
        ("茶话会", None),
        ("党课、联欢", None),
    ],
)
def test_meeting_kind_words(text: str, kinds: list[str] | None) -> None:
    assert meeting_import.kinds_of(text) == kinds


def test_paper_meeting_fields_survive_dump_and_load(ledger: Ledger, tmp_path: Path) -> None:
    from db import interchange
    from db.connection import open_ledger

    add_roster(ledger)
    meeting_import.import_meetings(
        ledger, book(tmp_path / "m.xlsx", MEETING_HEADER, meeting_rows()), today=TODAY
    )
    doc = interchange.dump(ledger)
    ms = doc["meetings"]
    assert {m["source"] for m in ms} == {"paper"} and ms[1]["present_count"] == 2
    other = open_ledger(tmp_path / "copy.sqlite", create=True)
    try:
        interchange.load(other, json.loads(json.dumps(doc)))
        again = interchange.dump(other)["meetings"]
        assert [(m["source"], m["expected_count"], m["present_count"]) for m in again] == [
            (m["source"], m["expected_count"], m["present_count"]) for m in ms
        ]
    finally:
        other.close()


# ------------------------------------------------------------------------------------------ the command line


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    from exports import cli

    code = cli.main(args)
    return code, json.loads(capsys.readouterr().out)


def test_cli_import_dues_applicants_meetings_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], frozen_today
) -> None:  # type: ignore[no-untyped-def]
    from db import branch
    from db.connection import open_ledger

    frozen_today(TODAY)
    db = tmp_path / "l.sqlite"
    led = open_ledger(db, create=True)
    branch.save_branch(led, branch.Branch(name="测试支部"))
    add_roster(led)
    led.close()
    dues = book(tmp_path / "党费.xlsx", ["序号", "姓名", *MONTHS, "合计"], dues_rows())
    base = ["--db", str(db), "import"]

    code, doc = _cli([*base, "dues", str(dues), "--year", "2026", "--dry-run", "--json"], capsys)
    assert code == 0 and doc["imported"] == 0 and doc["errors"] == []
    assert (doc["year"], doc["total"]) == (2026, "585.00")
    assert doc["warnings"] == [
        {"row": 3, "column": None, "message": "以下列没有对应的台账项目，未导入：“序号”"}
    ]
    code, doc = _cli([*base, "dues", str(dues), "--year", "2026", "--json"], capsys)
    assert code == 0 and doc["imported"] == 28
    code, doc = _cli([*base, "dues", str(dues), "--year", "2026", "--json"], capsys)  # again: refused whole
    assert code == 1 and doc["imported"] == 0 and len(doc["errors"]) == 28
    assert all(set(e) == {"row", "column", "message"} for e in doc["errors"])
    code, doc = _cli([*base, "dues", str(dues), "--json"], capsys)  # no year: a usage error
    assert code == 2 and "--year" in doc["error"]["message"]

    dev = book(tmp_path / "发展.xlsx", APPLICANT_HEADER, dev_rows())
    code, doc = _cli([*base, "applicants", str(dev), "--json"], capsys)
    assert code == 0 and doc["imported"] == 3 and set(doc) == {"imported", "errors", "warnings", "findings"}
    assert doc["findings"] and all(set(f) == {"row", "column", "message"} for f in doc["findings"])

    meets = book(tmp_path / "会议.xlsx", MEETING_HEADER, meeting_rows())
    code, doc = _cli([*base, "meetings", str(meets), "--dry-run", "--json"], capsys)
    assert code == 0 and doc == {"imported": 0, "errors": [], "warnings": [doc["warnings"][0]]}
    assert "“序号”" in doc["warnings"][0]["message"]  # the unused column is named
    code, doc = _cli([*base, "meetings", str(meets), "--json"], capsys)
    assert code == 0 and doc["imported"] == 3

    bad = tmp_path / "坏.csv"
    bad.write_text('日期,类型\n2026-01-05,"支部党员大会\n', encoding="utf-8")
    code, doc = _cli([*base, "meetings", str(bad), "--json"], capsys)
    assert code == 1 and doc["errors"][0]["row"] == 2 and "引号" in doc["errors"][0]["message"]


def test_an_id_number_excel_stored_as_a_number_is_refused_in_every_import(
    ledger: Ledger, tmp_path: Path
) -> None:
    add_roster(ledger)
    as_number = float(ID_ZW[:17] + "0") if not ID_ZW.endswith("X") else float(ID_LF)
    path = book(tmp_path / "d.xlsx", ["公民身份号码", "姓名", "1月"], [[as_number, None, 20]], title=[])
    res = dues_import.import_dues(ledger, path, 2026, today=TODAY)
    assert res.errors and "存成了数字" in res.errors[0].message and res.errors[0].column == "公民身份号码"
    path = book(
        tmp_path / "a.xlsx",
        APPLICANT_HEADER,
        [[1, "周杰", "男", as_number, "2024-03-01", None, None, None, None, None]],
    )
    res = dev_import.import_applicants(ledger, path, today=TODAY)
    assert any("存成了数字" in p.message and p.column == "公民身份号码" for p in res.errors)
