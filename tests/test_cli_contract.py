"""`ledger` exactly as CONTRACT.md §2 and §5 say, for every command and every way of getting it wrong (issue #11
part 4): the exit code, no Python traceback ever, with --json exactly one JSON document on stdout (the error
shape for refusals, usage errors and unopenable ledgers), read-only commands that never touch the file they
read, a refused load that leaves nothing behind, Chinese labels, and --quarter/--month followed or refused.

Most cases run `exports.cli.main` in this process (the `ledger` script is exactly that function); a few run
the real command in a subprocess to see what a shell sees.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import resources
from exports import cli

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
CODES = {1: "refused", 2: "usage", 3: "cannot_open"}
DATE_ZH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for off in range(4096 * 2, min(len(data), 4096 * 6)):
        data[off] = 0x5A
    path.write_bytes(bytes(data))


def listing(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): (md5(p) if p.is_file() else "dir") for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files made once: the demo ledger, a damaged copy, an empty ledger, a hand-in package."""
    base = tmp_path_factory.mktemp("originals")
    demo = base / "demo.sqlite"
    assert cli.main(["--db", str(demo), "load", str(resources.demo_document())]) == 0
    damaged = base / "damaged.sqlite"
    shutil.copy(demo, damaged)
    damage(damaged)
    empty = base / "empty.sqlite"
    assert cli.main(["--db", str(empty), "init", "--branch", "中共空白测试支部委员会"]) == 0
    packages = base / "inbox"
    assert cli.main(["--db", str(demo), "package", "--year", "2026", "--out", str(packages)]) == 0
    return {"demo": demo, "damaged": damaged, "empty": empty, "package": next(packages.iterdir())}


