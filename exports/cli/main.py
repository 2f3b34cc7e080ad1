"""The `ledger` parser and its one entry point: every outcome one JSON document or one Chinese message, never a
traceback (the contract is in exports/cli/__init__.py)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from db import clock
from db.errors import InputRefused, LedgerDamaged, LedgerError, LedgerOpenError, Problem
from exports.cli.common import (
    EXIT_OPEN,
    EXIT_REFUSED,
    EXIT_USAGE,
    UsageError,
    _date,
    _fail,
    _record_id,
    _year,
    _zh_argparse,
)
from exports.cli.form_cmds import (
    cmd_form,
    cmd_form_fields,
    cmd_form_fill,
    cmd_form_install,
    cmd_form_pack,
)
from exports.cli.ledger_cmds import (
    cmd_backup,
    cmd_dump,
    cmd_init,
    cmd_load,
    cmd_password,
    cmd_upgrade,
    cmd_verify,
)
from exports.cli.report_cmds import (
    cmd_aggregate,
    cmd_check,
    cmd_dues,
    cmd_export,
    cmd_import,
    cmd_package,
    cmd_verify_package,
)


class _ZhHelpFormatter(argparse.HelpFormatter):
    """Help in Chinese: the usage line's prefix (argparse's own "usage: ")."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese headings, help option and messages (subcommands inherit the class)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("formatter_class", _ZhHelpFormatter)
        add_help = kw.pop("add_help", True)
        kw["add_help"] = False
        super().__init__(*args, **kw)
        self._positionals.title = "命令与参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        raise UsageError(_zh_argparse(message), self.format_usage())


