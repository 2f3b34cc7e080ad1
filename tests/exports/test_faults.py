"""Disk faults at every write step (issue #13 part 3): a full disk, a read-only or vanished target, SQLite's own
"disk is full". Every write path (backup, snapshot, each template's export, the package and its handover copy,
opening for work, a change to the ledger) must raise one Chinese sentence naming the target and what to do,
leave the old file as it was and leave no temporary file (.part, -journal) behind; the command line exits 1
with that sentence, never a traceback."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db import members
from db.connection import Ledger, list_snapshots, open_ledger
from db.errors import WriteFailed
from exports import cli, package, registry

YEAR = 2026
FAULTS = {errno.ENOSPC: "空间不足", errno.EIO: "拔出", errno.EROFS: "只读", errno.ENOENT: "拔出"}
SIMULATED: list[str] = []  # every fault this module simulated (counted in the summary test at the end)


def _os_fault(code: int) -> Callable[..., Any]:
    def fail(*_a: Any, **_k: Any) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


def _sqlite_full(monkeypatch: pytest.MonkeyPatch, *, after_pages: int = 2) -> None:
    """New SQLite connections to files get a page limit: SQLite itself reports "database or disk is full"."""
    real = sqlite3.connect

    def connect(target: Any, *a: Any, **k: Any) -> sqlite3.Connection:
        conn = real(target, *a, **k)
        if str(target) not in (":memory:",) and not str(target).startswith("file:"):
            conn.execute(f"PRAGMA max_page_count={after_pages}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.rglob("*")
        if ".part" in p.name or p.name.endswith(("-journal", ".loading.sqlite")) or p.name.startswith(".")
    )


def _check(err: BaseException, target: Path, words: str) -> None:
    text = str(err)
    assert str(target) in text, text
    assert words in text, text
    assert "再试" in text  # says what to do
    assert "Traceback" not in text and "Errno" not in text


# ------------------------------------------------------------------------------------------ steps

# Each step of a file write, with how to make it fail.
STEPS: dict[str, Callable[[pytest.MonkeyPatch, int], None]] = {
    "temp-file": lambda mp, code: mp.setattr(tempfile, "mkstemp", _os_fault(code)),
    "fsync": lambda mp, code: mp.setattr(os, "fsync", _os_fault(code)),
    "rename": lambda mp, code: mp.setattr(os, "replace", _os_fault(code)),
}


@pytest.mark.parametrize("code", sorted(FAULTS))
@pytest.mark.parametrize("step", [*STEPS, "sqlite-backup"])
def test_backup_fails_cleanly_at_every_step(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, code: int
) -> None:
    if step == "sqlite-backup" and code != errno.ENOSPC:
        pytest.skip("SQLite's own fault is a full disk")
    folder = tmp_path / "stick"
    folder.mkdir()
    target = folder / "备份.sqlite"
    target.write_bytes(b"the earlier backup")
    with monkeypatch.context() as mp:
        if step == "sqlite-backup":
            _sqlite_full(mp)
        else:
            STEPS[step](mp, code)
        with pytest.raises(WriteFailed) as e:
            ledger.backup(target)
    SIMULATED.append(f"backup/{step}/{code}")
    _check(e.value, target, "空间不足" if step == "sqlite-backup" else FAULTS[code])
    assert "备份没有写成" in str(e.value)
    assert target.read_bytes() == b"the earlier backup"
    assert _leftovers(folder) == []


def _periodic() -> list[tuple[str, str]]:
    return [
        (t.key, fmt)
        for t in registry.templates()
        if t.periodic and not set(t.needs) & {"meeting", "applicant"}
        for fmt in t.formats
    ]


def _body_fault(fmt: str, mp: pytest.MonkeyPatch, code: int) -> None:
    """The renderer itself fails halfway through writing (the stick filled up)."""

    def half(self: Any, target: Any, *a: Any, **k: Any) -> None:
        Path(str(target)).write_bytes(b"half")
        raise OSError(code, os.strerror(code), str(target))

    if fmt == "xlsx":
        import openpyxl

        mp.setattr(openpyxl.Workbook, "save", lambda self, filename: half(self, filename))
    else:
        from reportlab.platypus import SimpleDocTemplate

        def build(self: Any, *a: Any, **k: Any) -> None:
            half(self, self.filename)

        mp.setattr(SimpleDocTemplate, "build", build)


def test_every_template_export_fails_cleanly_at_every_step(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    steps = [*STEPS, "write"]
    codes = sorted(FAULTS)
    for i, (key, fmt) in enumerate(_periodic()):
        step, code = steps[i % len(steps)], codes[(i // len(steps)) % len(codes)]
        target = folder / f"{key}.{fmt}"
        target.write_bytes(b"the earlier export")
        with monkeypatch.context() as mp:
            if step == "write":
                _body_fault(fmt, mp, code)
            else:
                STEPS[step](mp, code)
            with pytest.raises(WriteFailed) as e:
                registry.export(demo_ledger, key, registry.Params(year=YEAR), fmt, target)
        SIMULATED.append(f"export/{key}.{fmt}/{step}/{code}")
        _check(e.value, target, FAULTS[code])
        assert target.read_bytes() == b"the earlier export", key
        assert _leftovers(folder) == [], key


# ------------------------------------------------------------------------------------------ package


@pytest.mark.parametrize("where", ["handover-copy", "rename", "zip"])
def test_package_fails_cleanly_at_its_own_steps(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    out = tmp_path / "stick"
    earlier = package.build_package(demo_ledger, YEAR, out, profile="handover")
    before = (earlier / "manifest.json").read_bytes()
    with monkeypatch.context() as mp:
        if where == "handover-copy":
            _sqlite_full(mp)
        elif where == "rename":
            mp.setattr(os, "rename", _os_fault(errno.ENOENT))
        else:
            mp.setattr(os, "replace", _os_fault(errno.ENOSPC))
        with pytest.raises(package.PackageError) as e:
            package.build_package(
                demo_ledger, YEAR, out, profile="handover", zip_password="pw" if where == "zip" else None
            )
    SIMULATED.append(f"package/{where}")
    text = str(e.value)
    assert str(out) in text and "再试" in text and "没有留下不完整的报送包" in text
    assert (earlier / "manifest.json").read_bytes() == before
    assert package.verify_package(earlier).ok
    assert _leftovers(out) == []
    assert sorted(p.name for p in out.iterdir()) == [earlier.name]


def test_a_template_that_fails_to_build_makes_the_package_incomplete(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    t = registry.get("roster")

    def broken(*_a: Any) -> Any:
        raise ValueError("embedded null character")

    import dataclasses

    monkeypatch.setitem(registry._TEMPLATES, "roster", dataclasses.replace(t, build=broken))
    db = tmp_path / "demo.sqlite"
    demo_ledger.backup(db)
    code = cli.main(["--db", str(db), "package", "--year", str(YEAR), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "不完整" in err and t.title in err and "Traceback" not in err
    folder = next((tmp_path / "out").iterdir())
    check = package.verify_package(folder)
    assert not check.ok and check.status == "incomplete" and check.intact
    assert any(t.title in f for f in check.failed)
    assert "不完整" in check.describe() and "：完整" not in check.describe()
    code = cli.main(["verify-package", str(folder)])
    assert code == 1


# ------------------------------------------------------------------------------------------ the ledger


def test_open_with_a_full_disk_still_opens_and_says_the_snapshot_was_not_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "l.sqlite"
    led = open_ledger(path, create=True)
    members.add(led, members.Member(name="张三"))
    led.close()
    with monkeypatch.context() as mp:
        mp.setattr(tempfile, "mkstemp", _os_fault(errno.ENOSPC))
        led = open_ledger(path)
    SIMULATED.append("open/snapshot")
    try:
        assert led.warnings and "快照没有保存" in led.warnings[0] and "空间不足" in led.warnings[0]
        assert [m.name for m in members.list_members(led)] == ["张三"]
    finally:
        led.close()
    assert list_snapshots(path) == [] and _leftovers(path.parent / "snapshots") == []


def test_a_change_the_disk_will_not_take_leaves_the_ledger_as_it_was(ledger: Ledger) -> None:
    members.add(ledger, members.Member(name="张三"))
    pages = int(ledger.scalar("PRAGMA page_count"))
    ledger.conn.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(WriteFailed) as e:
        members.add(ledger, members.Member(name="李四", notes="长" * 200_000))
    SIMULATED.append("operation/sqlite-full")
    _check(e.value, ledger.path, "空间不足")
    assert "台账保持修改前的样子" in str(e.value)
    assert [m.name for m in members.list_members(ledger)] == ["张三"]


def test_a_new_ledger_on_a_full_disk_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.sqlite"
    with monkeypatch.context() as mp:
        _sqlite_full(mp, after_pages=3)
        with pytest.raises(WriteFailed) as e:
            open_ledger(path, create=True)
    SIMULATED.append("init/sqlite-full")
    _check(e.value, path, "空间不足")
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["new.sqlite.lock"])


def test_migration_snapshot_failure_refuses_and_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    path = tmp_path / "old.sqlite"
    shutil.copyfile(Path(__file__).resolve().parent.parent / "fixtures" / "ledger-v1.sqlite", path)
    before = path.read_bytes()
    with monkeypatch.context() as mp:
        mp.setattr(os, "replace", _os_fault(errno.EROFS))
        with pytest.raises(WriteFailed) as e:
            open_ledger(path)
    SIMULATED.append("open/before-migrate")
    assert "升级前快照没有写成" in str(e.value) and "只读" in str(e.value)
    conn = sqlite3.connect(path)  # not upgraded: still format 1, nothing of it changed but the journal mode
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()
    assert len(before) == path.stat().st_size
    assert _leftovers(tmp_path / "snapshots") == []


# ------------------------------------------------------------------------------------------ command line


@pytest.mark.parametrize("command", ["backup", "dump", "export", "package"])
def test_cli_says_it_in_chinese_and_exits_1(
    demo_ledger: Ledger,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    db = tmp_path / "demo.sqlite"
    demo_ledger.backup(db)
    out = (
        tmp_path
        / "stick"
        / {"backup": "b.sqlite", "dump": "d.json", "export": "r.xlsx", "package": ""}[command]
    )
    args = {
        "backup": ["backup", "--out", str(out)],
        "dump": ["dump", "--out", str(out)],
        "export": ["export", "roster", "--format", "xlsx", "--out", str(out)],
        "package": ["package", "--year", str(YEAR), "--out", str(out)],
    }[command]
    with monkeypatch.context() as mp:
        mp.setattr(os, "fsync", _os_fault(errno.ENOSPC))
        code = cli.main(["--db", str(db), *args, "--json"])
    SIMULATED.append(f"cli/{command}")
    captured = capsys.readouterr()
    assert code == 1
    assert "空间不足" in captured.err and str(out) in captured.err and "Traceback" not in captured.err
    assert '"refused"' in captured.out
    assert _leftovers(tmp_path / "stick") == []


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="POSIX modes; root ignores them")
def test_read_only_folder_is_named(ledger: Ledger, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(WriteFailed) as e:
            ledger.backup(folder / "b.sqlite")
    finally:
        folder.chmod(0o700)
    _check(e.value, folder / "b.sqlite", "只读")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes only (Windows keeps inherited permissions)")
def test_ledger_and_its_copies_are_owner_only(ledger: Ledger, tmp_path: Path) -> None:
    snap = ledger.snapshot("manual")
    backup = ledger.backup(tmp_path / "b" / "backup.sqlite")
    for p in (ledger.path, snap, backup):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def _ledger_cannot_grow(monkeypatch: pytest.MonkeyPatch, ledger_path: Path) -> None:
    """Connections to the ledger may not grow it by a page: the disk is full for the ledger itself."""
    real = sqlite3.connect

    def connect(target: Any, *a: Any, **k: Any) -> sqlite3.Connection:
        conn = real(target, *a, **k)
        if str(target) == str(ledger_path):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={max(pages, 1)}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)


@pytest.mark.parametrize("command", ["load", "import"])
def test_load_and_import_on_a_full_disk_say_so_and_change_nothing(
    ledger: Ledger,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    import datetime as dt

    import resources
    from tests.roster_data import make_id, write_sheet

    path = ledger.path
    ledger.close()
    if command == "load":
        args = ["load", "--replace", str(resources.demo_document())]
    else:
        rows = [
            [
                "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"[i] + "建国",  # names that look like names
                make_id(dt.date(1960, 1, 1 + i), "male", i),
                "男",
                "1990-01-01",
                "1991-01-01",
                "正式党员",
            ]
            for i in range(1, 20)
        ]
        sheet = write_sheet(
            tmp_path / "花名册.xlsx",
            ["姓名", "公民身份号码", "性别", "入党日期", "转正日期", "人员类别"],
            rows,
        )
        args = ["import", "members", str(sheet)]
    before = open_ledger(path, snapshot_on_open=False)
    count = before.scalar("SELECT count(*) FROM ops")
    before.close()
    with monkeypatch.context() as mp:
        _ledger_cannot_grow(mp, path)
        code = cli.main(["--db", str(path), *args])
    SIMULATED.append(f"cli/{command}/sqlite-full")
    out = capsys.readouterr()
    err = out.err
    assert code == 1, out
    assert (
        "空间不足" in err and str(path) in err and "台账保持修改前的样子" in err and "Traceback" not in err
    ), out
    after = open_ledger(path, snapshot_on_open=False)
    try:
        assert after.scalar("SELECT count(*) FROM ops") == count
        assert after.verify()["ok"]
    finally:
        after.close()


def test_zz_fault_count() -> None:
    """The summary: how many faults this module simulated (printed with -s; at least one per write path)."""
    kinds = {s.split("/")[0] for s in SIMULATED}
    print(f"\nfaults simulated: {len(SIMULATED)} ({', '.join(sorted(kinds))})")
    assert len(SIMULATED) >= 40
    assert {"backup", "export", "package", "open", "operation", "cli"} <= kinds
