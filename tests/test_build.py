"""The build files: build.spec (run with stand-ins for PyInstaller's classes, so in milliseconds), the portable
zip, and the NSIS script (compiled only where makensis is installed). The real bundle is checked by
`make dist && make dist-test` in CI and by `make dist-windows` (docs/windows.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "resources" / "installer"


class _Analysis:
    def __init__(self, scripts: list[str], **kw: Any) -> None:
        self.scripts = scripts
        self.kw = kw
        self.pure: list[Any] = []
        self.binaries: list[tuple[str, str, str]] = []
        self.datas = [(f"{dest}/{Path(src).name}", src, "DATA") for src, dest in kw.get("datas", [])]


class _Target:
    def __init__(self, *args: Any, **kw: Any) -> None:
        self.args = args
        self.kw = kw


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    made: dict[str, list[Any]] = {"Analysis": [], "EXE": [], "COLLECT": []}

    def factory(kind: str, cls: type) -> Any:
        def make(*args: Any, **kw: Any) -> Any:
            obj = cls(*args, **kw)
            made.setdefault(kind, []).append(obj)
            return obj

        return make

    ns: dict[str, Any] = {
        "SPECPATH": str(ROOT),
        "Analysis": factory("Analysis", _Analysis),
        "PYZ": factory("PYZ", _Target),
        "EXE": factory("EXE", _Target),
        "COLLECT": factory("COLLECT", _Target),
        "__file__": str(ROOT / "build.spec"),
    }
    code = compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec")
    exec(code, ns)
    ns["_made"] = made
    return ns


def test_two_executables_in_one_folder(spec: dict[str, Any]) -> None:
    exes = {e.kw["name"]: e.kw for e in spec["_made"]["EXE"]}
    assert set(exes) == {"BranchLedger", "ledger"}
    assert exes["BranchLedger"]["console"] is False
    assert exes["ledger"]["console"] is True
    (coll,) = spec["_made"]["COLLECT"]
    assert coll.kw["name"] == "BranchLedger"
    for script in ("entry_gui.py", "entry_ledger.py"):
        assert (INSTALLER / script).exists()


def test_name_and_version_from_pyproject(spec: dict[str, Any]) -> None:
    with open(ROOT / "pyproject.toml", "rb") as f:
        assert spec["VERSION"] == tomllib.load(f)["project"]["version"]


def test_resources_ship_under_the_same_relative_path(spec: dict[str, Any]) -> None:
    gui = spec["_made"]["Analysis"][0]
    shipped = {(Path(src).relative_to(ROOT).as_posix(), dest) for src, dest in gui.kw["datas"]}
    for rel in (
        "resources/fonts/NotoSansSC-Regular.ttf",
        "resources/fonts/NotoSansSC-Bold.ttf",
        "resources/demo/demo_branch.json",
        "resources/icons/app.png",
        "resources/icons/app.ico",
        "db/migrations/0001_foundation.sql",
        "db/schemas/interchange.json",
    ):
        assert (rel, str(Path(rel).parent)) in shipped, rel
    for rel, _dest in shipped:
        assert not rel.startswith("resources/installer/"), rel  # build scripts stay out of the bundle
        assert "__pycache__" not in rel and not rel.endswith(".pyc"), rel


def test_hidden_imports_cover_our_registries_but_not_build_tools(spec: dict[str, Any]) -> None:
    gui, cli = spec["_made"]["Analysis"]
    hidden = set(gui.kw["hiddenimports"])
    assert {"desktop.app", "exports.cli", "exports.templates.roster", "db.migrations", "resources"} <= hidden
    assert "resources.build_fonts" not in hidden
    from exports.registry import TEMPLATE_MODULES

    present = {m for m in TEMPLATE_MODULES if (ROOT / (m.replace(".", "/") + ".py")).exists()}
    assert present <= hidden
    assert not [m for m in cli.kw["hiddenimports"] if m.startswith("desktop")]


def test_headless_ledger_excludes_qt_and_gui_excludes_unused_qt(spec: dict[str, Any]) -> None:
    gui, cli = spec["_made"]["Analysis"]
    assert "PySide6" in cli.kw["excludes"]
    for mod in ("QtWebEngineCore", "QtQml", "QtQuick", "QtMultimedia", "Qt3DCore", "QtNetwork"):
        assert f"PySide6.{mod}" in gui.kw["excludes"]
    assert "PySide6.QtWidgets" not in gui.kw["excludes"]


def test_qt_trimming_keeps_what_the_app_needs(spec: dict[str, Any]) -> None:
    keep, qt = spec["keep"], spec["QT"]
    ext = ".dll" if sys.platform == "win32" else ".so"
    platform = "qwindows.dll" if sys.platform == "win32" else "libqxcb.so"
    assert keep((f"{qt}plugins/platforms/{platform}", "", "BINARY"))
    assert keep((f"{qt}plugins/imageformats/{'qico' if ext == '.dll' else 'libqico'}{ext}", "", "BINARY"))
    assert keep((f"{qt}translations/qtbase_zh_CN.qm", "", "DATA"))
    assert not keep((f"{qt}translations/qtbase_de.qm", "", "DATA"))
    assert not keep(
        (f"{qt}plugins/imageformats/{'qtiff' if ext == '.dll' else 'libqtiff'}{ext}", "", "BINARY")
    )


def test_portable_zip_has_the_marker_db_paths_looks_for(tmp_path: Path) -> None:
    from db.paths import PORTABLE_MARKER

    onedir = tmp_path / "BranchLedger"
    (onedir / "_internal").mkdir(parents=True)
    (onedir / "ledger.exe").write_bytes(b"MZ")
    (onedir / "_internal" / "x.dll").write_bytes(b"MZ")
    out = tmp_path / "out" / "BranchLedger-0.0.0-portable.zip"
    subprocess.run([sys.executable, str(INSTALLER / "make_portable.py"), str(onedir), str(out)], check=True)
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        marker = z.read(f"BranchLedger/{PORTABLE_MARKER}").decode("utf-8-sig")
    assert names == {
        "BranchLedger/ledger.exe",
        "BranchLedger/_internal/x.dll",
        f"BranchLedger/{PORTABLE_MARKER}",
    }
    assert "便携" in marker and "data" in marker


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis not installed (apt-get install nsis)")
def test_installer_script_compiles(tmp_path: Path) -> None:
    onedir = tmp_path / "BranchLedger"
    onedir.mkdir()
    for name in ("BranchLedger.exe", "ledger.exe"):
        (onedir / name).write_bytes(b"MZ")
    out = tmp_path / "BranchLedger-0.1.0-setup.exe"
    subprocess.run(
        [
            "makensis",
            "-V2",
            "-WX",
            "-INPUTCHARSET",
            "UTF8",
            "-DVERSION=0.1.0",
            f"-DDISTDIR={onedir}",
            f"-DOUTFILE={out}",
            str(INSTALLER / "installer.nsi"),
        ],
        check=True,
    )
    assert out.stat().st_size > 50_000


def test_no_build_path_in_the_bundle_metadata(spec: dict[str, Any]) -> None:
    """pip's RECORD and our editable install's direct_url.json name the build folder: two clones of one commit
    would give two different bundles (make release-check)."""
    analysis = _Analysis([])
    analysis.datas = [
        ("jsonschema-4.26.0.dist-info/RECORD", "/venv/x/RECORD", "DATA"),
        ("jsonschema-4.26.0.dist-info/METADATA", "/venv/x/METADATA", "DATA"),
        ("branch_ledger-0.1.0.dist-info\\direct_url.json", "/venv/y/direct_url.json", "DATA"),
        ("branch_ledger.egg-info/SOURCES.txt", "/src/branch_ledger.egg-info/SOURCES.txt", "DATA"),
        ("branch_ledger.egg-info/PKG-INFO", "/src/branch_ledger.egg-info/PKG-INFO", "DATA"),
        ("resources/demo/demo_branch.json", "/src/resources/demo/demo_branch.json", "DATA"),
    ]
    spec["reproducible"](analysis)
    assert [e[0] for e in analysis.datas] == [
        "jsonschema-4.26.0.dist-info/METADATA",
        "branch_ledger.egg-info/PKG-INFO",
        "resources/demo/demo_branch.json",
    ]
