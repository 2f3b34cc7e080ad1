"""Issue #13 on real widgets: the 党费只报合计 checkbox, and a backup to a full stick said in Chinese."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any


def test_totals_only_checkbox_builds_a_package_without_per_member_amounts(
    qtbot, main_window, tmp_path: Path
) -> None:
    main_window.show_section("package")
    sec = main_window.sections["package"]
    sec.set_target(tmp_path / "stick")
    sec.profile.setCurrentIndex(sec.profile.findData("full"))
    assert not sec.totals_box.isEnabled()
    sec.profile.setCurrentIndex(sec.profile.findData("masked"))
    assert sec.totals_box.isEnabled()
    sec.totals_box.setChecked(True)
    sec.build_btn.click()
    assert "核对无误" in sec.result_title.text()
    manifest = json.loads((sec.last_folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dues_detail"] == "totals"
    assert not {f.get("template") for f in manifest["files"]} & {"dues-base", "dues", "dues-notice"}


def test_backup_to_a_full_stick_is_explained(qtbot, main_window, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "备份.sqlite"
    target.write_bytes(b"earlier")
    monkeypatch.setattr("desktop.mainwindow.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    shown: list[str] = []
    monkeypatch.setattr("desktop.mainwindow.show_error", lambda parent, e, title="": shown.append(str(e)))

    def full(*_a: Any, **_k: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    main_window.backup()
    monkeypatch.undo()
    assert shown and "备份没有写成" in shown[0] and str(target) in shown[0] and "空间不足" in shown[0]
    assert target.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir() if ".part" in p.name) == []