# ------------------------------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ledger", description="支部台账命令行（无需图形界面）")
    p.add_argument("--db", help="台账文件路径（默认：用户数据文件夹中的台账）")
    p.add_argument("--data-dir", help="数据文件夹（覆盖默认位置）")
    p.add_argument(
        "--password-file",
        help="台账密码所在的文件（第一行）；也可用环境变量 LEDGER_PASSWORD。密码从不写在命令行上",
    )
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
    sp.add_argument(
        "--records-start", type=_date, help="电子台账起始日期（之前的记在纸质台账上，不算缺；默认不设）"
    )
    sp = add("load", cmd_load, "载入交换文件（JSON）到空台账")
    sp.add_argument("file")
    sp.add_argument("--replace", action="store_true", help="替换台账现有内容（先保存快照）")
    sp = add("dump", cmd_dump, "把整个台账导出为交换文件（JSON）")
    sp.add_argument("--out")
    sp = add(
        "import",
        cmd_import,
        "导入 Excel 表格：花名册、党费收缴登记表、发展党员工作台账、三会一课记录、主题党日指导清单（也可为 JSON）",
    )
    sp.add_argument("what", choices=["members", "dues", "applicants", "meetings", "guide"])
    sp.add_argument("file")
    sp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    sp.add_argument(
        "--year",
        type=_year,
        help="党费所属年份（导入党费收缴登记表时必填）；指导清单的年度（表中看不出年份时）",
    )
    sp = add("check", cmd_check, "列出截至某日的问题与提醒")
    sp.add_argument("--as-of", type=_date, default=clock.today())
    sp = add("dues", cmd_dues, "党费：每人每月应交、实交、欠交")
    sp.add_argument("--year", type=_year, required=True)
    sp = add("export", cmd_export, "导出一个标准模板")
    sp.add_argument("template")
    sp.add_argument("--year", type=_year)
    sp.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="季度（只用于按季度编制的模板）")
    sp.add_argument("--month", type=int, choices=range(1, 13), metavar="M", help="月份 1–12（同上）")
    sp.add_argument("--meeting", type=_record_id, help="会议编号（会议记录、签到表）")
    sp.add_argument("--applicant", type=_record_id, help="发展党员编号（纪实表）")
    sp.add_argument("--transfer", type=_record_id, help="组织关系转接记录编号（介绍信、回执）")
    sp.add_argument("--as-of", type=_date)
    sp.add_argument("--masked", action="store_true", help="隐去身份证号、手机号等个人信息")
    sp.add_argument("--format", required=True, choices=["xlsx", "pdf", "docx"], help="docx 只用于会议记录")
    sp.add_argument("--out", required=True)
    sp = add("package", cmd_package, "生成报送文件夹")
    sp.add_argument("--year", type=_year, required=True)
    sp.add_argument("--out", required=True)
    sp.add_argument("--profile", choices=["full", "masked", "handover"], default="masked")
    sp.add_argument(
        "--totals-only",
        action="store_true",
        help="党费只报合计：不含每名党员的党费金额（每人金额可推算收入档次；只用于脱敏版）",
    )
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
    sp = add("form", cmd_form, "园区表格：用台账数据填写上级发来的 Excel/Word 表格模板", json_flag=False)
    form_sub = sp.add_subparsers(dest="form_command", parser_class=_Parser)
    fp = form_sub.add_parser(
        "fill", help="填写一个表格模板", description="填写一个表格模板（.xlsx 或 .docx）"
    )
    fp.set_defaults(fn=cmd_form_fill)
    fp.add_argument("template", help="表格模板（.xlsx 或 .docx）")
    fp.add_argument("--out", required=True, help="填好的文件（与模板同类型）")
    fp.add_argument("--year", type=_year)
    fp.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="季度（需同时给出 --year）")
    fp.add_argument("--as-of", type=_date, help="数据截至的日期（默认期间末日或今天）")
    fp.add_argument("--masked", action="store_true", help="脱敏填写：身份证号、手机号只填部分隐去的值")
    fp.add_argument("--json", action="store_true", help="输出 JSON")
    fp = form_sub.add_parser(
        "pack", help="填写一个表格包中的全部表格", description="填写联络员发来的表格包（.zip）中的全部表格"
    )
    fp.set_defaults(fn=cmd_form_pack)
    fp.add_argument("pack", help="表格包（.zip，含 manifest.json）")
    fp.add_argument("--out", required=True, help="新的输出文件夹")
    fp.add_argument("--year", type=_year, required=True)
    fp.add_argument(
        "--quarter", type=int, choices=[1, 2, 3, 4], help="季度（表格包中有按季度填报的表格时必填）"
    )
    fp.add_argument("--as-of", type=_date, help="数据截至的日期（默认期间末日或今天）")
    fp.add_argument("--json", action="store_true", help="输出 JSON")
    fp = form_sub.add_parser(
        "install",
        help="把表格包安装到台账",
        description="把联络员发来的表格包（.zip）安装到台账：以后生成报送包时自动填写其中每张表格",
    )
    fp.set_defaults(fn=cmd_form_install)
    fp.add_argument("pack", help="表格包（.zip，含 manifest.json）")
    fp.add_argument("--json", action="store_true", help="输出 JSON")
    fp = form_sub.add_parser("fields", help="列出字段表", description="列出表格模板可用的全部字段（字段表）")
    fp.set_defaults(fn=cmd_form_fields)
    fp.add_argument("--out", help="导出为 Excel 文件（字段表和园区字段表各一个工作表）")
    fp.add_argument("--json", action="store_true", help="输出 JSON")
    sp = add("backup", cmd_backup, "备份台账（一致的副本）")
    sp.add_argument("--out")
    add("verify", cmd_verify, "检查台账文件完整性")
    add("upgrade", cmd_upgrade, "把较早版本的台账升级到本版本的格式（先自动保存升级前的副本）")
    sp = add("password", cmd_password, "设置、修改或取消台账密码（加密整个台账文件）")
    sp.add_argument(
        "action", choices=["set", "change", "remove"], help="set 设置 / change 修改 / remove 取消"
    )
    sp.add_argument(
        "--new-password-file", help="新密码所在的文件（第一行）；也可用环境变量 LEDGER_NEW_PASSWORD"
    )
    return p


