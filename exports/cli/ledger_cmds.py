"""`ledger` commands on the ledger file itself: init, load, dump, upgrade, backup, verify, password."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from db import clock
from db.errors import InputRefused, LedgerError, LedgerOpenError, Problem
from exports.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    SECTION_LABELS,
    SINGLE_SECTIONS,
    UsageError,
    _emit,
    _ledger_path,
    _new_ledger_password,
    _open,
    _open_to_read,
    _password,
)


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
