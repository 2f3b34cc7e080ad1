"""The hand-in package flushes its files in a background thread while it renders the next (db.fileutil
`fsync_later`): every file is on the disk before the folder gets its final name, and a flush that fails stops
the package as a failed write does, naming the stick, leaving nothing half-written and the earlier package as
it was."""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path

import pytest

from db import fileutil
from db.connection import Ledger
from exports import package

YEAR = 2026


def test_every_file_is_flushed_before_the_folder_is_renamed(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str, str]] = []  # (what, path, thread)
    real_fsync, real_rename = fileutil._fsync, os.rename

    def fsync(path: Path) -> None:
        # the last files written, on a slow stick: without the wait, the folder would have its final name
        # before they are on the disk
        if "园区表格" in str(path):
            time.sleep(0.3)
        real_fsync(path)
        events.append(("fsync", str(path), threading.current_thread().name))

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append(("rename", str(src), str(dst)))
        real_rename(src, dst)

    monkeypatch.setattr(fileutil, "_fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    folder = package.build_package(demo_ledger, YEAR, tmp_path / "stick")
    monkeypatch.undo()

    done = next(i for i, e in enumerate(events) if e[0] == "rename" and e[2] == str(folder))
    part = events[done][1]
    flushed = {Path(p).relative_to(part).as_posix() for what, p, _t in events[:done] if what == "fsync"}
    files = {f["path"] for f in package.read_manifest(folder)["files"]}
    # data.json, index.html and manifest.json are written and flushed directly; every other file through
    # atomic_path, flushed in the background thread
    assert files - {"data.json", "index.html", "manifest.json"} <= flushed
    assert len(flushed) >= 80
    assert all(t.startswith("fsync") for what, _p, t in events if what == "fsync")
    assert not any(t.name.startswith("fsync") for t in threading.enumerate())  # the thread is gone
    assert package.verify_package(folder).ok


def test_a_flush_that_fails_in_the_background_stops_the_package(
    demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "stick"
    earlier = package.build_package(demo_ledger, YEAR, out)
    before = (earlier / "manifest.json").read_bytes()
    real_fsync = fileutil._fsync

    def fsync(path: Path) -> None:
        if path.suffix == ".pdf" and "会议记录" in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_fsync(path)

    monkeypatch.setattr(fileutil, "_fsync", fsync)
    with pytest.raises(package.PackageError) as e:
        package.build_package(demo_ledger, YEAR, out)
    text = str(e.value)
    assert "空间不足" in text and str(out) in text and "没有留下不完整的报送包" in text
    assert sorted(p.name for p in out.iterdir()) == [earlier.name]  # no .part folder left, no second package
    assert (earlier / "manifest.json").read_bytes() == before
    assert not any(t.name.startswith("fsync") for t in threading.enumerate())


def test_outside_a_package_a_file_is_flushed_before_it_is_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = fileutil._fsync, os.replace
    monkeypatch.setattr(fileutil, "_fsync", lambda p: (real_fsync(p), events.append("fsync")))
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b)))
    fileutil.write_text_atomic(tmp_path / "a.txt", "支部")
    assert events == ["fsync", "replace"] and (tmp_path / "a.txt").read_text("utf-8") == "支部"
