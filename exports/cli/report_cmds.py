"""`ledger` commands that read the records out: import, check, dues, export, package, verify-package,
aggregate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from db.errors import InputRefused, Problem
from exports.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    UsageError,
    _emit,
    _fail,
    _open,
    _open_to_read,
)

IMPORT_NOUNS = {
    "dues": "笔党费",
    "applicants": "名发展党员",
    "meetings": "次会议",
    "guide": "项主题党日指导清单",
}


def cmd_import(args: argparse.Namespace) -> int:
    if args.what != "members":
        return _import_other(args)
    from db.members import import_sheet as roster_import

    with _open(args) as ledger:
        result = roster_import.import_members(ledger, Path(args.file), dry_run=args.dry_run)
    doc = result.to_json()
    lines = []
    if result.errors:
        lines.append(f"{Path(args.file).name}：发现 {len(result.errors)} 处问题，未导入任何党员：")
        lines += [f"  - {p}" for p in result.errors]
    elif args.dry_run:
        lines.append(f"试导入：{result.rows} 行均无错误，可以导入（未写入）。")
    else:
        lines.append(f"已导入 {result.imported} 名党员。")
    lines += [f"  提示：{p}" for p in result.warnings]
    _emit(args, doc, "\n".join(lines))
    return EXIT_REFUSED if result.errors else EXIT_OK


def _import_other(args: argparse.Namespace) -> int:
    """`import dues|applicants|meetings FILE`: the same reader and the same JSON shape as `import members`
    (plus what each adds: `year` and `total` for dues, `findings` for applicants)."""
    from db.sheets import imports

    if args.what == "dues" and args.year is None:
        raise UsageError("导入党费收缴登记表需要指定年份：--year 年份（如 --year 2026）")
    with _open(args) as ledger:
        result = imports.run(args.what, ledger, Path(args.file), dry_run=args.dry_run, year=args.year)
    noun = IMPORT_NOUNS[args.what]
    lines = []
    if result.errors:
        lines.append(f"{Path(args.file).name}：发现 {len(result.errors)} 处问题，未导入任何内容：")
        lines += [f"  - {p}" for p in result.errors]
    elif args.dry_run:
        lines.append(f"试导入：{result.rows} 行均无错误，可以导入（未写入）。")
    else:
        lines.append(f"已导入 {result.imported} {noun}。")
    lines += [f"  提示：{p}" for p in result.warnings]
    lines += [f"  规则：{p}" for p in getattr(result, "findings", [])]
    _emit(args, result.to_json(), "\n".join(lines))
    return EXIT_REFUSED if result.errors else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from db import findings

    with _open_to_read(args) as ledger:
        found = findings.check(ledger, args.as_of)
    doc = {"as_of": args.as_of.isoformat(), "findings": [f.to_json() for f in found]}
    lines = [f"截至 {args.as_of.isoformat()}：{len(found)} 条"]
    for f in found:
        due = f"（期限 {f.due.isoformat()}）" if f.due else ""
        lines.append(f"[{f.code} {findings.SEVERITY_LABELS[f.severity]}] {f.message}{due}")
    _emit(args, doc, "\n".join(lines))
    return EXIT_OK


def cmd_dues(args: argparse.Namespace) -> int:
    from db import dues
    from db.rules.dues import KIND_LABELS

    with _open_to_read(args) as ledger:
        doc = dues.dues_report(ledger, args.year)
    lines = [f"{args.year}年党费：姓名　类别　基数　比例　月应交　全年应交　全年实交"]
    for m in doc["members"]:
        if m["kind"] is None:
            kind, rate = "未核定", "-"
        else:
            kind = KIND_LABELS.get(m["kind"], m["kind"])
            rate = f"{float(m['rate']) * 100:g}%" if m["rate"] else "定额"
        lines.append(
            f"{m['name']}　{kind}　{m['base'] or '-'}　{rate}　{m['monthly_due']}　"
            f"{m['total_due']}　{m['total_paid']}"
        )
    if not doc["members"]:
        lines.append(f"{args.year}年没有需要交纳党费的党员。")
    _emit(args, doc, "\n".join(lines))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from exports import registry

    params = registry.Params(
        year=args.year,
        quarter=args.quarter,
        month=args.month,
        meeting_id=args.meeting,
        applicant_id=args.applicant,
        transfer_id=args.transfer,
        as_of=args.as_of,
        masked=args.masked,
    )
    try:
        t = registry.get(args.template)
    except KeyError as e:
        raise UsageError(str(e.args[0])) from None
    missing = registry.missing_params(t, params)
    if missing:
        raise UsageError(f"模板“{t.title}”需要参数：{'、'.join(missing)}")
    period = registry.period_problems(t, params)
    if period:
        raise UsageError("；".join(period))
    if args.format not in t.formats:
        raise UsageError(f"模板“{t.title}”只支持 {'/'.join(t.formats)} 格式")
    with _open_to_read(args) as ledger:
        registry.export(ledger, args.template, params, args.format, Path(args.out))
    _emit(args, {"template": args.template, "out": args.out}, f"已导出{t.title}：{args.out}")
    return EXIT_OK


def cmd_package(args: argparse.Namespace) -> int:
    from exports import package

    with _open_to_read(args) as ledger:
        folder = package.build_package(
            ledger,
            args.year,
            Path(args.out),
            profile=args.profile,
            zip_password=args.zip_password or None,
            totals_only=args.totals_only,
        )
    doc: dict[str, Any] = {"folder": str(folder)}
    if args.zip_password:
        doc["zip"] = str(folder.with_name(folder.name + ".zip"))
    check = package.verify_package(folder)
    if check.failed:  # written and intact, but a report is missing: the hand-in is not complete (exit 1)
        return _fail(
            bool(args.json),
            EXIT_REFUSED,
            "incomplete",
            f"报送包已生成，但不完整：{len(check.failed)} 份报表没有生成，请改正后重新生成：{folder}\n"
            + "\n".join(f"  - {p}" for p in check.failed),
            [{"where": str(folder), "message": p} for p in check.failed],
        )
    _emit(args, doc, str(folder))
    return EXIT_OK


def cmd_verify_package(args: argparse.Namespace) -> int:
    from exports import package

    result = package.verify_package(Path(args.dir), password=args.password or None)
    _emit(args, result.to_json(), result.describe())
    return EXIT_OK if result.ok else EXIT_REFUSED


def cmd_aggregate(args: argparse.Namespace) -> int:
    from exports import aggregate

    inputs = [Path(p) for p in args.inputs]
    # A folder that is neither a package nor holds any (an empty inbox) would otherwise vanish without a word.
    empty = [
        Problem("这个文件夹里没有报送包（既不是报送包文件夹，也没有报送包文件夹或 zip）", file=str(p))
        for p in inputs
        if p.is_dir() and not aggregate.expand([p])
    ]
    result = aggregate.aggregate(inputs, None, password=args.password or None)
    if not result.counted:
        # Nothing to count: no summary table is written (a table of zeros would read as "no members").
        raise InputRefused(
            [
                Problem(f"{r.status_label}。{r.note}".rstrip("。") + "。", file=str(r.source))
                for r in result.rows
            ]
            + empty,
            "没有一个报送包可以计入，未生成汇总表",
        )
    aggregate.write(result, Path(args.out))
    for problem in empty:
        sys.stderr.write(f"提示：{problem}\n")
    _emit(args, result.to_json(), result.describe())
    return EXIT_OK