@pytest.fixture
def ws(originals: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """Fresh copies for one test (the open-for-work commands may set a damaged file aside)."""
    files = {k: tmp_path / p.name for k, p in originals.items() if k != "package"}
    for k, p in files.items():
        shutil.copy(originals[k], p)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("这不是台账", "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "branch-ledger", "version": 1, "members": [{"id": "x", "name": "甲"}]}', "utf-8"
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', "utf-8")
    not_a_folder = tmp_path / "plain.txt"
    not_a_folder.write_text("x", "utf-8")
    (tmp_path / "emptydir").mkdir()
    return {
        **files,
        "package": originals["package"],
        "junk": junk,
        "bad": bad,
        "broken": broken,
        "plain": not_a_folder,
        "emptydir": tmp_path / "emptydir",
        "missing": tmp_path / "missing.sqlite",
        "out": tmp_path / "out",
    }


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    exit: int
    own_shape: bool = False  # the command's own JSON shape on failure (import members, verify-package)


def C(id: str, argv: str, exit: int, own_shape: bool = False) -> Case:  # noqa: N802, A002
    return Case(id, tuple(argv.split()), exit, own_shape)


# {name} is replaced by the workspace file of that name. Every subcommand is here, each with bad arguments,
# missing ids, missing files and a damaged ledger where it opens one.
CASES = [
    C("no-command", "", 2),
    C("unknown-command", "frobnicate", 2),
    C("unknown-option", "--db {demo} check --bogus", 2),
    C("init-no-branch", "--db {missing} init", 2),
    C("init-exists", "--db {demo} init --branch 甲", 1),
    C("init-under-a-file", "--db {plain}/x.sqlite init --branch 甲", 1),
    C("load-no-file-arg", "--db {missing} load", 2),
    C("load-missing-file", "--db {missing} load {missing}.json", 1),
    C("load-a-folder", "--db {missing} load {emptydir}", 1),
    C("load-bad-field", "--db {missing} load {bad}", 1),
    C("load-broken-json", "--db {missing} load {broken}", 1),
    C("load-not-empty", f"--db {{demo}} load {resources.demo_document()}", 1),
    C("load-damaged", f"--db {{damaged}} load {resources.demo_document()}", 3),
    C("load-junk", f"--db {{junk}} load {resources.demo_document()}", 3),
    C("dump-missing-ledger", "--db {missing} dump", 3),
    C("dump-damaged", "--db {damaged} dump", 3),
    C("dump-junk", "--db {junk} dump", 3),
    C("dump-out-under-a-file", "--db {demo} dump --out {plain}/d.json", 1),
    C("import-what", "--db {demo} import roster x.xlsx", 2),
    C("import-missing-sheet", "--db {empty} import members {missing}.xlsx", 1, own_shape=True),
    C("import-missing-ledger", "--db {missing} import members {bad}", 3),
    C("import-damaged", "--db {damaged} import members {bad}", 3),
    C("check-bad-date", "--db {demo} check --as-of 2026/11/22", 2),
    C("check-impossible-date", "--db {demo} check --as-of 2026-02-30", 2),
    C("check-year-1", "--db {demo} check --as-of 0001-01-01", 2),
    C("check-missing-ledger", "--db {missing} check", 3),
    C("check-damaged", "--db {damaged} check", 3),
    C("check-junk", "--db {junk} check", 3),
    C("dues-no-year", "--db {demo} dues", 2),
    C("dues-bad-year", "--db {demo} dues --year abc", 2),
    C("dues-year-0", "--db {demo} dues --year 0", 2),
    C("dues-year-9999", "--db {demo} dues --year 9999", 2),
    C("dues-missing-ledger", "--db {missing} dues --year 2026", 3),
    C("dues-damaged", "--db {damaged} dues --year 2026", 3),
    C("export-unknown-template", "--db {demo} export nope --format pdf --out {out}.pdf", 2),
    C("export-no-format", "--db {demo} export roster --out {out}.pdf", 2),
    C("export-bad-format", "--db {demo} export roster --format docx --out {out}.docx", 2),
    C("export-needs-year", "--db {demo} export dues --format pdf --out {out}.pdf", 2),
    C("export-needs-meeting", "--db {demo} export meeting-record --format pdf --out {out}.pdf", 2),
    C(
        "export-missing-meeting",
        "--db {demo} export meeting-record --meeting 99999 --format pdf --out {out}.pdf",
        1,
    ),
    C(
        "export-missing-meeting-xlsx",
        "--db {demo} export sign-in --meeting 99999 --format xlsx --out {out}.xlsx",
        1,
    ),
    C("export-negative-meeting", "--db {demo} export sign-in --meeting -1 --format pdf --out {out}.pdf", 1),
    C(
        "export-meeting-not-a-number",
        "--db {demo} export sign-in --meeting abc --format pdf --out {out}.pdf",
        2,
    ),
    C(
        "export-missing-applicant",
        "--db {demo} export applicant-file --applicant 999 --format pdf --out {out}.pdf",
        1,
    ),
    C(
        "export-quarter-refused",
        "--db {demo} export roster --year 2026 --quarter 2 --format pdf --out {out}.pdf",
        2,
    ),
    C(
        "export-bad-quarter",
        "--db {demo} export meetings --year 2026 --quarter 5 --format pdf --out {out}.pdf",
        2,
    ),
    C(
        "export-bad-month",
        "--db {demo} export meetings --year 2026 --month 13 --format pdf --out {out}.pdf",
        2,
    ),
    C(
        "export-quarter-and-month",
        "--db {demo} export meetings --year 2026 --quarter 1 --month 2 --format pdf --out {out}.pdf",
        2,
    ),
    C("export-quarter-no-year", "--db {demo} export development --quarter 1 --format pdf --out {out}.pdf", 2),
    C("export-out-under-a-file", "--db {demo} export roster --format xlsx --out {plain}/r.xlsx", 1),
    C("export-missing-ledger", "--db {missing} export roster --format pdf --out {out}.pdf", 3),
    C("export-damaged", "--db {damaged} export roster --format pdf --out {out}.pdf", 3),
    C("package-no-out", "--db {demo} package --year 2026", 2),
    C("package-bad-profile", "--db {demo} package --year 2026 --out {out} --profile all", 2),
    C("package-out-is-a-file", "--db {demo} package --year 2026 --out {plain}", 1),
    C("package-missing-ledger", "--db {missing} package --year 2026 --out {out}", 3),
    C("package-damaged", "--db {damaged} package --year 2026 --out {out}", 3),
    C("verify-package-no-dir", "verify-package", 2),
    C("verify-package-missing", "verify-package {missing}", 1, own_shape=True),
    C("verify-package-empty-folder", "verify-package {emptydir}", 1, own_shape=True),
    C("aggregate-no-out", "aggregate {package}", 2),
    C("aggregate-no-input", "aggregate --out {out}.xlsx", 2),
    C("aggregate-nothing-counted", "aggregate {missing} {emptydir} {plain} --out {out}.xlsx", 1),
    C("backup-missing-ledger", "--db {missing} backup --out {out}.sqlite", 3),
    C("backup-damaged", "--db {damaged} backup --out {out}.sqlite", 3),
    C("backup-out-under-a-file", "--db {demo} backup --out {plain}/b.sqlite", 1),
    C("verify-missing-ledger", "--db {missing} verify", 3),
    C("verify-junk", "--db {junk} verify", 3),
    C("verify-damaged", "--db {damaged} verify", 3),
    C("verify-a-folder", "--db {emptydir} verify", 3),
]


def _argv(case: Case, ws: dict[str, Path]) -> list[str]:
    return [a.format(**{k: str(v) for k, v in ws.items()}) for a in case.argv]


def _check_error_doc(doc: Any, code: int) -> None:
    assert set(doc) == {"error"}, doc
    e = doc["error"]
    assert set(e) == {"code", "message", "details"}
    assert e["code"] == CODES[code]
    assert isinstance(e["message"], str) and CJK.search(e["message"])
    assert isinstance(e["details"], list)
    for d in e["details"]:
        assert set(d) == {"where", "message"} and all(isinstance(v, str) for v in d.values())


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_command_fails_with_its_exit_code_and_no_traceback(
    case: Case, as_json: bool, ws: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _argv(case, ws) + (["--json"] if as_json else [])
    code, out, err = run(argv, capsys)
    assert code == case.exit, (argv, out, err)
    assert "Traceback" not in out + err
    if as_json:
        doc = json.loads(out)  # exactly one document: json.loads refuses anything after it
        if not case.own_shape:
            _check_error_doc(doc, code)
    else:
        assert CJK.search(err) or (case.own_shape and CJK.search(out)), (out, err)
        if not case.own_shape:
            assert out == "", "a failure prints nothing on stdout"
    assert not list(ws["out"].parent.glob("out*")), "a failed command writes no output"


@pytest.mark.parametrize(
    "argv",
    [
        [
            "--db",
            "{demo}",
            "export",
            "meeting-record",
            "--meeting",
            "99999",
            "--format",
            "pdf",
            "--out",
            "{out}.pdf",
        ],
        [
            "--db",
            "{demo}",
            "export",
            "applicant-file",
            "--applicant",
            "999",
            "--format",
            "xlsx",
            "--out",
            "x.xlsx",
        ],
        ["--db", "{damaged}", "verify", "--json"],
        ["--db", "{missing}", "check", "--json"],
        ["export", "--json"],
        ["aggregate", "{missing}", "--out", "{out}.xlsx", "--json"],
    ],
)
def test_the_real_command_never_ends_in_a_traceback(argv: list[str], ws: dict[str, Path]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "exports.cli",
            *[a.format(**{k: str(v) for k, v in ws.items()}) for a in argv],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert r.returncode in (1, 2, 3)
    assert "Traceback" not in r.stderr + r.stdout
    if "--json" in argv:
        _check_error_doc(json.loads(r.stdout), r.returncode)


def test_an_unforeseen_error_is_reported_not_a_traceback(
    ws: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import findings

    def boom(*a: object, **k: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(findings, "check", boom)
    monkeypatch.delenv("LEDGER_DEBUG", raising=False)
    code, out, err = run(["--db", str(ws["demo"]), "check", "--json"], capsys)
    assert code == 1 and "Traceback" not in err
    doc = json.loads(out)
    assert doc["error"]["code"] == "internal" and "ZeroDivisionError" in doc["error"]["message"]


# ------------------------------------------------------------------------------------------ success, --json


def test_every_reporting_command_prints_one_json_document(
    ws: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(ws["demo"])]
    commands = [
        ["--db", str(tmp_path / "n.sqlite"), "init", "--branch", "中共新支部委员会"],
        ["--db", str(tmp_path / "l.sqlite"), "load", str(resources.demo_document())],
        [*db, "dump", "--out", str(tmp_path / "d.json")],
        [*db, "check", "--as-of", "2026-11-22"],
        [*db, "dues", "--year", "2026"],
        [*db, "export", "roster", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx")],
        [*db, "package", "--year", "2026", "--out", str(tmp_path / "p")],
        ["verify-package", str(ws["package"])],
        ["aggregate", str(ws["package"]), "--out", str(tmp_path / "a.xlsx")],
        [*db, "backup", "--out", str(tmp_path / "b.sqlite")],
        [*db, "verify"],
    ]
    for argv in commands:
        code, out, err = run([*argv, "--json"], capsys)
        assert code == 0, (argv, err)
        doc = json.loads(out)
        # not the error document (verify-package's own shape has "error": null)
        assert isinstance(doc, dict) and not isinstance(doc.get("error"), dict)
    code, out, _ = run([*db, "dump", "--json"], capsys)
    assert code == 0 and json.loads(out)["format"] == "branch-ledger"  # without --out: the document itself


# ------------------------------------------------------------------------------------------ read-only


READ_ONLY = [
    ["check"],
    ["dump"],
    ["dump", "--out", "{out}/d.json"],
    ["dues", "--year", "2026", "--json"],
    ["export", "roster", "--format", "xlsx", "--out", "{out}/r.xlsx"],
    ["export", "development", "--year", "2026", "--quarter", "3", "--format", "pdf", "--out", "{out}/d.pdf"],
    ["package", "--year", "2026", "--out", "{out}/p"],
    ["backup", "--out", "{out}/b.sqlite"],
    ["verify"],
]


def _fill(argv: list[str], out: Path) -> list[str]:
    return [a.replace("{out}", str(out)) for a in argv]


def test_read_only_commands_never_write_the_ledger_or_beside_it(
    ws: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "台账.sqlite"
    shutil.copy(ws["demo"], db)
    before = listing(home)
    for argv in READ_ONLY:
        code, _, err = run(["--db", str(db), *_fill(argv, tmp_path / "outs")], capsys)
        assert code == 0, (argv, err)
        assert listing(home) == before, f"{argv} changed the ledger's folder"


def test_read_only_commands_leave_an_older_ledger_in_its_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    db = tmp_path / "v1.sqlite"
    shutil.copy(ROOT / "tests" / "fixtures" / "ledger-v1.sqlite", db)
    before = listing(tmp_path)
    version = sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0]
    for argv in (
        ["check", "--as-of", "2026-11-22"],
        ["export", "roster", "--format", "xlsx", "--out", "{out}/r.xlsx"],
    ):
        code, _, err = run(["--db", str(db), *_fill(argv, tmp_path / "outs")], capsys)
        assert code == 0, err
    code, out, _ = run(["--db", str(db), "verify", "--json"], capsys)
    assert (
        code == 0 and json.loads(out)["schema_version"] == version
    )  # the file as it is, not a migrated copy
    assert {k: v for k, v in listing(tmp_path).items() if not k.startswith("outs")} == before
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == version


@pytest.mark.parametrize("argv", READ_ONLY, ids=lambda a: "-".join(a[:2]))
def test_a_damaged_ledger_is_reported_and_left_exactly_where_and_as_it_was(
    argv: list[str], ws: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "坏台账.sqlite"
    shutil.copy(ws["damaged"], db)
    before = listing(home)
    code, out, err = run(["--db", str(db), *_fill(argv, tmp_path / "outs"), "--json"], capsys)
    assert code == 3
    assert listing(home) == before, "byte-identical, in place, nothing set aside, no -wal/-shm left"
    doc = json.loads(out)
    _check_error_doc(doc, 3)
    assert "已损坏" in doc["error"]["message"] and "原样" in doc["error"]["message"]
    assert (
        doc["error"]["details"] and len(doc["error"]["message"]) < 400
    )  # the long SQLite report is in details
    assert not (tmp_path / "outs").exists()


def test_opening_a_damaged_ledger_for_work_sets_it_aside_and_says_so(
    ws: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--db", str(ws["damaged"]), "import", "members", str(ws["bad"])], capsys)
    assert code == 3
    assert "另存为" in err
    assert not ws["damaged"].exists()
    assert list(ws["damaged"].parent.glob("damaged.sqlite.damaged-*"))


# ------------------------------------------------------------------------------------------ load


@pytest.mark.parametrize("source", ["bad", "broken", "missing"])
def test_a_refused_load_leaves_no_ledger_file_behind(
    source: str, ws: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "新" / "台账.sqlite"
    code, _, err = run(["--db", str(db), "load", str(ws[source])], capsys)
    assert code == 1, err
    assert list(home.iterdir()) == [], "no ledger, no temporary file, no folder made for it"


@pytest.mark.parametrize("target", ["empty", "demo"])
def test_a_refused_load_leaves_the_old_ledger_byte_identical(
    target: str, ws: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db = ws[target]
    before = md5(db)
    source = ws["bad"] if target == "empty" else resources.demo_document()  # demo: not empty, no --replace
    code, _, err = run(["--db", str(db), "load", str(source)], capsys)
    assert code == 1, err
    assert md5(db) == before
    assert not list(db.parent.glob(db.name + "-*")) and not list(db.parent.glob(db.name + ".damaged*"))


def test_load_says_what_it_loaded_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--db", str(tmp_path / "l.sqlite"), "load", str(resources.demo_document())], capsys)
    assert code == 0
    assert "党员 37" in out and "会议" in out
    assert not re.search(r"[a-z]{3,}_?[a-z]* \d", out.split("：", 1)[1]), out


# ------------------------------------------------------------------------------------------ aggregate


def test_aggregate_of_nothing_countable_exits_1_and_writes_no_table(
    ws: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "park.xlsx"
    code, stdout, err = run(
        ["aggregate", str(ws["emptydir"]), str(ws["missing"]), "--out", str(out), "--json"], capsys
    )
    assert code == 1 and not out.exists()
    doc = json.loads(stdout)
    _check_error_doc(doc, 1)
    assert len(doc["error"]["details"]) == 2
    assert {d["where"] for d in doc["error"]["details"]} == {str(ws["emptydir"]), str(ws["missing"])}
    code, _, _ = run(["aggregate", str(ws["package"]), str(ws["missing"]), "--out", str(out)], capsys)
    assert code == 0 and out.is_file()  # one countable package is enough


# ------------------------------------------------------------------------------------------ Chinese labels


def test_dues_shows_chinese_kind_labels(ws: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from db.rules.dues import KIND_LABELS

    code, out, _ = run(["--db", str(ws["demo"]), "dues", "--year", "2026"], capsys)
    assert code == 0
    rows = out.strip().splitlines()[1:]
    assert len(rows) > 20
    kinds = {line.split("\u3000")[1] for line in rows}
    assert kinds <= set(KIND_LABELS.values()) | {"未核定"}
    assert "在职" in kinds and "年薪制" in kinds
    assert not re.search(r"\b(" + "|".join(KIND_LABELS) + r")\b", out)
    # the JSON keeps the codes (CONTRACT.md §2)
    code, out, _ = run(["--db", str(ws["demo"]), "dues", "--year", "2026", "--json"], capsys)
    assert {m["kind"] for m in json.loads(out)["members"]} <= set(KIND_LABELS) | {None}


# ------------------------------------------------------------------------------------------ --quarter / --month


def _templates() -> list[str]:
    from exports import registry

    return [t.key for t in registry.templates()]


@pytest.fixture(scope="module")
def record_ids(originals: dict[str, Path]) -> Iterator[dict[str, int]]:
    from db.connection import open_ledger_readonly
    from exports import registry

    with open_ledger_readonly(originals["demo"]) as led:
        ids = {}
        for t in registry.templates():
            if t.choices is not None:
                ids[t.key] = t.choices(led)[0][0]
    yield ids


def _zh_dates(report: Any) -> list[dt.date]:
    from exports.report import Table

    found = []
    for b in report.blocks:
        if isinstance(b, Table):
            for row in b.rows:
                for cell in row:
                    if isinstance(cell, dt.date):
                        found.append(cell)
                    elif isinstance(cell, str):
                        found += [dt.date(int(y), int(m), int(d)) for y, m, d in DATE_ZH.findall(cell)]
    return found


@pytest.mark.parametrize("period", [("--quarter", 3), ("--month", 7)], ids=["quarter", "month"])
@pytest.mark.parametrize("key", _templates())
def test_each_template_follows_the_period_or_refuses_it(
    key: str,
    period: tuple[str, int],
    originals: dict[str, Path],
    record_ids: dict[str, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from db.connection import open_ledger_readonly
    from exports import registry

    t = registry.get(key)
    flag, value = period
    name = flag.lstrip("-")
    out = tmp_path / f"{key}.xlsx"
    argv = ["--db", str(originals["demo"]), "export", key, "--year", "2026", flag, str(value)]
    if "meeting" in t.needs:
        argv += ["--meeting", str(record_ids[key])]
    if "applicant" in t.needs:
        argv += ["--applicant", str(record_ids[key])]
    if "transfer" in t.needs:
        argv += ["--transfer", str(record_ids[key])]
    code, _, err = run([*argv, "--format", "xlsx", "--out", str(out)], capsys)
    if name not in t.accepts:
        assert code == 2 and not out.exists()
        assert f"不接受 --{name}" in err and t.title in err
        return
    assert code == 0, err
    params = registry.Params(year=2026, **{name: value})
    start, end = params.period_bounds() or (None, None)
    assert start is not None and end is not None
    label = "2026年第3季度" if name == "quarter" else "2026年7月"
    with open_ledger_readonly(originals["demo"]) as led:
        report = t.build(led, params)
    assert label in report.subtitle
    import openpyxl

    sheet = openpyxl.load_workbook(out).active
    assert any(label in str(c.value) for row in sheet.iter_rows(max_row=4) for c in row if c.value)
    dates = _zh_dates(report)
    assert dates, "the demo has records in the period"
    if key == "meetings":  # one row per meeting of the period
        from exports.report import Table

        table = next(b for b in report.blocks if isinstance(b, Table))
        assert table.rows and all(start <= r[2] <= end for r in table.rows)
    else:  # the record as it stood at the end of the period: nothing later
        assert f"截至{end.year}年{end.month}月{end.day}日" in report.subtitle
        assert max(dates) <= end


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["export", "--help"]])
def test_help_is_in_chinese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's own headings and help option speak Chinese like the rest of the command."""
    with pytest.raises(SystemExit) as e:
        cli.main(argv)
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "显示本帮助并退出" in out
    for english in ("usage:", "positional arguments", "options:", "show this help message"):
        assert english not in out


def test_upgrade_migrates_an_older_ledger_with_a_snapshot_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`upgrade` opens the ledger for work as the app does after an update (the Windows smoke test's upgrade
    step uses it): the older file is migrated, its before-migrate copy kept; a second run has nothing to do."""
    import sqlite3

    from db.migrations import LATEST

    db = tmp_path / "v1.sqlite"
    shutil.copy(ROOT / "tests" / "fixtures" / "ledger-v1.sqlite", db)
    old = sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0]
    assert old < LATEST
    code, out, err = run(["--db", str(db), "upgrade", "--json"], capsys)
    assert code == 0, err
    res = json.loads(out)
    assert (res["from"], res["schema_version"], res["migrated"]) == (old, LATEST, True)
    snap = Path(res["snapshot"])
    assert snap.exists() and sqlite3.connect(snap).execute("PRAGMA user_version").fetchone()[0] == old
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == LATEST
    code, out, _ = run(["--db", str(db), "upgrade"], capsys)
    assert code == 0 and "无需升级" in out
    code, out, _ = run(["--db", str(tmp_path / "nope.sqlite"), "upgrade", "--json"], capsys)
    assert code == 3 and json.loads(out)["error"]["code"] == "cannot_open"
