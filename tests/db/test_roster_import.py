"""Excel roster import (issue 2 §5): headers found by name, every date format, problems by row and column,
all or nothing, dry run, duplicates, and the `ledger import members --json` contract."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from db import branch, members
from db.connection import Ledger, open_ledger
from db.members import import_sheet as roster_import
from tests.roster_data import make_id, write_sheet

TODAY = dt.date(2026, 11, 22)
B1, B2, B3 = dt.date(1985, 3, 12), dt.date(1992, 10, 5), dt.date(1978, 1, 30)
ID1, ID2, ID3 = make_id(B1, "male", 1), make_id(B2, "female", 2), make_id(B3, "male", 3)

TITLE = [["中共示例科技有限公司支部委员会党员花名册"], ["填报日期：2026年11月1日", None, None, "单位：人"]]
# A different order from the export, variant names, and columns we do not know (序号, 籍贯, 政治面貌).
HEADER = [
    "序号",
    "所在党小组",
    "姓名",
    "身份证号码",
    "性别",
    "民族",
    "出生年月",
    "文化程度",
    "籍贯",
    "入党时间",
    "转正时间",
    "人员类别",
    "职务",
    "联系电话",
    "家庭住址",
    "党籍状态",
    "政治面貌",
]


def good_rows() -> list[list[object]]:
    return [
        [
            1,
            "第一党小组",
            "张 伟",
            ID1,
            "男",
            "汉",
            "1985.03",
            "本科",
            "江苏南通",
            dt.datetime(2008, 6, 1),
            "2009-06-01",
            "正式党员",
            "研发工程师",
            "13812345678",
            "上海市松江区某路1号",
            "正常",
            "党员",
        ],
        [
            2,
            "第二党小组",
            "李芳",
            ID2.lower(),
            "女",
            "汉族",
            "1992年10月",
            "硕士",
            "安徽合肥",
            "2015.7.1",
            "2016/7/1",
            "正式党员",
            "产品经理",
            13912345678,
            "上海市松江区某路2号",
            "正常",
            "党员",
        ],
        [
            3,
            "第一党小组",
            "王强",
            ID3,
            "男",
            "回族",
            1978.01,
            "大专",
            "上海",
            "2026年3月15日",
            None,
            "预备党员",
            "生产主管",
            "13712345678",
            None,
            "正常",
            "预备党员",
        ],
    ]


def sheet(
    tmp_path: Path,
    rows: list[list[object]] | None = None,
    header: list[str] | None = None,
    name: str = "花名册.xlsx",
    **kw: object,
) -> Path:
    return write_sheet(
        tmp_path / name,
        header or HEADER,
        good_rows() if rows is None else rows,
        title_rows=kw.pop("title_rows", TITLE),
        **kw,
    )  # type: ignore[arg-type]


def run(ledger: Ledger, path: Path, dry_run: bool = False, **kw: object) -> roster_import.ImportResult:
    return roster_import.import_members(ledger, path, dry_run, today=TODAY, **kw)  # type: ignore[arg-type]


def problems(res: roster_import.ImportResult) -> list[tuple[int | None, str | None]]:
    return sorted((p.row, p.column) for p in res.errors)


# ------------------------------------------------------------------------------------------ good sheets


def test_good_sheet_with_title_rows_other_order_and_extra_columns(ledger: Ledger, tmp_path: Path) -> None:
    res = run(ledger, sheet(tmp_path))
    assert res.errors == [], [str(p) for p in res.errors]
    assert res.header_row == 3 and res.imported == 3 and res.rows == 3
    assert set(res.ignored_columns) >= {"序号", "籍贯", "政治面貌"}
    got = {m.name: m for m in members.list_members(ledger)}
    assert set(got) == {"张伟", "李芳", "王强"}  # spaces inside a Chinese name removed
    zw, lf, wq = got["张伟"], got["李芳"], got["王强"]
    assert zw.birth_date == B1  # 出生年月 only gave the month; the day comes from the ID
    assert zw.joined_on == dt.date(2008, 6, 1) and zw.full_on == dt.date(2009, 6, 1)
    assert zw.ethnicity == "汉族" and zw.education == "大学本科" and zw.job == "研发工程师"
    assert lf.id_number == ID2.upper() and lf.phone == "13912345678" and lf.education == "研究生（硕士）"
    assert wq.category == "probationary" and wq.full_on is None and wq.joined_on == dt.date(2026, 3, 15)
    groups = {g.id: g.name for g in branch.list_groups(ledger)}
    assert groups[zw.group_id] == "第一党小组" and groups[lf.group_id] == "第二党小组"  # type: ignore[index]
    assert res.groups_created == ["第一党小组", "第二党小组"]
    ops = [o for o in ledger.history() if o.name == "ImportMembers"]
    assert len(ops) == 1


def test_existing_group_is_reused(ledger: Ledger, tmp_path: Path) -> None:
    gid = branch.save_group(ledger, branch.PartyGroup(name="第一党小组"))
    res = run(ledger, sheet(tmp_path))
    assert res.groups_created == ["第二党小组"]
    assert sum(1 for m in members.list_members(ledger) if m.group_id == gid) == 2


def test_one_import_is_one_undo(ledger: Ledger, tmp_path: Path) -> None:
    run(ledger, sheet(tmp_path))
    ledger.undo_last()
    assert members.list_members(ledger) == [] and branch.list_groups(ledger) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.datetime(2010, 5, 1), dt.date(2010, 5, 1)),  # a real Excel date
        (dt.date(2010, 5, 1), dt.date(2010, 5, 1)),
        ("2010-05-01", dt.date(2010, 5, 1)),
        ("2010.5.1", dt.date(2010, 5, 1)),
        ("2010/5/1", dt.date(2010, 5, 1)),
        ("2010年5月1日", dt.date(2010, 5, 1)),
        ("20100501", dt.date(2010, 5, 1)),
        (20100501, dt.date(2010, 5, 1)),  # typed as a number
        (40299, dt.date(2010, 5, 1)),  # an Excel serial in a cell formatted as a number
    ],
)
def test_every_date_format(ledger: Ledger, tmp_path: Path, cell: object, expected: dt.date) -> None:
    p = write_sheet(tmp_path / "d.xlsx", ["姓名", "公民身份号码", "加入党组织日期"], [["张伟", ID1, cell]])
    res = run(ledger, p)
    assert res.errors == [], [str(e) for e in res.errors]
    (m,) = members.list_members(ledger)
    assert m.joined_on == expected


@pytest.mark.parametrize("cell", ["1985.03", "1985.3", "1985年3月", "1985-03", 1985.03])
def test_month_only_where_only_a_month_is_asked(ledger: Ledger, tmp_path: Path, cell: object) -> None:
    p = write_sheet(tmp_path / "m.xlsx", ["姓名", "公民身份号码", "出生年月"], [["张伟", ID1, cell]])
    res = run(ledger, p)
    assert res.errors == [], [str(e) for e in res.errors]
    assert members.list_members(ledger)[0].birth_date == B1


def test_month_only_without_id_keeps_the_first_with_a_warning(ledger: Ledger, tmp_path: Path) -> None:
    p = write_sheet(tmp_path / "m.xlsx", ["姓名", "出生年月"], [["张伟", "1985.03"]])
    res = run(ledger, p)
    assert res.errors == []
    assert members.list_members(ledger)[0].birth_date == dt.date(1985, 3, 1)
    assert any(w.column == "出生年月" for w in res.warnings)
    assert any("公民身份号码" in w.message for w in res.warnings)  # the missing column is mentioned


def test_month_only_refused_where_a_full_date_is_asked(ledger: Ledger, tmp_path: Path) -> None:
    p = write_sheet(tmp_path / "m.xlsx", ["姓名", "公民身份号码", "入党日期"], [["张伟", ID1, "2008.06"]])
    res = run(ledger, p)
    assert problems(res) == [(2, "入党日期")]
    assert "完整日期" in res.errors[0].message


def test_csv_in_gbk(ledger: Ledger, tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_bytes(f"姓名,性别,身份证号\n张伟,男,{ID1}\n".encode("gb18030"))
    res = run(ledger, p)
    assert res.imported == 1 and res.errors == []


# ------------------------------------------------------------------------------------------ bad sheets


def test_each_kind_of_error_with_its_row_and_column(ledger: Ledger, tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][3] = ID1[:-1] + ("1" if ID1[-1] != "1" else "2")  # row 4: checksum
    rows[1][4] = "男"  # row 5: sex disagrees with the ID
    rows[2][9] = (
        "1996-02-29"  # row 6: 加入 at 18 minus a day? 1978-01-30 + 18y = 1996-01-30: fine. Bad date below
    )
    rows[2][9] = "2026-02-30"  # not a date
    extra = [
        [
            4,
            "第一党小组",
            "赵敏",
            make_id(dt.date(2000, 6, 1), "female", 9),
            "女",
            "汉族",
            None,
            "本科",
            None,
            "2018-05-31",
            "2019-05-31",
            "正式党员",
            None,
            None,
            None,
            "正常",
            None,
        ],  # row 7: 加入 before 18
        [
            5,
            "第一党小组",
            "钱七",
            make_id(dt.date(1990, 1, 1), "male", 10),
            "男",
            "汉族",
            None,
            "本科",
            None,
            "2025-12-01",
            "2026-12-01",
            "预备党员",
            None,
            None,
            None,
            "正常",
            None,
        ],  # row 8: 转正 for 预备党员 (and future)
        [
            6,
            "第一党小组",
            "孙八",
            make_id(dt.date(1991, 1, 1), "male", 11),
            "男性",
            "汉族",
            None,
            "本科",
            None,
            "2015-01-01",
            "2016-01-01",
            "群众",
            None,
            None,
            None,
            "在职",
            None,
        ],  # row 9: 人员类别, 党籍状态
        [
            7,
            "第一党小组",
            None,
            make_id(dt.date(1993, 1, 1), "male", 12),
            "男",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],  # row 10: no name
        [
            8,
            None,
            "周九",
            make_id(dt.date(1994, 1, 1), "male", 13),
            "M",
            None,
            "1994-01-01",
            None,
            None,
            "2020.1",
            None,
            "正式党员",
            None,
            None,
            None,
            None,
            None,
        ],  # row 11: 性别 "M", 入党时间 month only
    ]
    res = run(ledger, sheet(tmp_path, rows + extra))
    got = problems(res)
    assert (4, "身份证号码") in got
    assert (5, "性别") in got
    assert (6, "入党时间") in got
    assert (7, "入党时间") in got
    assert (8, "转正时间") in got
    assert (9, "人员类别") in got and (9, "党籍状态") in got
    assert (10, "姓名") in got
    assert (11, "性别") in got and (11, "入党时间") in got
    assert not any(r in (1, 2, 3) for r, _ in got)  # title rows and header never blamed
    assert res.imported == 0 and members.list_members(ledger) == [] and branch.list_groups(ledger) == []
    msg = {(p.row, p.column): p.message for p in res.errors}
    assert "校验位" in msg[(4, "身份证号码")]
    assert "18岁" in msg[(7, "入党时间")]
    assert "不是有效日期" in msg[(6, "入党时间")]


def test_all_or_nothing_one_bad_row_among_many(ledger: Ledger, tmp_path: Path) -> None:
    rows = good_rows()
    rows[2][10] = "2027-03-15"  # 预备党员 with a 转正 date
    res = run(ledger, sheet(tmp_path, rows))
    assert res.imported == 0 and res.errors and {p.row for p in res.errors} == {6}
    assert members.list_members(ledger) == []


def test_dry_run_writes_nothing(ledger: Ledger, tmp_path: Path) -> None:
    ops_before = len(ledger.history())
    res = run(ledger, sheet(tmp_path), dry_run=True)
    assert res.errors == [] and res.imported == 0 and res.rows == 3
    assert any("将新建" in w.message for w in res.warnings)
    assert members.list_members(ledger) == [] and branch.list_groups(ledger) == []
    assert len(ledger.history()) == ops_before


def test_duplicates_within_the_sheet_and_against_the_ledger(ledger: Ledger, tmp_path: Path) -> None:
    members.add(
        ledger,
        members.Member(
            name="李芳", id_number=ID2, joined_on=dt.date(2015, 7, 1), full_on=dt.date(2016, 7, 1)
        ),
    )
    rows = good_rows()
    rows.append(list(rows[0]))
    rows[-1][2] = "张伟二"
    res = run(ledger, sheet(tmp_path, rows))
    msgs = {(p.row, p.column): p.message for p in res.errors}
    assert "第4行" in msgs[(7, "身份证号码")]
    assert "李芳" in msgs[(5, "身份证号码")]
    assert len(members.list_members(ledger)) == 1


def test_id_stored_as_a_number_by_excel(ledger: Ledger, tmp_path: Path) -> None:
    p = write_sheet(tmp_path / "n.xlsx", ["姓名", "公民身份号码"], [["张伟", float(ID1[:17] + "0")]])
    res = run(ledger, p)
    assert problems(res) == [(2, "公民身份号码")] and "文本" in res.errors[0].message


def test_overrides_fix_cells_in_place(ledger: Ledger, tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][3] = ID1[:-1] + ("1" if ID1[-1] != "1" else "2")
    rows[1][4] = "男"
    path = sheet(tmp_path, rows)
    first = run(ledger, path, dry_run=True)
    assert problems(first) == [(4, "身份证号码"), (5, "性别")]
    fixed = run(ledger, path, overrides={(4, "身份证号码"): ID1, (5, "性别"): "女"})
    assert fixed.errors == [] and fixed.imported == 3
    assert fixed.records[0].values["身份证号码"] == ID1


def test_missing_status_date_is_explained(ledger: Ledger, tmp_path: Path) -> None:
    p = write_sheet(tmp_path / "s.xlsx", ["姓名", "公民身份号码", "党籍状态"], [["张伟", ID1, "停止党籍"]])
    res = run(ledger, p)
    assert problems(res) == [(2, "党籍状态")] and "状态变更日期" in res.errors[0].message
    p2 = write_sheet(
        tmp_path / "s2.xlsx",
        ["姓名", "公民身份号码", "党籍状态", "状态变更日期"],
        [["张伟", ID1, "停止党籍", "2025-03-01"]],
    )
    assert run(ledger, p2).imported == 1
    assert members.list_members(ledger)[0].status == "suspended"


def test_mobile_and_lost_contact_columns(ledger: Ledger, tmp_path: Path) -> None:
    header = [
        "姓名",
        "公民身份号码",
        "是否为流动党员",
        "外出流向",
        "是否为失联党员",
        "失去联系日期",
        "固定电话",
        "备注",
    ]
    p = write_sheet(
        tmp_path / "f.xlsx",
        header,
        [
            ["张伟", ID1, "是", "江苏省苏州市", "否", None, "021-12345678", "长期外派"],
            ["李芳", ID2, "否", None, "是", "2025.06", None, None],
            ["王强", ID3, "也许", None, "是", None, None, None],
        ],
    )
    res = run(ledger, p)
    assert problems(res) == [(4, "失去联系日期"), (4, "是否为流动党员")]
    res = run(ledger, p, overrides={(4, "是否为流动党员"): "否", (4, "是否为失联党员"): "否"})
    assert res.imported == 3
    got = {m.name: m for m in members.list_members(ledger)}
    assert got["张伟"].is_mobile and got["张伟"].mobile_destination == "江苏省苏州市"
    assert got["张伟"].landline == "021-12345678" and got["张伟"].notes == "长期外派"
    assert got["李芳"].lost_contact_since == dt.date(2025, 6, 1)


# ------------------------------------------------------------------------------------------ files


def test_old_xls_is_refused_with_what_to_do(ledger: Ledger, tmp_path: Path) -> None:
    p = tmp_path / "老花名册.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    res = run(ledger, p)
    assert (
        len(res.errors) == 1 and "老花名册.xls" in res.errors[0].message and "另存为" in res.errors[0].message
    )


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: write_sheet(d / "空.xlsx", [], []), ["空.xlsx", "空的"]),
        (
            lambda d: write_sheet(d / "无表头.xlsx", ["名字", "电话"], [["张伟", "1"]]),
            ["无表头.xlsx", "没有找到表头"],
        ),
        (lambda d: write_sheet(d / "只有表头.xlsx", ["姓名", "性别"], []), ["只有表头.xlsx", "没有党员数据"]),
        (lambda d: (d / "坏.xlsx").write_bytes(b"not a zip") and d / "坏.xlsx", ["坏.xlsx", "另存为"]),
        (lambda d: d / "不存在.xlsx", ["不存在.xlsx", "找不到"]),
        (lambda d: write_sheet(d / "~$花名册.xlsx", ["姓名"], []), ["临时文件"]),
    ],
)
def test_file_level_problems_name_the_file(
    ledger: Ledger, tmp_path: Path, make: object, words: list[str]
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    res = run(ledger, path)
    assert len(res.errors) == 1 and res.imported == 0
    for w in words:
        assert w in res.errors[0].message


def test_unreadable_file_is_a_clear_message(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    def locked(*a: object, **k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(openpyxl, "load_workbook", locked)
    res = run(ledger, sheet(tmp_path))
    assert "正被 Excel" in res.errors[0].message and "花名册.xlsx" in res.errors[0].message


# ------------------------------------------------------------------------------------------ command line


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from exports import cli

    code = cli.main(args)
    return code, capsys.readouterr().out


def test_cli_json_exit_1_with_the_contract_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "l.sqlite"
    led = open_ledger(db, create=True)
    branch.save_branch(led, branch.Branch(name="测试支部"))
    led.close()
    rows = good_rows()
    rows[1][4] = "男"
    path = sheet(tmp_path, rows)
    code, out = _cli(["--db", str(db), "import", "members", str(path), "--dry-run", "--json"], capsys)
    doc = json.loads(out)
    assert code == 1
    assert set(doc) == {"imported", "errors", "warnings"}
    assert doc["imported"] == 0
    assert doc["errors"] == [{"row": 5, "column": "性别", "message": doc["errors"][0]["message"]}]
    assert all(set(w) == {"row", "column", "message"} for w in doc["warnings"])
    code, out = _cli(
        ["--db", str(db), "import", "members", str(sheet(tmp_path, name="好.xlsx")), "--json"], capsys
    )
    assert code == 0 and json.loads(out)["imported"] == 3 and json.loads(out)["errors"] == []
    code, out = _cli(["--db", str(db), "import", "members", str(tmp_path / "x.xls"), "--json"], capsys)
    assert code == 1 and set(json.loads(out)) == {"imported", "errors", "warnings"}
