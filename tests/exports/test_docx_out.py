"""#20 item 5: the Word versions of the meeting record and the handover list — the same content as the PDF, fonts
named for Chinese Office/WPS (w:eastAsia), opened with python-docx and rendered to PDF by LibreOffice headless
(skipped where soffice is not installed) and to PNG with pdftoppm, to be looked at."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import resources
from db.connection import Ledger
from exports import package, registry
from exports.registry import Params

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def east_asian_fonts(path: Path) -> set[str]:
    d = docx.Document(str(path))
    found = set()
    for el in d.element.body.iter(qn("w:rFonts")):
        v = el.get(qn("w:eastAsia"))
        if v:
            found.add(v)
    normal = d.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))
    return found | {normal}


def all_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def render(docx_path: Path, out: Path) -> list[Path]:
    """LibreOffice → PDF → PNG pages (the project's CJK fonts in a private HOME, so nothing shows as boxes)."""
    if not SOFFICE or not PDFTOPPM:
        pytest.skip("LibreOffice (soffice) 或 pdftoppm 未安装")
    home = out / "home"
    (home / ".fonts").mkdir(parents=True, exist_ok=True)
    for f in resources.path("fonts").glob("*.ttf"):
        shutil.copy(f, home / ".fonts" / f.name)
    env = {**os.environ, "HOME": str(home)}
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{home}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=240,
    )
    pdf = out / (docx_path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    subprocess.run(
        [PDFTOPPM, "-r", "60", "-png", str(pdf), str(out / docx_path.stem)], check=True, timeout=60
    )
    pages = sorted(out.glob(f"{docx_path.stem}*.png"))
    assert pages
    return pages


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def test_the_meeting_record_in_word(demo_ledger: Ledger, tmp_path: Path) -> None:
    t = registry.get("meeting-record")
    assert "docx" in t.formats
    mid = t.choices(demo_ledger)[3][0]  # type: ignore[misc]
    out = registry.export(
        demo_ledger, "meeting-record", Params(meeting_id=mid), "docx", tmp_path / "会议记录.docx"
    )
    report = t.build(demo_ledger, Params(meeting_id=mid))
    text = all_text(out)
    assert report.title in text and report.subtitle in text
    from exports.report import KeyValues, Table

    for block in report.blocks:  # the same content as the PDF: every key, every row's first cell
        if isinstance(block, KeyValues):
            assert all(str(k) in text for k, _v in block.pairs)
        if isinstance(block, Table) and block.rows:
            assert all(str(r[1]) in text for r in block.rows if r[1])
    assert {"仿宋", "宋体", "黑体"} <= east_asian_fonts(out)
    pages = render(out, tmp_path / "lo")
    assert "会议记录" in pdf_text(tmp_path / "lo" / "会议记录.pdf")
    print("PNG:", *pages)


def test_the_handover_list_in_word_beside_the_pdf(demo_ledger: Ledger, tmp_path: Path) -> None:
    folder = package.build_package(demo_ledger, 2026, tmp_path / "out", profile="handover")
    assert package.verify_package(folder).ok
    word = folder / "交接" / "交接清单.docx"
    assert word.exists() and (folder / "交接" / "交接清单.pdf").exists()
    text = all_text(word)
    assert "支部书记工作交接清单" in text and "原书记" in text and "监交人" in text
    for heading in ("一、尚未解决的问题与提醒", "二、发展党员待办步骤", "五、移交的材料"):
        assert heading in text  # the PDF's sections, in the same order
    assert {"仿宋", "宋体", "黑体"} <= east_asian_fonts(word)
    pages = render(word, tmp_path / "lo")
    print("PNG:", *pages)
