"""#20 item 4: the liaison's park-level template filled from 30 generated hand-in packages (one row per branch,
park totals, the tampered package listed apart), with the park 字段表's own unknown-name refusal."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook, load_workbook

from exports import aggregate, forms
from exports.forms.park import PARK, fill_park, inspect_park
from exports.package.manifest import FORMAT, VERSION, file_sha256, manifest_checksum

N = 30


def make_package(folder: Path, i: int) -> Path:
    """A whole package as a branch's ledger writes it: data.json listed with its hash, the summary numbers."""
    folder.mkdir(parents=True)
    (folder / "data.json").write_text(json.dumps({"format": "branch-ledger", "n": i}), encoding="utf-8")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "name": folder.name,
        "branch": {
            "name": f"中共星辰园区第{i:02d}企业支部委员会",
            "upper_org": "星辰科技园区党委",
            "park": "星辰",
        },
        "period": {"year": 2026, "label": "2026年度", "as_of": "2026-11-22"},
        "created_at": f"2026-11-{10 + i % 10:02d}T09:00:00",
        "profile": "masked",
        "summary": {
            "members": {"total": 10 + i, "full": 8 + i, "probationary": 2},
            "meetings": {"held": {"assembly": 3, "lecture": 4}, "required": {"assembly": 4, "lecture": 4}},
            "dues": {
                "due": f"{1000 + i}.50",
                "paid": f"{900 + i}.00",
                "remitted": "800.00",
                "arrears_members": 1,
            },
            "development": {"by_stage": {"applicant": 1, "activist": i % 3, "candidate": 1}, "admitted": 1},
            "checklist": {"items": 6, "met": 5},
            "findings": {"error": i % 2, "warning": 1, "reminder": 2},
        },
        "findings": [],
        "failed": [],
        "files": [
            {
                "path": "data.json",
                "size": (folder / "data.json").stat().st_size,
                "sha256": file_sha256(folder / "data.json"),
                "kind": "data",
            }
        ],
    }
    manifest["checksum"] = manifest_checksum(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def result(tmp_path: Path) -> aggregate.AggregateResult:
    inbox = tmp_path / "inbox"
    paths = [make_package(inbox / f"pkg{i:02d}", i) for i in range(1, N + 1)]
    (paths[6] / "data.json").write_text("tampered", encoding="utf-8")  # one package changed after it was made
    return aggregate.collect([inbox])


def park_template(path: Path, extra: str = "") -> Path:
    """The liaison's report to the district: merged title, a row per branch, the park's totals, the rest."""
    wb = Workbook()
    ws = wb.active
    ws.title = "园区汇总"
    ws["A1"] = "星辰科技园区{{ 汇总.年度 }}年度党支部工作情况汇总表"
    ws.merge_cells("A1:G1")
    ws["A2"] = (
        "共 {{ 汇总.支部数 }} 个支部（收到报送包 {{ 汇总.报送包数 }} 个）　汇总日期：{{ 汇总.汇总日期 }}"
    )
    ws.merge_cells("A2:G2")
    for c, h in enumerate(["序号", "党支部", "党员", "预备", "三会一课已开/应开", "党费实交", "问题"], 1):
        ws.cell(3, c, h)
    row = ["序号", "名称", "党员总数", "预备党员", None, "党费实交", "问题数"]
    for c, f in enumerate(row, 1):
        if f:
            ws.cell(4, c, "{{ 各支部." + f + " }}")
    ws["E4"] = "{{ 各支部.三会一课已开 }}/{{ 各支部.三会一课应开 }}"
    ws["A5"] = "合计"
    ws.merge_cells("A5:B5")
    ws["C5"] = "{{ 合计.党员总数 }}"
    ws["D5"] = "=SUM(D4:D4)"
    ws["F5"] = "{{ 合计.党费实交 }}"
    ws["A7"] = "{{ 未计入.名称 }}"
    ws["B7"] = "{{ 未计入.状态 }}"
    if extra:
        ws["G9"] = extra
    wb.save(path)
    return path


def test_the_park_form_is_filled_from_30_packages(result: aggregate.AggregateResult, tmp_path: Path) -> None:
    assert len(result.rows) == N and len(result.counted) == N - 1
    out = tmp_path / "汇总.xlsx"
    filled = fill_park(result, park_template(tmp_path / "t.xlsx"), out)
    ws = load_workbook(out).active
    n = N - 1
    assert filled.rows == n + 1  # the branches and the one package set aside
    assert ws["A1"].value == "星辰科技园区2026年度党支部工作情况汇总表"
    assert ws["A2"].value.startswith(f"共 {n} 个支部（收到报送包 {N} 个）")
    counted = sorted(result.counted, key=lambda r: r.branch)
    assert [ws.cell(4 + k, 2).value for k in range(n)] == [r.branch for r in counted]
    assert [ws.cell(4 + k, 1).value for k in range(n)] == list(range(1, n + 1))
    assert ws.cell(4, 3).value == counted[0].members and isinstance(ws.cell(4, 3).value, int)
    assert ws.cell(4, 5).value == "7/8"
    total = 4 + n
    assert ws.cell(total, 1).value == "合计" and f"A{total}:B{total}" in {
        str(m) for m in ws.merged_cells.ranges
    }
    assert ws.cell(total, 3).value == sum(r.members or 0 for r in counted)
    assert ws.cell(total, 4).value == f"=SUM(D4:D{total - 1})"
    assert Decimal(str(ws.cell(total, 6).value)) == sum(
        (r.dues_paid or Decimal(0) for r in counted), Decimal(0)
    )
    assert ws.cell(total + 2, 1).value == "中共星辰园区第07企业支部委员会"
    assert ws.cell(total + 2, 2).value == "文件被改动，未计入"


def test_a_park_word_form(result: aggregate.AggregateResult, tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("园区共 {{ 汇总.支部数 }} 个支部，党员 {{ 合计.党员总数 }} 名。")
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "{%tr for b in 各支部 %}"
    t.cell(1, 0).text = "{{ b.名称 }}"
    t.cell(1, 1).text = "{{ b.党员总数 }}"
    t.cell(2, 0).text = "{%tr endfor %}"
    d.save(str(tmp_path / "t.docx"))
    fill_park(result, tmp_path / "t.docx", tmp_path / "o.docx")
    out = docx.Document(str(tmp_path / "o.docx"))
    assert out.paragraphs[0].text.startswith(f"园区共 {N - 1} 个支部")
    assert len(out.tables[0].rows) == N - 1


def test_unknown_and_branch_only_names_are_refused_with_their_cell(
    result: aggregate.AggregateResult, tmp_path: Path
) -> None:
    usage = inspect_park(park_template(tmp_path / "t.xlsx", "{{ 统计.党员总数 }}"))
    assert usage.problems[0][0] == "工作表“园区汇总”G9" and "园区字段表" in usage.problems[0][1]
    with pytest.raises(forms.FormError) as e:
        fill_park(result, park_template(tmp_path / "t2.xlsx", "{{ 合计.党员人数 }}"), tmp_path / "o.xlsx")
    assert e.value.problems[0][0] == "工作表“园区汇总”G9" and "合计.党员总数" in e.value.problems[0][1]
    assert not (tmp_path / "o.xlsx").exists()
    with pytest.raises(forms.FormError):
        fill_park(result, park_template(tmp_path / "t3.xlsx", "{{ 合计.__class__ }}"), tmp_path / "o.xlsx")


def test_every_park_field_has_a_value_and_is_documented(result: aggregate.AggregateResult) -> None:
    from exports.forms.park import park_context

    ctx = park_context(result)
    doc = (Path(__file__).resolve().parents[2] / "docs" / "forms.md").read_text(encoding="utf-8")
    for f in PARK.fields:
        assert f"`{f.path}`" in doc, f.path
        node = ctx
        parts = f.path.split(".")
        lst = PARK.list_of(f.path)
        if lst:
            node = ctx[lst][0]
            parts = f.path[len(lst) + 1 :].split(".")
        for p in parts:
            node = node[p]
