"""PySide's per-import "does this module use PySide6" check, answered from the file's bytes: the same answers."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from desktop import pyside_hooks


def _original(module: types.ModuleType) -> bool:
    """PySide's own answer: its check is inspect.getsource(module) and a substring test."""
    import inspect

    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


def _module_from(path: Path, name: str) -> types.ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("source", "encoding"),
    [
        ("from PySide6.QtCore import QObject\n", "utf-8"),
        ("# 说明：不用 Qt\nX = 1\n", "utf-8"),
        ("# -*- coding: gbk -*-\n# 支部台账 PySide6 写在注释里\nX = '党费'\n", "gbk"),
        ("# -*- coding: gbk -*-\nX = '没有'\n", "gbk"),
        ("X = 'PySide2'\n", "utf-8"),
    ],
)
def test_the_quick_check_answers_as_pysides_own(tmp_path: Path, source: str, encoding: str) -> None:
    path = tmp_path / "probe_module.py"
    path.write_bytes(source.encode(encoding))
    module = _module_from(path, "probe_module")
    assert pyside_hooks.quick_uses_pyside(module, _original) == _original(module)


def test_modules_without_a_source_file_go_to_pysides_own_check() -> None:
    asked: list[Any] = []

    def fallback(module: types.ModuleType) -> bool:
        asked.append(module)
        return False

    for module in (sys, types.ModuleType("made_in_memory")):
        assert pyside_hooks.quick_uses_pyside(module, fallback) is False
    assert len(asked) == 2
    gone = types.ModuleType("gone")
    gone.__file__ = "/nowhere/gone.py"
    assert pyside_hooks.quick_uses_pyside(gone, lambda m: "fallback") is True  # a read error: PySide's answer


def test_the_apps_modules_answered_the_same(qapp: Any) -> None:
    import db.findings
    import desktop.mainwindow
    import exports.xlsx

    for module in (desktop.mainwindow, db.findings, exports.xlsx, pyside_hooks, pytest):
        assert pyside_hooks.quick_uses_pyside(module, _original) == _original(module), module.__name__
    assert pyside_hooks.quick_uses_pyside(desktop.mainwindow, _original) is True
    assert pyside_hooks.quick_uses_pyside(db.findings, _original) is False


def test_installed_once_by_make_qapp_and_modules_imported_after_are_recorded(
    qapp: Any, tmp_path: Path
) -> None:
    from desktop.app import make_qapp

    assert make_qapp(["test"]) is qapp
    feature = sys.modules["shibokensupport.feature"]
    installed = feature._mod_uses_pyside
    assert getattr(installed, pyside_hooks.MARK) is True
    assert pyside_hooks.quicken_feature_check() is True
    assert feature._mod_uses_pyside is installed  # not wrapped twice
    # a module imported now goes through the hook, with PySide's meaning: 0 uses PySide, -1 ignore it
    (tmp_path / "bl_probe_qt.py").write_text("from PySide6 import QtCore  # 界面\n", encoding="utf-8")
    (tmp_path / "bl_probe_plain.py").write_text("X = '党费'\n", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        __import__("bl_probe_qt")
        __import__("bl_probe_plain")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("bl_probe_qt", None)
        sys.modules.pop("bl_probe_plain", None)
    table = feature.pyside_feature_dict
    assert table["bl_probe_qt"] == 0
    assert table["bl_probe_plain"] == -1
