"""报送 and 联络员汇总 (issue 8) on real widgets, offscreen, background work run inline."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from exports import package


def open_section(window: Any) -> Any:
    window.show_section("package")
    return window.sections["package"]


def test_build_package_from_the_section(qtbot, main_window, tmp_path: Path) -> None:
    sec = open_section(main_window)
    sec.set_target(tmp_path / "stick")
    assert sec.year.value() >= 2026
    sec.profile.setCurrentIndex(0)
    assert sec.profile.currentData() == "masked"
    sec.build_btn.click()
    assert sec.result_box.isVisible()
    assert "核对无误" in sec.result_title.text()
    folder = sec.last_folder
    assert folder is not None and folder.parent == tmp_path / "stick" and folder.name.endswith("脱敏版")
    assert package.verify_package(folder).ok
    assert "党员" in sec.result_text.text()
    # building again says a package is already there and replaces it only when whole
    sec.set_target(tmp_path / "stick")
    assert "已有同名报送包" in sec.target_note.text()


def test_zip_password_checked_then_written(qtbot, main_window, tmp_path: Path) -> None:
    sec = open_section(main_window)
    sec.set_target(tmp_path)
    sec.zip_box.setChecked(True)
    sec.password.setText("abc123456")
    sec.password2.setText("abc1234567")
    sec.build_btn.click()
    assert "不一致" in sec.error.text()
    assert not sec.result_box.isVisible()
    sec.password.setText("short")
    sec.password2.setText("short")
    sec.build()
    assert "至少" in sec.error.text()
    sec.password.setText("abc123456")
    sec.password2.setText("abc123456")
    sec.build()
    assert sec.error.text() == ""
    z = sec.last_folder.with_name(sec.last_folder.name + ".zip")
    assert z.is_file()
    assert package.verify_package(z, password="abc123456").ok
    assert "加密压缩包" in sec.result_text.text()


def test_no_target_and_unwritable_target_are_explained(
    qtbot, main_window, tmp_path: Path, monkeypatch
) -> None:
    sec = open_section(main_window)
    sec.target.setEditText("")
    sec.build()
    assert "请选择" in sec.error.text()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(
        "desktop.sections.package.show_error", lambda parent, e, title="": shown.append(str(e))
    )
    sec.set_target(blocker)
    sec.build()
    assert shown and "没有留下不完整的报送包" in shown[0]
    assert sec.build_btn.isEnabled()


def test_verify_action_reports_a_changed_package(qtbot, main_window, tmp_path: Path, monkeypatch) -> None:
    sec = open_section(main_window)
    folder = package.build_package(main_window.ledger, 2026, tmp_path / "p")
    (folder / "index.html").write_text("改过了", encoding="utf-8")
    monkeypatch.setattr(
        "desktop.sections.package.QFileDialog.getExistingDirectory", lambda *a, **k: str(folder)
    )
    sec.verify_folder()
    assert "不完整或已被改动" in sec.result_title.text()
    assert "index.html" in sec.result_text.text()


def test_suggested_drives_never_fail() -> None:
    from desktop.sections.package import suggested_drives

    for d in suggested_drives():
        assert d.path.exists() and ("U盘" in d.label or "其他磁盘" in d.label)


@pytest.fixture
def two_packages(demo_ledger, tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    first = package.build_package(demo_ledger, 2026, tmp_path / "a")
    shutil.copytree(first, inbox / "第一支部")
    shutil.copytree(first, inbox / "被改动的")
    (inbox / "被改动的" / "data.json").write_text("{}", encoding="utf-8")
    package.zip_package(first, inbox / "加密.zip", password="pw123456")
    return inbox


def test_liaison_window_opens_packages_and_exports(
    qtbot, two_packages: Path, tmp_path: Path, sync_tasks, monkeypatch
) -> None:
    from desktop import liaison

    w = liaison.LiaisonWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.empty.isVisible() and not w.xlsx_btn.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(w, "ask_password", lambda p: asked.append(p.name) or "pw123456")
    w.add_paths([two_packages])
    assert asked == ["加密.zip"]
    rows = w.model.rows
    assert len(rows) == 3
    statuses = sorted(r.status for r in rows)
    assert statuses == ["ok", "superseded", "tampered"]  # the zip and the folder are the same package
    assert w.table.isVisible()
    assert "合计 1 个支部" in w.totals.text() and "未计入" in w.totals.text()
    # sortable by a numeric column
    col = [c.title for c in liaison.COLUMNS].index("党员")
    from PySide6.QtCore import Qt

    w.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    out = tmp_path / "汇总"
    offered: list[Path] = []
    monkeypatch.setattr(liaison.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(liaison, "offer_open", lambda parent, path, title="": offered.append(path))
    w.export("xlsx")
    w.export("pdf")
    assert offered == [out.with_suffix(".xlsx"), out.with_suffix(".pdf")]
    assert all(p.is_file() for p in offered)
    w.clear()
    assert w.empty.isVisible()


def test_welcome_offers_the_liaison_window(qtbot, tmp_path: Path) -> None:
    from desktop.welcome import Welcome

    w = Welcome(tmp_path / "ledger.sqlite")
    qtbot.addWidget(w)
    w.liaison_btn.click()
    assert w.liaison_window.isVisible()
    assert w.liaison_window.windowTitle().startswith("联络员汇总")
    qtbot.addWidget(w.liaison_window)


def test_section_opens_the_liaison_window(qtbot, main_window) -> None:
    sec = open_section(main_window)
    sec.liaison_btn.click()
    assert sec._liaison.isVisible()
    qtbot.addWidget(sec._liaison)


def test_handover_built_from_a_read_only_reader(qtbot, main_window, tmp_path: Path) -> None:
    sec = open_section(main_window)
    sec.set_target(tmp_path)
    from desktop.sections.package import PROFILE_CHOICES

    sec.profile.setCurrentIndex([k for k, _ in PROFILE_CHOICES].index("handover"))
    sec.build()
    assert "核对无误" in sec.result_title.text()
    assert list((sec.last_folder / "交接").glob("*.sqlite"))


def test_liaison_fills_a_park_form(qtbot, tmp_path: Path, sync_tasks, monkeypatch) -> None:
    """#20 item 4 in the window: 30 packages opened, a park template filled (a row per branch, totals); a
    template with a branch-only name is refused with its cell and nothing written."""
    from openpyxl import Workbook, load_workbook

    from desktop import liaison
    from tests.exports.test_park_forms import make_package

    inbox = tmp_path / "inbox"
    for i in range(1, 31):
        make_package(inbox / f"p{i:02d}", i)
    w = liaison.LiaisonWindow()
    qtbot.addWidget(w)
    assert not w.form_btn.isEnabled()
    w.add_paths([inbox])
    assert len(w.result.counted) == 30 and w.form_btn.isEnabled()
    tpl = tmp_path / "区报表.xlsx"
    wb = Workbook()
    wb.active["A1"] = "{{ 各支部.名称 }}"
    wb.active["B1"] = "{{ 各支部.党员总数 }}"
    wb.active["A2"] = "合计"
    wb.active["B2"] = "{{ 合计.党员总数 }}"
    wb.save(tpl)
    offered: list[Path] = []
    errors: list[str] = []
    monkeypatch.setattr(liaison, "offer_open", lambda parent, path, title="": offered.append(path))
    monkeypatch.setattr(liaison, "show_error", lambda parent, e, title="": errors.append(str(e)))
    w.fill_form(tpl, tmp_path / "填好.xlsx")
    assert offered == [tmp_path / "填好.xlsx"] and not errors
    ws = load_workbook(offered[0]).active
    assert ws.cell(31, 1).value == "合计" and ws.cell(31, 2).value == sum(10 + i for i in range(1, 31))
    wb.active["C5"] = "{{ 统计.党员总数 }}"
    wb.save(tpl)
    w.fill_form(tpl, tmp_path / "坏.xlsx")
    assert errors and "C5" in errors[0] and "园区字段表" in errors[0]
    assert not (tmp_path / "坏.xlsx").exists()
