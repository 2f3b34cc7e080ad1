"""Benchmark rows for the roster (issue 2 §9): import of a generated 1,000-row sheet (dry run and real) and the
roster export of 1,000 members to xlsx and to pdf. Measured, never asserted."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

N = 1000


def _sheet(path: Path) -> Path:
    from tests.roster_data import person, write_sheet

    header = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "公民身份号码",
        "出生日期",
        "学历",
        "人员类别",
        "加入党组织日期",
        "转为正式党员日期",
        "工作岗位",
        "手机号",
        "家庭住址",
        "党籍状态",
        "党小组",
    ]
    rows = []
    for i in range(N):
        p = person(i)
        rows.append(
            [
                i + 1,
                p["name"],
                "男" if p["gender"] == "male" else "女",
                "汉族",
                p["id"],
                p["birth"],
                "大学本科",
                p["category"],
                p["joined"],
                p["full"],
                "研发工程师",
                p["phone"],
                "上海市松江区九亭镇某某路1234弄56号789室",
                "正常",
                p["group"],
            ]
        )
    return write_sheet(path, header, rows, title_rows=[["党员花名册（基准测试）"]])


def run(tmp: Path) -> list[dict[str, Any]]:
    from db import branch
    from db.connection import open_ledger
    from db.members import import_sheet as roster_import
    from exports import registry

    tmp.mkdir(parents=True, exist_ok=True)
    sheet = _sheet(tmp / "roster-1000.xlsx")
    ledger = open_ledger(tmp / "bench-roster.sqlite", create=True)
    try:
        branch.save_branch(ledger, branch.Branch(name="中共基准测试科技有限公司支部委员会"))
        t0 = time.perf_counter()
        dry = roster_import.import_members(ledger, sheet, dry_run=True)
        t_dry = time.perf_counter() - t0
        t0 = time.perf_counter()
        real = roster_import.import_members(ledger, sheet)
        t_real = time.perf_counter() - t0
        rows: list[dict[str, Any]] = [
            {
                "name": "roster import dry run, 1,000 rows",
                "value": t_dry,
                "unit": "s",
                "note": f"{dry.rows} rows read, {len(dry.errors)} errors",
            },
            {
                "name": "roster import, 1,000 rows",
                "value": t_real,
                "unit": "s",
                "note": f"{real.imported} members written in one operation",
            },
        ]
        from tests.bench.floors import export_rows

        rows += export_rows(ledger, "roster", registry.Params(), tmp, "roster export, 1,000 members")
        return rows
    finally:
        ledger.close()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for r in run(Path(d)):
            print(f"{r['name']:<45} {r['value']:8.3f} {r['unit']}  {r['note']}")
