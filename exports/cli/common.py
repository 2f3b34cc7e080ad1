"""What every `ledger` command shares: exit codes, the Chinese argparse messages, argument types, the one
JSON/text output, and opening the ledger for work or only to read it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from db.errors import InputRefused, Problem

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_OPEN = 0, 1, 2, 3


# Years a report or a check can be about: the party's branches keep records from 1921 on; far past or future
# years are typing mistakes (and year 1 or 9999 would overflow the date arithmetic).
YEAR_MIN, YEAR_MAX = 1921, 2100


# Chinese names of the interchange sections, for the human output of `load`.
SECTION_LABELS = {
    "settings": "设置",
    "branch": "支部信息",
    "party_groups": "党小组",
    "members": "党员",
    "committee_terms": "支委会届次",
    "elections": "换届选举",
    "committee_vacancies": "支委缺额",
    "meetings": "会议",
    "planned_meetings": "会议计划",
    "dues_bases": "党费核定",
    "dues_payments": "党费交纳",
    "remittances": "党费上缴",
    "applicants": "发展党员",
    "checklists": "自查清单",
    "appraisals": "民主评议",
    "talks": "谈心谈话",
    "study_hours": "学习学时",
    "rectifications": "整改",
    "form_templates": "园区表格模板",
    "transfers": "组织关系转接",
    "mobility": "流动党员",
    "honors": "表彰",
    "discipline": "党纪处分",
    "care": "关怀帮扶",
    "guide_lists": "主题党日指导清单",
    "projects": "书记项目",
    "posts": "示范岗/责任区",
    "plans": "工作计划",
    "scorecards": "星级自评",
    "forms": "表单",
}


SINGLE_SECTIONS = ("settings", "branch")  # objects, not lists: named without a count


class UsageError(Exception):
    """The command line itself is wrong (exit 2)."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


# argparse speaks English; what a person reads is Chinese (CONTRACT.md §2). Its few messages, translated.
_ARGPARSE_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (.+)$"), r"缺少必需的参数：\1"),
    (re.compile(r"^unrecognized arguments: (.+)$"), r"无法识别的参数：\1"),
    (re.compile(r"^invalid choice: '?([^']*)'? \(choose from (.+)\)$"), r"无效的选择“\1”（可选：\2）"),
    (re.compile(r"^invalid (\w+) value: '?([^']*)'?$"), r"“\2”不是有效的值"),
    (re.compile(r"^expected one argument$"), r"后面需要一个值"),
    (re.compile(r"^expected at least one argument$"), r"后面至少需要一个值"),
    (re.compile(r"^ignored explicit argument '?([^']*)'?$"), r"不接受值“\1”"),
    (re.compile(r"^not allowed with argument (.+)$"), r"不能与参数 \1 同时使用"),
    (re.compile(r"^ambiguous option: (.+)$"), r"有歧义的选项：\1"),
]


def _zh_argparse(message: str) -> str:
    head = ""
    m = re.match(r"^argument ([^:]+): (.*)$", message, re.S)
    if m:
        head, message = f"参数 {m.group(1)}：", m.group(2)
    for pattern, repl in _ARGPARSE_ZH:
        if pattern.match(message):
            message = pattern.sub(repl, message)
            break
    return head + message


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的日期") from None
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"日期“{text}”不在 {YEAR_MIN}—{YEAR_MAX} 年之间")
    return day


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是年份（例如 2026）") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"年份 {year} 不在 {YEAR_MIN}—{YEAR_MAX} 之间")
    return year


def _record_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是编号（应为整数）") from None


def _error_doc(code: str, message: str, details: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """CONTRACT.md §5: the one JSON document of a refusal, a usage error or an unopenable ledger."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def _fail(
    want_json: bool, exit_code: int, code: str, message: str, details: list[dict[str, str]] | None = None
) -> int:
    """Say why on stderr (for people), and with --json as the one JSON document on stdout; return the code."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    if want_json:
        sys.stdout.write(json.dumps(_error_doc(code, message, details), ensure_ascii=False, indent=2) + "\n")
    return exit_code


def _emit(args: argparse.Namespace, doc: Any, text: str) -> None:
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def _ledger_path(args: argparse.Namespace) -> Path:
    from db.paths import default_ledger_path

    return Path(args.db) if args.db else default_ledger_path(args.data_dir)


def _password(args: argparse.Namespace, new: bool = False) -> str | None:
    """The ledger's password (`new`: the new one of `password set|change`) from a file or the environment,
    never from the command line itself (argv is visible to every user of the machine)."""
    from db import cipher

    file = getattr(args, "new_password_file" if new else "password_file", None)
    env = cipher.ENV_NEW_PASSWORD if new else cipher.ENV_PASSWORD
    option = "--new-password-file" if new else "--password-file"
    if file:
        try:
            value = cipher.read_password_file(file)
        except (OSError, UnicodeDecodeError) as e:
            why = "找不到这个文件" if isinstance(e, FileNotFoundError) else "无法读取（应为 UTF-8 文本）"
            raise UsageError(f"{option} {file}：{why}") from e
        if not value:
            raise UsageError(f"{option} {file}：文件的第一行是空的")
        return value
    return os.environ.get(env) or None


def _open(args: argparse.Namespace, **kw: Any) -> Any:
    """Open the ledger for work (init, load, import): migrates an older file, sets a damaged one aside."""
    from db.connection import open_ledger

    ledger = open_ledger(_ledger_path(args), password=_password(args), **kw)
    for warning in ledger.warnings:
        sys.stderr.write(f"提示：{warning}\n")
    return ledger


def _open_to_read(args: argparse.Namespace, *, upgrade: bool = True) -> Any:
    """Open the ledger only to read it: the file is never written, migrated, renamed or moved."""
    from db.connection import open_ledger_readonly

    return open_ledger_readonly(_ledger_path(args), upgrade=upgrade, password=_password(args))


def _new_ledger_password(args: argparse.Namespace) -> str | None:
    """A new ledger (init, load into a new file) is encrypted when a password is given; it must be a good one."""
    from db import cipher

    password = _password(args)
    if password is not None:
        reason = cipher.validate_password(password)
        if reason:
            raise InputRefused([Problem(reason, column="密码")], "密码不符合要求，未创建台账")
    return password
