"""`ledger`: the headless command line (CONTRACT.md §1–2). Never imports Qt.

Exit codes: 0 done; 1 input refused (what and where printed, nothing written); 2 usage error; 3 the ledger
file cannot be opened (locked, damaged, newer format). With --json, stdout holds one JSON document only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from db import clock
from db.errors import InputRefused, LedgerError, LedgerOpenError

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_OPEN = 0, 1, 2, 3


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误：{message}\n")
        raise SystemExit(EXIT_USAGE)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的日期") from None


def _emit(args: argparse.Namespace, doc: Any, text: str) -> None:
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def _ledger_path(args: argparse.Namespace) -> Path:
    from db.paths import default_ledger_path

    return Path(args.db) if args.db else default_ledger_path(args.data_dir)


def _open(args: argparse.Namespace, **kw: Any) -> Any:
    from db.connection import open_ledger

    return open_ledger(_ledger_path(args), **kw)


# ------------------------------------------------------------------------------------------ commands


def cmd_init(args: argparse.Namespace) -> int:
    from db import branch
    from db.connection import open_ledger

    path = _ledger_path(args)
    if path.exists() and path.stat().st_size > 0:
        raise InputRefused([], f"{path} 已存在，不会覆盖它。请换一个文件名，或删除旧文件后再试")
    ledger = open_ledger(path, create=True)
    try:
        branch.save_branch(ledger, branch.Branch(name=args.branch, upper_org=args.upper))
    finally:
        ledger.close()
    _emit(args, {"path": str(path), "branch": args.branch}, f"已创建台账 {path}（{args.branch}）")
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from db import interchange

    with _open(args, create=True) as ledger:
        counts = interchange.load_file(ledger, Path(args.file), replace=args.replace)
    summary = "，".join(f"{k} {v}" for k, v in counts.items())
    _emit(args, {"loaded": counts}, f"已载入 {args.file}：{summary}")
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    from db import interchange
    from db.fileutil import write_text_atomic

    with _open(args, snapshot_on_open=False) as ledger:
        text = interchange.dumps(interchange.dump(ledger))
    if args.out:
        write_text_atomic(args.out, text)
        sys.stdout.write(f"已导出到 {args.out}\n")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
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


def cmd_check(args: argparse.Namespace) -> int:
    from db import findings

    with _open(args, snapshot_on_open=False) as ledger:
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

    with _open(args, snapshot_on_open=False) as ledger:
        doc = dues.dues_report(ledger, args.year)
    lines = [f"{args.year}年党费：姓名　类别　基数　比例　月应交　全年应交　全年实交"]
    for m in doc["members"]:
        rate = f"{float(m['rate']) * 100:g}%" if m["rate"] else "定额"
        lines.append(
            f"{m['name']}　{m['kind']}　{m['base'] or '-'}　{rate}　{m['monthly_due']}　"
            f"{m['total_due']}　{m['total_paid']}"
        )
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
    if args.format not in t.formats:
        raise UsageError(f"模板“{t.title}”只支持 {'/'.join(t.formats)} 格式")
    with _open(args, snapshot_on_open=False) as ledger:
        registry.export(ledger, args.template, params, args.format, Path(args.out))
    _emit(args, {"template": args.template, "out": args.out}, f"已导出{t.title}：{args.out}")
    return EXIT_OK


def cmd_package(args: argparse.Namespace) -> int:
    from exports import package

    with _open(args, snapshot_on_open=False) as ledger:
        folder = package.build_package(
            ledger, args.year, Path(args.out), profile=args.profile, zip_password=args.zip_password or None
        )
    doc: dict[str, Any] = {"folder": str(folder)}
    if args.zip_password:
        doc["zip"] = str(folder.with_name(folder.name + ".zip"))
    _emit(args, doc, str(folder))
    return EXIT_OK


def cmd_verify_package(args: argparse.Namespace) -> int:
    from exports import package

    result = package.verify_package(Path(args.dir), password=args.password or None)
    _emit(args, result.to_json(), result.describe())
    return EXIT_OK if result.ok else EXIT_REFUSED


def cmd_aggregate(args: argparse.Namespace) -> int:
    from exports import aggregate

    result = aggregate.aggregate(
        [Path(p) for p in args.inputs], Path(args.out), password=args.password or None
    )
    _emit(args, result.to_json(), result.describe())
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    with _open(args, snapshot_on_open=False) as ledger:
        out = (
            Path(args.out)
            if args.out
            else ledger.path.parent / "backups" / (f"{ledger.path.stem}-{clock.now():%Y%m%d-%H%M%S}.sqlite")
        )
        ledger.backup(out)
    _emit(args, {"backup": str(out)}, f"已备份到 {out}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    with _open(args, snapshot_on_open=False) as ledger:
        result = ledger.verify()
    verdict = "台账文件完好" if result["ok"] else "台账文件有问题：" + "；".join(result["integrity"][:3])
    if result["foreign_key_problems"]:
        verdict += f"；{result['foreign_key_problems']} 处引用不一致"
    _emit(
        args,
        result,
        f"{verdict}（{result['path']}，格式 {result['schema_version']}，"
        f"共 {result['operations']} 次操作记录）",
    )
    return EXIT_OK if result["ok"] else EXIT_REFUSED


# ------------------------------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ledger", description="支部台账命令行（无需图形界面）")
    p.add_argument("--db", help="台账文件路径（默认：用户数据文件夹中的台账）")
    p.add_argument("--data-dir", help="数据文件夹（覆盖默认位置）")
    p.add_argument(
        "--self-test", action="store_true", help="自检：导入全部模块、建临时台账、写出 xlsx 和 pdf"
    )
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    def add(
        name: str, fn: Callable[[argparse.Namespace], int], help_text: str, json_flag: bool = True
    ) -> Any:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(fn=fn)
        if json_flag:
            sp.add_argument("--json", action="store_true", help="输出 JSON")
        return sp

    sp = add("init", cmd_init, "新建空台账")
    sp.add_argument("--branch", required=True, help="支部全称")
    sp.add_argument("--upper", help="上级党组织")
    sp = add("load", cmd_load, "载入交换文件（JSON）到空台账")
    sp.add_argument("file")
    sp.add_argument("--replace", action="store_true", help="替换台账现有内容（先保存快照）")
    sp = add("dump", cmd_dump, "把整个台账导出为交换文件（JSON）", json_flag=False)
    sp.add_argument("--out")
    sp = add("import", cmd_import, "导入 Excel 花名册")
    sp.add_argument("what", choices=["members"])
    sp.add_argument("file")
    sp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    sp = add("check", cmd_check, "列出截至某日的问题与提醒")
    sp.add_argument("--as-of", type=_date, default=clock.today())
    sp = add("dues", cmd_dues, "党费：每人每月应交、实交、欠交")
    sp.add_argument("--year", type=int, required=True)
    sp = add("export", cmd_export, "导出一个标准模板")
    sp.add_argument("template")
    sp.add_argument("--year", type=int)
    sp.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    sp.add_argument("--month", type=int, choices=range(1, 13), metavar="M")
    sp.add_argument("--meeting", type=int)
    sp.add_argument("--applicant", type=int)
    sp.add_argument("--as-of", type=_date)
    sp.add_argument("--masked", action="store_true", help="隐去身份证号、手机号等个人信息")
    sp.add_argument("--format", required=True, choices=["xlsx", "pdf"])
    sp.add_argument("--out", required=True)
    sp = add("package", cmd_package, "生成报送文件夹")
    sp.add_argument("--year", type=int, required=True)
    sp.add_argument("--out", required=True)
    sp.add_argument("--profile", choices=["full", "masked", "handover"], default="masked")
    sp.add_argument(
        "--zip-password",
        default=os.environ.get("LEDGER_ZIP_PASSWORD"),
        help="另存一份用此密码加密（AES）的 zip（也可用环境变量 LEDGER_ZIP_PASSWORD）",
    )
    sp = add("verify-package", cmd_verify_package, "核对报送文件夹是否完整、未被改动")
    sp.add_argument("dir")
    sp.add_argument("--password", default=os.environ.get("LEDGER_ZIP_PASSWORD"), help="加密 zip 的密码")
    sp = add("aggregate", cmd_aggregate, "联络员：汇总多个支部的报送包")
    sp.add_argument("inputs", nargs="+")
    sp.add_argument("--out", required=True)
    sp.add_argument(
        "--password",
        default=os.environ.get("LEDGER_ZIP_PASSWORD"),
        help="加密 zip 的密码（也可用环境变量 LEDGER_ZIP_PASSWORD）",
    )
    sp = add("backup", cmd_backup, "备份台账（一致的副本）")
    sp.add_argument("--out")
    add("verify", cmd_verify, "检查台账文件完整性")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    if sys.platform == "win32":
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure:
                reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from exports.selftest import run_self_test

        return run_self_test()
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = args.fn(args)
        return code
    except UsageError as e:
        sys.stderr.write(f"用法错误：{e}\n")
        return EXIT_USAGE
    except InputRefused as e:
        if getattr(args, "json", False):
            sys.stdout.write(
                json.dumps(
                    {"errors": [p.to_json() for p in e.problems], "message": str(e)},
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            )
        sys.stderr.write(f"{e}\n")
        return EXIT_REFUSED
    except LedgerOpenError as e:
        sys.stderr.write(f"无法打开台账：{e}\n")
        return EXIT_OPEN
    except LedgerError as e:
        sys.stderr.write(f"{e}\n")
        return EXIT_REFUSED
    except OSError as e:
        sys.stderr.write(f"文件操作失败：{e.filename or ''} {e.strerror or e}\n")
        return EXIT_REFUSED


if __name__ == "__main__":
    raise SystemExit(main())
