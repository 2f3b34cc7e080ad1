"""`ledger` and a password-protected ledger (issue #21, CONTRACT §5): --password-file / LEDGER_PASSWORD,
`password set|change|remove`, exit 3 saying the ledger is password-protected, never a password in argv."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import resources
from exports import cli

ROOT = Path(__file__).resolve().parent.parent
PW, PW2 = "secret-2026", "another-2027"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def pwfiles(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "pw.txt", tmp_path / "pw2.txt"
    a.write_text(PW + "\n", encoding="utf-8")
    b.write_text(PW2 + "\r\n", encoding="utf-8")
    return a, b


@pytest.fixture
def enc_db(tmp_path: Path, pwfiles: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "enc.sqlite"
    code, _, err = run(
        ["--db", str(db), "--password-file", str(pwfiles[0]), "load", str(resources.demo_document())], capsys
    )
    assert code == 0, err
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    return db


COMMANDS = [
    ["check", "--as-of", "2026-11-22"],
    ["dump"],
    ["dues", "--year", "2026"],
    ["export", "roster", "--year", "2026", "--format", "xlsx", "--out", "OUT/r.xlsx"],
    ["package", "--year", "2026", "--out", "OUT/pkg"],
    ["backup", "--out", "OUT/b.sqlite"],
    ["verify"],
    ["import", "members", "NOFILE.xlsx", "--dry-run"],
    ["password", "remove"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] + (c[1] if c[0] == "import" else ""))
def test_without_the_password_every_command_exits_3(
    enc_db: Path, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.delenv("LEDGER_PASSWORD", raising=False)
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in command]
    if command[0] == "import":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["姓名"])
        wb.save(tmp_path / "m.xlsx")
        argv[2] = str(tmp_path / "m.xlsx")
    before = enc_db.read_bytes()
    code, out, err = run(["--db", str(enc_db), *argv], capsys)
    assert code == 3, (out, err)
    assert "密码" in err and ("设有密码" in err or "已加密" in err)
    assert "损坏" not in err.replace("这不是损坏", "")
    assert enc_db.read_bytes() == before
    assert not (tmp_path / "out").exists()
    code, out, _ = run(["--db", str(enc_db), *argv, "--json"], capsys)
    assert code == 3
    doc = json.loads(out)
    assert doc["error"]["code"] == "cannot_open" and "密码" in doc["error"]["message"]
    # a wrong password: exit 3 as well, saying so
    monkeypatch.setenv("LEDGER_PASSWORD", "wrong-one")
    code, _, err = run(["--db", str(enc_db), *argv], capsys)
    assert code == 3 and "密码不正确" in err
    assert enc_db.read_bytes() == before


def test_verify_says_encrypted_not_damaged(
    enc_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.delenv("LEDGER_PASSWORD", raising=False)
    code, _, err = run(["--db", str(enc_db), "verify"], capsys)
    assert code == 3 and "已加密" in err and "这不是损坏" in err
    monkeypatch.setenv("LEDGER_PASSWORD", PW)
    code, out, _ = run(["--db", str(enc_db), "verify", "--json"], capsys)
    assert code == 0 and json.loads(out)["ok"] is True


def test_password_from_file_or_environment(
    enc_db: Path, pwfiles: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.delenv("LEDGER_PASSWORD", raising=False)
    code, out, _ = run(["--db", str(enc_db), "--password-file", str(pwfiles[0]), "check", "--json"], capsys)
    assert code == 0 and "findings" in json.loads(out)
    monkeypatch.setenv("LEDGER_PASSWORD", PW)
    code, out, _ = run(["--db", str(enc_db), "dues", "--year", "2026", "--json"], capsys)
    assert code == 0 and json.loads(out)["members"]
    code, _, err = run(
        ["--db", str(enc_db), "--password-file", str(pwfiles[0].with_name("no.txt")), "dump"], capsys
    )
    assert code == 2 and "找不到这个文件" in err


def test_set_change_remove(tmp_path: Path, pwfiles: tuple[Path, Path], capsys, monkeypatch) -> None:
    monkeypatch.delenv("LEDGER_PASSWORD", raising=False)
    monkeypatch.delenv("LEDGER_NEW_PASSWORD", raising=False)
    db = tmp_path / "p.sqlite"
    assert run(["--db", str(db), "init", "--branch", "测试支部"], capsys)[0] == 0
    code, _, err = run(["--db", str(db), "password", "set"], capsys)
    assert code == 2 and "新密码" in err
    monkeypatch.setenv("LEDGER_NEW_PASSWORD", "short")
    code, _, err = run(["--db", str(db), "password", "set"], capsys)
    assert code == 1 and "至少" in err
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"
    code, out, _ = run(
        ["--db", str(db), "password", "set", "--new-password-file", str(pwfiles[0]), "--json"], capsys
    )
    assert code == 0 and json.loads(out) == {"path": str(db.absolute()), "action": "set", "encrypted": True}
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    code, _, err = run(
        ["--db", str(db), "password", "change", "--new-password-file", str(pwfiles[1])], capsys
    )
    assert code == 3 and "设有密码" in err
    args = ["--db", str(db), "--password-file", str(pwfiles[0])]
    code, _, err = run([*args, "password", "change", "--new-password-file", str(pwfiles[1])], capsys)
    assert code == 0, err
    assert run([*args, "check"], capsys)[0] == 3
    monkeypatch.setenv("LEDGER_PASSWORD", PW2)
    code, out, _ = run(["--db", str(db), "password", "remove", "--json"], capsys)
    assert code == 0 and json.loads(out)["encrypted"] is False
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"


def test_a_plain_ledger_ignores_a_password(tmp_path: Path, capsys, monkeypatch) -> None:
    db = tmp_path / "plain.sqlite"
    assert run(["--db", str(db), "init", "--branch", "测试支部"], capsys)[0] == 0
    monkeypatch.setenv("LEDGER_PASSWORD", PW)
    code, out, _ = run(["--db", str(db), "verify", "--json"], capsys)
    assert code == 0 and json.loads(out)["ok"]
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"


def test_the_real_command_in_a_shell(enc_db: Path, tmp_path: Path) -> None:
    """What a script sees: exit 3 and the Chinese sentence on stderr, no traceback."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", "BRANCH_LEDGER_TODAY": "2026-11-22"}
    proc = subprocess.run(
        [sys.executable, "-m", "exports.cli", "--db", str(enc_db), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 3
    assert "设有密码" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "exports.cli", "--db", str(enc_db), "check", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "LEDGER_PASSWORD": PW},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["as_of"] == "2026-11-22"
