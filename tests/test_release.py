"""The release helpers of resources/installer/: what makes two builds of one commit give the same bytes (sorted
NSIS file list, SetDateSave off, zip times from SOURCE_DATE_EPOCH), the SHA-256 lists, and the dump comparison of
the upgrade check. The real thing, two whole builds compared, is `make release-check` (docs/windows.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "resources" / "installer"
sys.path.insert(0, str(INSTALLER))

import checksums  # noqa: E402
import dump_compare  # noqa: E402
import nsis_files  # noqa: E402

FILES = {
    "BranchLedger.exe": b"MZ gui",
    "ledger.exe": b"MZ cli",
    "_internal/base_library.zip": b"PK",
    "_internal/PySide6/plugins/platforms/qwindows.dll": b"MZ qpa",
    "_internal/resources/fonts/OFL.txt": "字体".encode(),
    "_internal/a$b.txt": b"dollar",
}


def _onedir(root: Path, order: list[str], mtime: int) -> Path:
    """The same files, created in `order`, all dated `mtime`, with varying modes."""
    folder = root / "BranchLedger"
    for i, rel in enumerate(order):
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(FILES[rel])
        p.chmod(0o755 if i % 2 else 0o600)
        os.utime(p, (mtime, mtime))
    return folder


def test_nsis_file_list_is_in_a_fixed_order_and_quotes_dollars(tmp_path: Path) -> None:
    folder = _onedir(tmp_path, sorted(FILES, reverse=True), 1_700_000_000)
    lines = nsis_files.lines(folder)
    files = [line.split('"')[1] for line in lines if line.strip().startswith("File")]
    assert len(files) == len(FILES)
    rels = [Path(f).relative_to(folder).parts for f in files]
    assert rels == sorted(rels, key=lambda parts: (Path(parts[-1]).suffix, parts))  # like files together
    assert rels[0] == ("_internal", "PySide6", "plugins", "platforms", "qwindows.dll")
    assert lines[0] == '  SetOutPath "$INSTDIR\\_internal\\PySide6\\plugins\\platforms"'
    assert '  SetOutPath "$INSTDIR\\_internal\\PySide6\\plugins\\platforms"' in lines
    assert any(line.endswith('a$b.txt"') for line in lines)  # a source path: read by makensis itself
    assert nsis_files.nsis_quote("$INSTDIR\\a$b") == '"$$INSTDIR\\a$$b"'  # a run-time string
    for bad in ('a"b', "a${X}"):
        with pytest.raises(ValueError):
            nsis_files.nsis_quote(bad)


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis not installed (apt-get install nsis)")
def test_setup_exe_is_the_same_bytes_from_a_folder_made_another_time_in_another_order(tmp_path: Path) -> None:
    outs = []
    for n, (order, mtime) in enumerate(
        [(sorted(FILES), 1_700_000_000), (sorted(FILES, reverse=True), 1_800_000_000)]
    ):
        folder = _onedir(tmp_path / str(n), order, mtime)
        listing = tmp_path / f"files{n}.nsh"
        nsis_files.main(str(folder), str(listing))
        out = tmp_path / f"setup{n}.exe"
        subprocess.run(
            ["makensis", "-V2", "-WX", "-INPUTCHARSET", "UTF8", "-DVERSION=0.1.0", f"-DDISTDIR={folder}"]
            + [f"-DFILELIST={listing}", f"-DOUTFILE={out}", str(INSTALLER / "installer.nsi")],
            check=True,
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_portable_zip_is_the_same_bytes_and_dated_by_the_commit(tmp_path: Path) -> None:
    outs = []
    for n, (order, mtime) in enumerate(
        [(sorted(FILES), 1_700_000_000), (sorted(FILES, reverse=True), 1_800_000_000)]
    ):
        folder = _onedir(tmp_path / str(n), order, mtime)
        out = tmp_path / f"portable{n}.zip"
        env = dict(os.environ, SOURCE_DATE_EPOCH="1795359873")  # 2026-11-22 15:04:33 UTC
        subprocess.run(
            [sys.executable, str(INSTALLER / "make_portable.py"), str(folder), str(out)], check=True, env=env
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    with zipfile.ZipFile(tmp_path / "portable0.zip") as z:
        infos = z.infolist()
    assert {i.date_time for i in infos} == {(2026, 11, 22, 15, 4, 32)}  # zip seconds come in twos
    modes = {i.filename.rsplit("/", 1)[-1]: i.external_attr >> 16 for i in infos}
    assert modes["ledger.exe"] == 0o755 and modes["OFL.txt"] == 0o644


def test_sha256sums_update_their_own_lines_and_keep_the_others(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "a-setup.exe").write_bytes(b"one")
    (dist / "b-linux.sha256").write_bytes(b"two")
    sums = dist / "SHA256SUMS"
    checksums.update_sums(sums, [dist / "b-linux.sha256"])
    (dist / "b-linux.sha256").write_bytes(b"three")
    printed = checksums.update_sums(sums, [dist / "a-setup.exe", dist / "b-linux.sha256"])
    assert printed[0].endswith("  a-setup.exe")
    lines = sums.read_text(encoding="utf-8").splitlines()
    assert [line.split("  ")[1] for line in lines] == ["a-setup.exe", "b-linux.sha256"]
    assert lines[1].split("  ")[0] == checksums.sha256(dist / "b-linux.sha256")
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=dist, check=True)


def test_tree_list_checks_with_sha256sum_and_names_links(tmp_path: Path) -> None:
    folder = _onedir(tmp_path, sorted(FILES), 1_700_000_000)
    (folder / "_internal" / "libQt6Core.so.6").symlink_to("qwindows.dll")
    out = tmp_path / "BranchLedger-0.1.0-linux.sha256"
    checksums.write_tree(folder, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "# BranchLedger/_internal/libQt6Core.so.6 -> qwindows.dll" in lines
    names = [line[2:].split(" -> ")[0] if line.startswith("# ") else line.split("  ", 1)[1] for line in lines]
    assert names == sorted(names) and len(lines) == len(FILES) + 1
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "-c", out.name], cwd=tmp_path, check=True)


def _doc(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "branch-ledger",
        "version": 1,
        "exported_at": "2026-11-22T09:00:00",
        "branch": {"name": "测试支部"},
        "members": [{"id": 1, "name": "张三", "joined_on": "2020-07-01"}, {"id": 2, "name": "李四"}],
    }
    doc.update(over)
    return doc


def test_dump_compare_equal_apart_from_time_and_new_fields() -> None:
    after = _doc(exported_at="2027-01-01T08:00:00", version=2, appraisals=[])
    after["members"] = [dict(m, post=None) for m in after["members"]]
    diffs, added = dump_compare.diff_documents(_doc(), after)
    assert diffs == []
    assert added == ["appraisals (1×)", "members[].post (2×)"]


def test_dump_compare_reports_lost_and_changed_data() -> None:
    after = _doc(version=0, members=[{"id": 1, "name": "张三", "joined_on": "2020-07-02"}])
    diffs, _ = dump_compare.diff_documents(_doc(), after)
    assert "version: 1 before, 0 after (older)" in diffs
    assert "members: 2 entries before, 1 after" in diffs
    assert "members[0].joined_on: '2020-07-01' before, '2020-07-02' after" in diffs
    diffs, _ = dump_compare.diff_documents(_doc(), {k: v for k, v in _doc().items() if k != "branch"})
    assert diffs == ["branch: missing after the upgrade"]
    diffs, _ = dump_compare.diff_documents(_doc(members=[{"id": 1}]), _doc(members=[{"id": True}]))
    assert diffs == ["members[0].id: 1 before, True after"]


def test_dump_compare_command_line(tmp_path: Path) -> None:
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps(_doc(), ensure_ascii=False), encoding="utf-8")
    after.write_text(json.dumps(_doc(exported_at="later"), ensure_ascii=False), encoding="utf-8")
    run = [sys.executable, str(INSTALLER / "dump_compare.py"), str(before), str(after)]
    done = subprocess.run(run, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0 and done.stdout.startswith("dump equal after the upgrade (members 2)")
    after.write_text(json.dumps(_doc(members=[]), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(run, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1 and "members: 2 entries before, 0 after" in done.stdout
