"""`ledger`: the headless command line (CONTRACT.md §1–2, §5). Never imports Qt.

Exit codes: 0 done; 1 input refused (what and where printed, nothing written); 2 usage error; 3 the ledger
file cannot be opened (locked, damaged, newer format). With --json, stdout holds one JSON document for every
outcome: the command's own shape, or `{"error": {"code", "message", "details": [{"where", "message"}]}}` with
code "refused" (exit 1), "usage" (exit 2) or "cannot_open" (exit 3). No outcome ends in a Python traceback:
an unforeseen failure is reported as code "internal", exit 1 (LEDGER_DEBUG=1 prints the traceback too).

Commands that only read the ledger (check, dump, dues, export, package, backup, verify) open it read-only:
they never migrate, snapshot, rename or write it, not even when it is damaged. Setting a damaged file aside
belongs to opening it for work (init, load, import, the GUI).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from db import clock
from db.errors import InputRefused, LedgerDamaged, LedgerError, LedgerOpenError, Problem

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


# ------------------------------------------------------------------------------------------ commands


def cmd_init(args: argparse.Namespace) -> int:
    from db import branch
    from db.connection import open_ledger

    path = _ledger_path(args)
    if path.exists() and path.stat().st_size > 0:
        raise InputRefused([], f"{path} 已存在，不会覆盖它。请换一个文件名，或删除旧文件后再试")
    if args.records_start is not None and args.records_start > clock.today():
        raise InputRefused([Problem("电子台账起始日期不能晚于今天", column="--records-start")], "未创建台账")
    ledger = open_ledger(path, create=True, password=_new_ledger_password(args))
    try:
        with ledger.operation("CreateBranch", "新建支部"):
            branch.save_branch(ledger, branch.Branch(name=args.branch, upper_org=args.upper))
            if args.records_start is not None:
                from db.opening import set_records_start

                set_records_start(ledger, args.records_start)
    finally:
        ledger.close()
    _emit(args, {"path": str(path), "branch": args.branch}, f"已创建台账 {path}（{args.branch}）")
    return EXIT_OK


def _new_ledger_password(args: argparse.Namespace) -> str | None:
    """A new ledger (init, load into a new file) is encrypted when a password is given; it must be a good one."""
    from db import cipher

    password = _password(args)
    if password is not None:
        reason = cipher.validate_password(password)
        if reason:
            raise InputRefused([Problem(reason, column="密码")], "密码不符合要求，未创建台账")
    return password


def cmd_password(args: argparse.Namespace) -> int:
    from db import rekey

    action = args.action
    new = _password(args, new=True) if action in ("set", "change") else None
    if action in ("set", "change") and new is None:
        raise UsageError(
            f"password {action} 需要新密码：用 --new-password-file 文件 或环境变量 LEDGER_NEW_PASSWORD"
        )
    old = _password(args)
    with _open(args) as ledger:
        if action == "set":
            rekey.set_password(ledger, new or "")
            text = (
                f"已为台账 {ledger.path} 设置密码：文件、快照和备份从此加密。忘记密码无法找回，请妥善保管。"
            )
        elif action == "change":
            rekey.change_password(ledger, old or "", new or "")
            text = f"已修改台账 {ledger.path} 的密码。之前的快照仍用旧密码打开。"
        else:
            rekey.remove_password(ledger, old or "")
            text = f"已取消台账 {ledger.path} 的密码：文件不再加密。之前的快照仍用旧密码打开。"
        doc = {"path": str(ledger.path), "action": action, "encrypted": ledger.encrypted}
    _emit(args, doc, text)
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from db import interchange

    path = _ledger_path(args)
    source = Path(args.file)
    if not source.is_file():
        why = "是一个文件夹，不是交换文件" if source.is_dir() else "找不到这个文件"
        raise InputRefused([Problem(why, file=str(source))], "无法载入，台账未作任何改动")
    # Every value is checked before a ledger is opened or created: a refused document touches nothing.
    doc = interchange.check(interchange.read_file(source), source=source.name)
    if path.exists() and path.stat().st_size > 0:
        # An existing ledger: the load is one operation, so a refusal leaves the file as it was — and nothing
        # beside it: no "open" snapshot (replacing content takes its own before-load snapshot).
        with _open(args, snapshot_on_open=False) as ledger:
            counts = interchange.load(ledger, doc, replace=args.replace, source=source.name, checked=True)
    else:
        counts = _load_into_new(path, doc, source.name, _new_ledger_password(args))
    parts = [
        SECTION_LABELS.get(k, k) if k in SINGLE_SECTIONS else f"{SECTION_LABELS.get(k, k)} {v}"
        for k, v in counts.items()
        if k in SINGLE_SECTIONS or v
    ]
    _emit(args, {"loaded": counts}, f"已载入 {args.file}：{'，'.join(parts) or '没有内容'}")
    return EXIT_OK


def _load_into_new(path: Path, doc: Any, source: str, password: str | None = None) -> dict[str, int]:
    """Load into a new ledger built under a temporary name beside `path` and renamed when whole, so that a
    refused load leaves no ledger file behind (nor a folder it had to make)."""
    import contextlib
    import tempfile

    from db import interchange
    from db.connection import open_ledger

    path = path.absolute()
    made = [d for d in (path.parent, *path.parent.parents) if not d.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".loading.sqlite", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    done = False
    try:
        with open_ledger(tmp, create=True, snapshot_on_open=False, password=password) as ledger:
            counts = interchange.load(ledger, doc, source=source, checked=True)
        if path.exists() and path.stat().st_size > 0:
            raise LedgerError(f"{path} 已存在（在载入期间被建立），不会覆盖它。")
        os.replace(tmp, path)
        done = True
        return counts
    finally:
        with contextlib.suppress(OSError):  # the temporary ledger's own lock file: nobody else knows its name
            tmp.with_name(tmp.name + ".lock").unlink()
        if not done:
            for leftover in (tmp, *(tmp.with_name(tmp.name + x) for x in ("-wal", "-shm", "-journal"))):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            for d in made:  # innermost first
                with contextlib.suppress(OSError):
                    d.rmdir()


def cmd_dump(args: argparse.Namespace) -> int:
    from db import interchange
    from db.fileutil import write_text_atomic

    with _open_to_read(args) as ledger:
        text = interchange.dumps(interchange.dump(ledger))
    if args.out:
        write_text_atomic(args.out, text, what="交换文件")
        _emit(args, {"out": args.out}, f"已导出到 {args.out}")
    else:
        sys.stdout.write(text)  # the interchange document itself: JSON with or without --json
    return EXIT_OK


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


IMPORT_NOUNS = {
    "dues": "笔党费",
    "applicants": "名发展党员",
    "meetings": "次会议",
    "guide": "项主题党日指导清单",
}


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


def cmd_upgrade(args: argparse.Namespace) -> int:
    """Open the ledger for work, as the app does on its first start after an update: an older format is
    migrated (a before-migrate snapshot first), the file checked. Nothing else changes."""
    from db.connection import list_snapshots

    with _open_to_read(args, upgrade=False) as before:
        old = before.schema_version
    with _open(args) as ledger:
        new = ledger.schema_version
        path = ledger.path
    snaps = (
        [p for p in list_snapshots(path) if p.name.endswith("-before-migrate.sqlite")] if new != old else []
    )
    result = {"path": str(path), "from": old, "schema_version": new, "migrated": new != old}
    result["snapshot"] = str(snaps[0]) if snaps else None
    text = (
        f"台账已升级：格式 {old} → {new}（升级前的副本：{snaps[0].name if snaps else '无'}）"
        if new != old
        else f"台账已是本版本的格式（{new}），无需升级"
    )
    _emit(args, result, text)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    with _open_to_read(args, upgrade=False) as ledger:  # a copy of the file as it is
        out = (
            Path(args.out)
            if args.out
            else ledger.path.parent / "backups" / (f"{ledger.path.stem}-{clock.now():%Y%m%d-%H%M%S}.sqlite")
        )
        ledger.backup(out)  # WriteFailed (exit 1) names `out` when the disk will not take it
    _emit(args, {"backup": str(out)}, f"已备份到 {out}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    # Read-only and in place: a damaged file is reported (exit 3) and left exactly where and as it is.
    from db import cipher

    try:
        ledger = _open_to_read(args, upgrade=False)
    except cipher.PasswordNeeded as e:
        err = LedgerOpenError(
            f"台账文件 {e.path} 已加密（设有密码），这不是损坏：没有密码无法检查其内容。"
            f"请用 --password-file 文件 或环境变量 {cipher.ENV_PASSWORD} 提供密码后再检查。"
        )
        err.path = e.path  # type: ignore[attr-defined]
        raise err from e
    with ledger:
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


def cmd_form_fill(args: argparse.Namespace) -> int:
    from exports import forms
    from exports.registry import Params

    if args.quarter is not None and args.year is None:
        raise UsageError("--quarter 需要同时给出 --year 年度")
    template, out = Path(args.template), Path(args.out)
    params = Params(year=args.year, quarter=args.quarter, as_of=args.as_of, masked=args.masked)
    try:
        with _open_to_read(args) as ledger:
            result = forms.fill(ledger, template, out, params)
    except forms.FormError as e:
        details = [{"where": w, "message": m} for w, m in e.problems]
        return _fail(getattr(args, "json", False), EXIT_REFUSED, "refused", str(e), details)
    lines = [f"已填写 {template.name}：{out}（用到 {len(result.fields)} 个字段，列表共 {result.rows} 行）"]
    lines += [f"注意：{w}" for w in result.warnings]
    _emit(args, result.to_json(), "\n".join(lines))
    return EXIT_OK


def cmd_form_pack(args: argparse.Namespace) -> int:
    from exports import forms
    from exports.forms.pack import fill_pack
    from exports.registry import Params

    params = Params(year=args.year, quarter=args.quarter, as_of=args.as_of)
    try:
        with _open_to_read(args) as ledger:
            result = fill_pack(ledger, Path(args.pack), Path(args.out), params)
    except forms.FormError as e:
        details = [{"where": w, "message": m} for w, m in e.problems]
        return _fail(getattr(args, "json", False), EXIT_REFUSED, "refused", str(e), details)
    doc = result.to_json()
    lines = [f"已填写表格包“{result.pack.name}”的 {len(doc['forms'])} 张表格：{result.folder}"]
    for f in doc["forms"]:
        lines.append(f"  {f['file']}（{f['due']} 前报送）")
        lines += [f"    注意：{w}" for w in f["warnings"]]
    _emit(args, doc, "\n".join(lines))
    return EXIT_OK


def cmd_form_fields(args: argparse.Namespace) -> int:
    from exports import forms

    doc = {
        "fields": [
            {"name": f.path, "kind": f.kind, "description": f.description, "masked": bool(f.sensitive)}
            for f in forms.FIELDS
        ]
    }
    if args.out:
        from exports.forms.fields_sheet import write_fields_xlsx

        out = write_fields_xlsx(Path(args.out))
        _emit(args, {**doc, "out": str(out)}, f"已导出字段表和园区字段表：{out}")
        return EXIT_OK
    lines = ["字段表（表格模板中写作 {{ 名称 }}；列表中的字段所在的行按列表逐行重复）："]
    for f in forms.FIELDS:
        flag = "（脱敏填写时部分隐去）" if f.sensitive else ""
        lines.append(f"  {f.path}\t{f.kind}\t{f.description}{flag}")
    _emit(args, doc, "\n".join(lines))
    return EXIT_OK


def cmd_form_install(args: argparse.Namespace) -> int:
    from db import forms as stored
    from exports import forms
    from exports.forms.pack import install_pack

    try:
        with _open(args) as ledger:
            pack = install_pack(ledger, Path(args.pack))
            templates = stored.pack_templates(ledger, pack.id)
    except forms.FormError as e:
        details = [{"where": w, "message": m} for w, m in e.problems]
        return _fail(getattr(args, "json", False), EXIT_REFUSED, "refused", str(e), details)
    doc = {
        "pack": pack.name,
        "version": pack.version,
        "sha256": pack.sha256,
        "forms": [
            {
                "title": t.name,
                "file": t.file_name,
                "version": t.version,
                "period": t.period,
                "due_day": t.due_day,
            }
            for t in templates
        ],
    }
    lines = [
        f"已安装表格包“{pack.name}”（第{pack.version}版），{len(templates)} 张表格；生成报送包时一并填写："
    ]
    lines += [f"  {t.name}（{t.file_name}，第{t.version}版）" for t in templates]
    _emit(args, doc, "\n".join(lines))
    return EXIT_OK


def cmd_form(args: argparse.Namespace) -> int:
    raise UsageError(
        "请给出 form 的子命令：fill（填写表格模板）、pack（填写表格包）、install（安装表格包）或 fields（字段表）"
    )


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


if __name__ == "__main__":
    raise SystemExit(main())
