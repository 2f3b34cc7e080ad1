"""Benchmark rows for the sheet reader (issue #13 §2): how fast a 100,000-row sheet (xlsx and csv) is refused
(it used to be read whole in ~24 s and accepted), and the dry runs of a 2,000-row roster (the largest accepted)
and of a year's 党费收缴登记表 for 60 members. Measured, never asserted."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

BIG = 100_000


def _big_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["姓名", "性别", "公民身份号码"])
    for i in range(BIG):
        ws.append([f"张{chr(0x4E00 + i % 20000)}", "男", None])
    wb.save(path)
    return path


def _with_tag(src: Path, dst: Path, ref: str) -> Path:
    """The same sheet with the <dimension> tag an exporter writes (here a wrong one)."""
    import zipfile

    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = xml.replace(
        b"<sheetData>", f'<dimension ref="{ref}"/><sheetData>'.encode(), 1
    )
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return dst


def run(tmp: Path) -> list[dict[str, Any]]:
    import openpyxl

    from db import branch, members
    from db.connection import open_ledger
    from db.dues import import_sheet as dues_import
    from db.members import import_sheet as roster_import
    from tests.roster_data import make_id

    tmp.mkdir(parents=True, exist_ok=True)
    big_x = _big_xlsx(tmp / "big.xlsx")
    big_c = tmp / "big.csv"
    big_c.write_text("姓名,性别\n" + "张伟,男\n" * BIG, encoding="utf-8")
    two_k = tmp / "two-k.csv"
    two_k.write_text(
        "姓名,性别,公民身份号码\n"
        + "".join(
            f"张{chr(0x4E00 + i)},男,{make_id(dt.date(1980, 1, 1) + dt.timedelta(days=i), 'male', 1)}\n"
            for i in range(2000)
        ),
        encoding="utf-8",
    )
    ledger = open_ledger(tmp / "bench-sheets.sqlite", create=True)
    rows: list[dict[str, Any]] = []
    try:
        branch.save_branch(ledger, branch.Branch(name="中共基准测试科技有限公司支部委员会"))
        tagged = _with_tag(big_x, tmp / "big-tagged.xlsx", "A1:C3")
        for label, path in (
            ("xlsx, no <dimension> tag", big_x),
            ("xlsx, <dimension> A1:C3", tagged),
            ("csv", big_c),
        ):
            t0 = time.perf_counter()
            res = roster_import.import_members(ledger, path, dry_run=True)
            rows.append(
                {
                    "name": f"100,000-row {label} roster refused",
                    "value": time.perf_counter() - t0,
                    "unit": "s",
                    "note": "refused: " + ("yes" if res.errors and not res.records else "NO"),
                }
            )
        t0 = time.perf_counter()
        res = roster_import.import_members(ledger, two_k, dry_run=True)
        rows.append(
            {
                "name": "roster dry run, 2,000 rows (csv)",
                "value": time.perf_counter() - t0,
                "unit": "s",
                "note": f"{res.rows} rows read",
            }
        )
        with ledger.operation("BenchMembers", "基准测试党员"):
            names = []
            for i in range(60):
                name = f"李{chr(0x4E00 + i)}{chr(0x4E00 + i + 100)}"
                members.insert(
                    ledger,
                    members.Member(
                        name=name,
                        gender="male",
                        joined_on=dt.date(2010, 1, 1),
                        full_on=dt.date(2011, 1, 1),
                        category="full",
                    ),
                    validate_first=False,
                )
                names.append(name)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["2026年党费收缴登记表"])
        ws.append(["序号", "姓名", *[f"{m}月" for m in range(1, 13)], "合计"])
        for i, name in enumerate(names, start=1):
            ws.append([i, name, *([25] * 10), None, None, 250])
        dues_path = tmp / "dues.xlsx"
        wb.save(dues_path)
        t0 = time.perf_counter()
        dres = dues_import.import_dues(ledger, dues_path, 2026, dry_run=True, today=dt.date(2026, 11, 22))
        rows.append(
            {
                "name": "dues register dry run, 60 members × 10 months",
                "value": time.perf_counter() - t0,
                "unit": "s",
                "note": f"{len(dres.payments)} payments, {len(dres.errors)} errors",
            }
        )
    finally:
        ledger.close()
    return rows
