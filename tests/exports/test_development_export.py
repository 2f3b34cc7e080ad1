"""`development` 发展党员工作台账 and `applicant-file` 纪实表: read back from xlsx and pdf; one page looked at as PNG."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db import development as dev
from db.connection import Ledger
from db.rules import idcard
from exports import registry
from exports.templates.development import LEDGER_COLUMNS
from tests.db.test_development import id_number, new_applicant, roster, walk  # noqa: F401 - fixture reused

D = dt.date


def _texts(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    )


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.fixture
def people(ledger: Ledger, roster: list[int]) -> list[int]:  # noqa: F811 - the fixture imported above
    a = new_applicant(ledger)
    walk(ledger, a, roster)
    b = dev.add_applicant(
        ledger, dev.Applicant(name="李四", id_number=id_number(D(1996, 7, 7), male=False)), D(2024, 3, 1)
    )
    dev.record_step(ledger, b, "talked", D(2024, 3, 20), actor="党员0")
    return [a, b]


def test_templates_registered() -> None:
    keys = {t.key: t for t in registry.templates()}
    assert keys["development"].title == "发展党员工作台账"
    f = keys["applicant-file"]
    assert f.needs == ("applicant",) and f.choices is dev.applicant_choices and "公民身份号码" in f.sensitive


def test_development_ledger_xlsx_and_pdf(ledger: Ledger, people: list[int], tmp_path: Path) -> None:
    out = registry.export(ledger, "development", registry.Params(year=2024), "xlsx", tmp_path / "dev.xlsx")
    text = _texts(out)
    for want in (
        "发展党员工作台账",
        "张三",
        "李四",
        "2022年1月10日",
        "2023年8月1日",
        "应到9",
        "党员0、党员1",
        "已转正",
        "申请人",
    ):
        assert want in text, want
    assert "310117" not in text  # the 台账 carries no ID numbers
    pdf = registry.export(ledger, "development", registry.Params(year=2024), "pdf", tmp_path / "dev.pdf")
    t = _pdf_text(pdf)
    assert "发展党员工作台账" in t and "张三" in t
    # a year before anyone applied lists nobody
    rows = registry.get("development").build(ledger, registry.Params(year=2020)).blocks[0]
    assert rows.rows == []  # type: ignore[union-attr]


def test_applicant_file_all_25_steps_masked(ledger: Ledger, people: list[int], tmp_path: Path) -> None:
    a = dev.get_applicant(ledger, people[0])
    full = registry.export(
        ledger, "applicant-file", registry.Params(applicant_id=people[0]), "xlsx", tmp_path / "file.xlsx"
    )
    text = _texts(full)
    assert a.id_number and a.id_number in text
    for step in (
        "递交入党申请书",
        "党组织派人谈话",
        "确定入党积极分子",
        "集中培训",
        "支部大会讨论接收",
        "材料归档",
    ):
        assert step in text
    assert "志愿书编号 2023001" in text and "结论：合格" in text and "2023年6月1日至2023年6月3日" in text
    masked = registry.export(
        ledger,
        "applicant-file",
        registry.Params(applicant_id=people[0], masked=True),
        "pdf",
        tmp_path / "file.pdf",
    )
    t = _pdf_text(masked)
    assert a.id_number not in t.replace(" ", "") and "发展党员纪实表" in t and "张三" in t
    # Not even the masked ends: next to the birth date they leave only a few hundred candidates.
    assert idcard.mask(a.id_number) not in t and "公民身份号码" not in t


def test_applicant_file_of_an_open_record_shows_deadlines(
    ledger: Ledger, people: list[int], tmp_path: Path
) -> None:
    report = registry.get("applicant-file").build(
        ledger, registry.Params(applicant_id=people[1], as_of=D(2024, 4, 1))
    )
    rows = report.blocks[1].rows  # type: ignore[union-attr]
    assert len({r[0] for r in rows if r[0] != ""}) == 25
    activist = next(r for r in rows if r[1] == "确定入党积极分子")
    assert activist[2] == "待办理" and "最早 2024年6月1日" in activist[6]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler not installed")
def test_applicant_file_page_renders(ledger: Ledger, people: list[int], tmp_path: Path) -> None:
    pdf = registry.export(
        ledger,
        "applicant-file",
        registry.Params(applicant_id=people[0], masked=True),
        "pdf",
        tmp_path / "f.pdf",
    )
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    pngs = sorted(tmp_path.glob("page*.png"))
    assert pngs and pngs[0].stat().st_size > 20_000


def test_development_ledger_pdf_is_two_readable_tables(
    ledger: Ledger, people: list[int], tmp_path: Path
) -> None:
    """RULES.md §6.4's 25 columns print as two tables of the same people (up to 积极分子; from 发展对象 on) at
    7 pt or more, so a date stays on one line; every column is still there, in the xlsx too; no rule ids."""
    from exports.report import Table

    report = registry.get("development").build(ledger, registry.Params(year=2024))
    tables = [b for b in report.blocks if isinstance(b, Table)]
    assert [t.heading for t in tables] == [
        "一、基本情况，入党申请人、入党积极分子阶段",
        "二、发展对象、预备党员阶段",
    ]
    assert all((t.font_size or 0) >= 7 for t in tables)
    titles = [c.title for t in tables for c in t.columns]
    assert set(titles) == {c.title for c in LEDGER_COLUMNS}
    assert all(t.rows[1][1] == "李四" for t in tables)  # the same people in both, by 序号 and 姓名
    pdf = registry.export(ledger, "development", registry.Params(year=2024), "pdf", tmp_path / "dev.pdf")
    text = _pdf_text(pdf)
    assert "2022年1月10日" in text and "D28" not in text
    xlsx = _texts(
        registry.export(ledger, "development", registry.Params(year=2024), "xlsx", tmp_path / "d.xlsx")
    )
    for title in titles:
        assert title in xlsx, title
