"""Form packs (表格包): three real-looking forms in one .zip with a manifest, filled at once and read back."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import Workbook, load_workbook

from db import development, members
from db.connection import Ledger
from exports import forms
from exports.forms.pack import fill_pack, read_pack
from exports.registry import Params

ROOT = Path(__file__).resolve().parents[2]


def _basic(path: Path) -> None:
    """园区党组织基本情况统计表: merged title, a repeating member table, totals below."""
    wb = Workbook()
    ws = wb.active
    ws.title = "基本情况"
    ws["A1"] = "园区党组织基本情况统计表"
    ws.merge_cells("A1:E1")
    ws["A2"] = "填报单位：{{ 支部.名称 }}"
    ws.merge_cells("A2:E2")
    for col, h in zip("ABCDE", ["序号", "姓名", "性别", "人员类别", "公民身份号码"], strict=True):
        ws[f"{col}3"] = h
    for col, f in zip("ABCDE", ["序号", "姓名", "性别", "人员类别", "身份证号"], strict=True):
        ws[f"{col}4"] = "{{ 党员." + f + " }}"
    ws["A5"] = "党员总数"
    ws["C5"] = "{{ 统计.党员总数 }}"
    ws.merge_cells("A5:B5")
    wb.save(path)


def _quarterly(path: Path, extra: str = "") -> None:
    """季度工作报表: figures of the quarter."""
    wb = Workbook()
    ws = wb.active
    ws.title = "季度报表"
    ws["A1"] = "{{ 期间.名称 }}支部工作报表"
    ws.merge_cells("A1:D1")
    rows = [
        ("支部党员大会", "{{ 会议.本期.支部党员大会.次数 }}"),
        ("支部委员会", "{{ 会议.本期.支部委员会.次数 }}"),
        ("主题党日", "{{ 会议.本期.主题党日.次数 }}"),
        ("党课", "{{ 会议.本期.党课.次数 }}"),
        ("本年实交党费（元）", "{{ 党费.本年实交 }}"),
        ("发展对象", "{{ 发展.发展对象 }}"),
    ]
    for i, (label, value) in enumerate(rows, 2):
        ws[f"A{i}"] = label
        ws[f"B{i}"] = value
    if extra:
        ws["B12"] = extra
    wb.save(path)


def _report(path: Path) -> None:
    """年度述职评议表 (Word)."""
    d = docx.Document()
    d.add_paragraph("{{ 支部.名称 }}{{ 期间.年度 }}年度书记述职评议表")
    d.add_paragraph(
        "本年度开展主题党日 {{ 会议.本年.主题党日.次数 }} 次，接收预备党员 {{ 发展.本年接收预备党员 }} 名。"
    )
    t = d.add_table(rows=4, cols=2)
    t.cell(0, 0).text = "姓名"
    t.cell(0, 1).text = "阶段"
    t.cell(1, 0).text = "{%tr for 人 in 发展.名单 %}"
    t.cell(2, 0).text = "{{ 人.姓名 }}"
    t.cell(2, 1).text = "{{ 人.阶段 }}"
    t.cell(3, 0).text = "{%tr endfor %}"
    d.save(str(path))


MANIFEST: dict[str, Any] = {
    "format": "branch-ledger-form-pack",
    "version": 1,
    "name": "星辰园区2026年报表",
    "issuer": "星辰园区党委",
    "forms": [
        {"file": "基本情况.xlsx", "title": "园区党组织基本情况统计表", "period": "year", "due_day": 15},
        {"file": "季度报表.xlsx", "title": "季度工作报表", "period": "quarter", "due_day": 10},
        {"file": "述职.docx", "title": "年度述职评议表", "period": "year", "due_day": 20, "profile": "full"},
    ],
}


def make_pack(tmp: Path, manifest: dict[str, Any] | None = None, extra: str = "") -> Path:
    src = tmp / "src"
    src.mkdir(exist_ok=True)
    _basic(src / "基本情况.xlsx")
    _quarterly(src / "季度报表.xlsx", extra)
    _report(src / "述职.docx")
    pack = tmp / "pack.zip"
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest or MANIFEST, ensure_ascii=False))
        for name in ("基本情况.xlsx", "季度报表.xlsx", "述职.docx"):
            zf.write(src / name, name)
    return pack


def test_a_pack_of_three_forms_is_filled_and_read_back(demo_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "报表"
    result = fill_pack(demo_ledger, make_pack(tmp_path), out, Params(year=2026, quarter=3))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["园区党组织基本情况统计表.xlsx", "季度工作报表.xlsx", "年度述职评议表.docx", "清单.json"]
    listing = json.loads((out / "清单.json").read_text(encoding="utf-8"))
    assert listing["pack"] == "星辰园区2026年报表" and listing["as_of"] == "2026-09-30"
    assert [(f["title"], f["due"], f["profile"]) for f in listing["forms"]] == [
        ("园区党组织基本情况统计表", "2027-01-15", "脱敏"),
        ("季度工作报表", "2026-10-10", "脱敏"),
        ("年度述职评议表", "2027-01-20", "完整"),
    ]
    # the annual forms stand on the year's end (here: today), the quarterly one on 30 September
    roster = members.roster_on(demo_ledger, dt.date(2026, 11, 22))
    ws = load_workbook(out / "园区党组织基本情况统计表.xlsx").active
    assert ws["A1"].value == "园区党组织基本情况统计表" and "A1:E1" in {
        str(m) for m in ws.merged_cells.ranges
    }
    assert [ws.cell(4 + k, 2).value for k in range(len(roster))] == [r.member.name for r in roster]
    assert ws.cell(4 + len(roster), 3).value == len(roster)
    ids = {m.id_number for m in members.list_members(demo_ledger) if m.id_number}
    text = " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    assert ids and not [i for i in ids if i in text]
    q = load_workbook(out / "季度工作报表.xlsx").active
    assert q["A1"].value == "2026年第3季度支部工作报表"
    assert isinstance(q["B4"].value, int) and q["B4"].value >= 1  # 主题党日 held in Q3
    assert isinstance(q["B6"].value, float)
    d = docx.Document(str(out / "年度述职评议表.docx"))
    assert d.paragraphs[0].text.endswith("2026年度书记述职评议表")
    in_process = [a for a in development.list_applicants(demo_ledger) if a.stage != "stopped"]
    assert len(d.tables[0].rows) - 1 >= 1 and len(d.tables[0].rows) - 1 <= len(in_process)
    assert [f.title for f, _r, _d in result.filled] == [f["title"] for f in MANIFEST["forms"]]


def test_one_unknown_field_refuses_the_whole_pack(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "报表"
    with pytest.raises(forms.FormError) as e:
        fill_pack(
            ledger,
            make_pack(tmp_path, extra="{{ 会议.本期.主题党日.次 }}"),
            out,
            Params(year=2026, quarter=3),
        )
    assert e.value.problems[0][0] == "“季度工作报表”（季度报表.xlsx）工作表“季度报表”B12"
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".pack-")]


def test_a_bad_manifest_is_refused_with_json_paths(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(MANIFEST))
    bad["forms"][0]["period"] = "month"
    bad["forms"][1]["file"] = "../季度报表.xlsx"
    bad["forms"][2]["due_day"] = 31
    with pytest.raises(forms.FormError) as e:
        read_pack(make_pack(tmp_path, bad))
    assert [w for w, _m in e.value.problems] == [
        "manifest.json $.forms[0].period",
        "manifest.json $.forms[1].file",
        "manifest.json $.forms[2].due_day",
    ]
    (tmp_path / "x.zip").write_bytes(b"nope")
    with pytest.raises(forms.FormError, match="不是表格包"):
        read_pack(tmp_path / "x.zip")


def test_a_quarterly_form_needs_the_quarter(ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(forms.FormError, match="季度工作报表"):
        fill_pack(ledger, make_pack(tmp_path), tmp_path / "out", Params(year=2026))


def test_cli_form_pack(demo_ledger: Ledger, tmp_path: Path) -> None:
    db = str(demo_ledger.path)
    pack = make_pack(tmp_path)
    demo_ledger.close()
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    cmd = [sys.executable, "-m", "exports.cli", "--db", db, "form", "pack", str(pack), "--year", "2026"]
    r = subprocess.run(
        [*cmd, "--quarter", "4", "--out", str(tmp_path / "o"), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [f["due"] for f in doc["forms"]] == ["2027-01-15", "2027-01-10", "2027-01-20"]
    r = subprocess.run(
        [*cmd, "--quarter", "4", "--out", str(tmp_path / "o"), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 1 and json.loads(r.stdout)["error"]["details"][0]["message"].startswith(
        "输出文件夹已存在"
    )
