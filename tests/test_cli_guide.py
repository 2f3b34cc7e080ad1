"""`ledger import guide`, K01/K02 in `check --json`, `export guide-list|project` (issue #19 items 1–2)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.guide_data import sheet_a, sheet_bad
from tests.test_cli import demo_db, ledger  # noqa: F401 - the fixture


def test_import_guide_sheet_and_refusal(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite"
    assert ledger("--db", str(db), "init", "--branch", "中共测试支部委员会").returncode == 0
    r = ledger(
        "--db", str(db), "import", "guide", str(sheet_bad(tmp_path / "bad.xlsx")), "--year", "2026", "--json"
    )
    assert r.returncode == 1
    errors = json.loads(r.stdout)["errors"]
    assert {"row": 3, "column": "月份"}.items() <= errors[0].items()
    r = ledger("--db", str(db), "import", "guide", str(sheet_a(tmp_path / "a.xlsx")), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["imported"] == 13
    r = ledger("--db", str(db), "check", "--as-of", "2026-02-01", "--json")
    found = [f for f in json.loads(r.stdout)["findings"] if f["code"] == "K01"]
    assert [f["period"] for f in found] == ["2026-01"] and found[0]["subject"]["type"] == "guide_item"


def test_demo_shows_k01_and_k02_and_exports(demo_db: Path, tmp_path: Path) -> None:  # noqa: F811
    r = ledger("--db", str(demo_db), "check", "--as-of", "2026-11-22", "--json")
    codes = {(f["code"], f["period"]) for f in json.loads(r.stdout)["findings"] if f["code"][0] == "K"}
    assert codes == {("K01", "2026-08"), ("K02", "2026")}
    for key in ("guide-list", "project"):
        out = tmp_path / f"{key}.pdf"
        r = ledger(
            "--db", str(demo_db), "export", key, "--year", "2026", "--format", "pdf", "--out", str(out)
        )
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 10000