def _os_reason(e: OSError) -> str:
    """The OS's reason in Chinese for the usual cases; the OS's own words otherwise."""
    if isinstance(e, FileNotFoundError):
        return "找不到这个文件或文件夹"
    if isinstance(e, PermissionError):
        return "没有权限（文件可能正被其他程序打开，或是只读的）"
    if isinstance(e, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(e, NotADirectoryError):
        return "路径中有一段不是文件夹"
    if isinstance(e, FileExistsError):
        return "已存在"
    import errno

    if e.errno == errno.ENOSPC:
        return "磁盘空间不足"
    return str(e.strerror or e)


def _damaged(e: LedgerDamaged) -> tuple[str, list[dict[str, str]]]:
    """A damaged ledger in a few lines: SQLite's integrity report can run to hundreds of lines (the JSON
    details carry up to 50); and whether the file was set aside (opening for work) or left alone (reading)."""
    lines = [ln.strip() for ln in e.detail.replace("；", "\n").splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.endswith("***")] or lines
    short = "；".join(lines[:2]) + (f" 等 {len(lines)} 处" if len(lines) > 2 else "")
    message = f"无法打开台账：台账文件 {e.path} 已损坏（{short}）。"
    if e.set_aside is not None:
        message += f"损坏的文件已另存为 {e.set_aside.name}，不会被覆盖。"
    else:
        message += "这是只读的检查，文件原样留在原处；用支部台账打开它工作时，才会把损坏的文件另存一边。"
    if e.snapshots:
        message += f"可以从最近的快照恢复：{e.snapshots[0].name}。"
    else:
        message += "没有找到可用的快照，请用备份文件恢复。"
    return message, [{"where": str(e.path), "message": ln} for ln in lines[:50]]


def _wants_json(argv: Sequence[str]) -> bool:
    """Whether --json was asked for, known even when the rest of the command line cannot be parsed."""
    args = list(argv)
    if "--" in args:
        args = args[: args.index("--")]
    return "--json" in args


def _problem_details(problems: Sequence[Problem]) -> list[dict[str, str]]:
    return [{"where": p.where(), "message": p.message} for p in problems]


def main(argv: Sequence[str] | None = None) -> int:
    if sys.platform == "win32":
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure:
                reconfigure(encoding="utf-8", errors="replace")
    argv = list(sys.argv[1:] if argv is None else argv)
    want_json = _wants_json(argv)
    try:
        return _run(argv, want_json)
    except KeyboardInterrupt:
        return _fail(want_json, 130, "interrupted", "已中断，未完成。")


def _run(argv: list[str], want_json: bool) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.self_test:
            from exports.selftest import run_self_test

            return run_self_test()
        if not args.command:
            raise UsageError("请给出一个命令（见下面的列表）", parser.format_help())
        code: int = args.fn(args)
        return code
    except UsageError as e:
        message = f"用法错误：{e}"
        if e.usage and not want_json:
            sys.stderr.write(e.usage.rstrip("\n") + "\n")
        return _fail(want_json, EXIT_USAGE, "usage", message)
    except InputRefused as e:
        return _fail(want_json, EXIT_REFUSED, "refused", str(e), _problem_details(e.problems))
    except LedgerDamaged as e:
        message, details = _damaged(e)
        return _fail(want_json, EXIT_OPEN, "cannot_open", message, details)
    except LedgerOpenError as e:
        where = str(getattr(e, "path", "") or "")
        return _fail(
            want_json, EXIT_OPEN, "cannot_open", f"无法打开台账：{e}", [{"where": where, "message": str(e)}]
        )
    except LedgerError as e:
        return _fail(want_json, EXIT_REFUSED, "refused", str(e))
    except OSError as e:
        from db.fileutil import KIND_OTHER, explain_write_error, fault_kind

        where = str(e.filename or "")
        why = _os_reason(e)
        if where and fault_kind(e) != KIND_OTHER:  # a full, read-only or vanished disk: the one explanation
            message = explain_write_error(e, Path(where), "文件", after="未完成，原有的文件没有改动。")
        else:
            message = f"文件操作失败：{where}：{why}" if where else f"文件操作失败：{why}"
        return _fail(want_json, EXIT_REFUSED, "refused", message, [{"where": where, "message": why}])
    except Exception as e:  # noqa: BLE001 - the last guard: no command ends in a traceback
        if os.environ.get("LEDGER_DEBUG"):
            import traceback

            traceback.print_exc()
        return _fail(
            want_json,
            EXIT_REFUSED,
            "internal",
            f"程序内部错误（{type(e).__name__}：{e}），未完成。这不是输入的问题，请把这条信息告诉维护人员。",
        )
