"""`ledger` as CONTRACT.md §1–2 says: exit codes, JSON on stdout, Chinese messages, no Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import resources

ROOT = Path(__file__).resolve().parent.parent


def ledger(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "exports.cli", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "demo.sqlite"
    r = ledger("--db", str(db), "load", str(resources.demo_document()))
    assert r.returncode == 0, r.stderr
    return db


def test_init_then_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    r = ledger("--db", str(db), "init", "--branch", "中共新建测试支部委员会", "--upper", "园区党委")
    assert r.returncode == 0, r.stderr
    assert "已创建台账" in r.stdout
    r = ledger("--db", str(db), "init", "--branch", "另一个")
    assert r.returncode == 1 and "不会覆盖" in r.stderr


def test_dump_load_round_trip_through_files(demo_db: Path, tmp_path: Path) -> None:
    out1 = tmp_path / "d1.json"
    assert ledger("--db", str(demo_db), "dump", "--out", str(out1)).returncode == 0
    db2 = tmp_path / "two.sqlite"
    assert ledger("--db", str(db2), "load", str(out1)).returncode == 0
    out2 = tmp_path / "d2.json"
    assert ledger("--db", str(db2), "dump", "--out", str(out2)).returncode == 0
    a, b = json.loads(out1.read_text("utf-8")), json.loads(out2.read_text("utf-8"))
    a.pop("exported_at")
    b.pop("exported_at")
    assert a == b


def test_load_refusal_is_exit_1_with_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "branch-ledger", "version": 1, "members": [{"id": "x", "name": "甲"}]}', "utf-8"
    )
    r = ledger("--db", str(tmp_path / "b.sqlite"), "load", str(bad))
    assert r.returncode == 1
    assert "members[0].id" in r.stderr and "bad.json" in r.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', "utf-8")
    r = ledger("--db", str(tmp_path / "c.sqlite"), "load", str(broken))
    assert r.returncode == 1 and "JSON" in r.stderr and "第1行" in r.stderr


def test_check_json_shape(demo_db: Path) -> None:
    r = ledger("--db", str(demo_db), "check", "--as-of", "2026-11-22", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["as_of"] == "2026-11-22"
    for f in doc["findings"]:
        assert set(f) == {"code", "severity", "subject", "period", "due", "message"}
        assert f["severity"] in ("error", "warning", "reminder")
        assert set(f["subject"]) == {"type", "id", "name"}


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert ledger("check", "--as-of", "2026/11/22").returncode == 2
    assert ledger("frobnicate").returncode == 2
    r = ledger(
        "--db", str(tmp_path / "x.sqlite"), "export", "no-such-template", "--format", "pdf", "--out", "x.pdf"
    )
    assert r.returncode in (2, 3)


def test_unopenable_ledger_exits_3(tmp_path: Path, demo_db: Path) -> None:
    r = ledger("--db", str(tmp_path / "missing.sqlite"), "check", "--as-of", "2026-01-01")
    assert r.returncode == 3 and "无法打开台账" in r.stderr
    junk = tmp_path / "junk.sqlite"
    junk.write_text("hello")
    assert ledger("--db", str(junk), "verify").returncode == 3
    # a ledger held open by another process is refused with exit 3 naming the holder
    from db.connection import open_ledger

    held = open_ledger(demo_db)
    try:
        dumped = tmp_path / "d.json"
        dumped.write_text('{"format": "branch-ledger"}', encoding="utf-8")
        r = ledger("--db", str(demo_db), "load", "--replace", str(dumped))
        assert r.returncode == 3 and "正在被使用" in r.stderr
        # commands that only read take no writer's lock: they work while the ledger is open elsewhere
        for args in (("check", "--as-of", "2026-01-01"), ("dump",), ("verify",)):
            r = ledger("--db", str(demo_db), *args)
            assert r.returncode == 0, (args, r.stderr)
        assert demo_db.with_name(demo_db.name + "-wal").exists()  # the writer's side files were left alone
    finally:
        held.close()


def test_export_roster_both_formats(demo_db: Path, tmp_path: Path) -> None:
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"roster.{fmt}"
        r = ledger(
            "--db", str(demo_db), "export", "roster", "--year", "2026", "--format", fmt, "--out", str(out)
        )
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 1000
    assert not list(tmp_path.glob(".*part*")), "no temporary files left behind"


def test_backup_and_verify(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.sqlite"
    r = ledger("--db", str(demo_db), "backup", "--out", str(out), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["backup"] == str(out)
    r = ledger("--db", str(out), "verify", "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["ok"] is True


def test_self_test(tmp_path: Path) -> None:
    r = ledger("--self-test")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "SELF-TEST OK" in r.stdout
