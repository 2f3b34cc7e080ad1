"""Make the portable zip: the onedir folder plus the marker file `portable.txt` beside the exe.

With the marker present, db/paths.py keeps the ledger, its snapshots and the settings in a `data` folder next to
the exe, with relative paths, so the folder works from a USB stick under any drive letter.

Usage: python resources/installer/make_portable.py build/windows/dist/BranchLedger dist/BranchLedger-0.1.0-portable.zip
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path

# Read by people who open the folder; db/paths.py only checks that the file exists.
MARKER_TEXT = """支部台账 便携版

这个文件（portable.txt）在，支部台账就以“便携模式”运行：台账、快照和设置都保存在本文件夹的 data 子文件夹里，
整个文件夹可以放在 U 盘上，换电脑、换盘符都能用。

请勿删除本文件。删除后，程序会改用本机的用户数据文件夹（%LOCALAPPDATA%\\BranchLedger），
看不到 data 里的台账。

备份：把整个文件夹（含 data）复制一份即可。
"""
EXECUTABLE = {".exe", ".dll", ".pyd"}


def zip_time() -> tuple[int, int, int, int, int, int]:
    """Every member's time: SOURCE_DATE_EPOCH (the last commit, set by wine-env.sh), never the build's clock,
    so the same bundle gives the same zip (docs/windows.md, "Same source, same bytes")."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 1767225600)  # else 2026-01-01, as before
    y, mo, d, h, mi, s = time.gmtime(max(epoch, 315532800))[:6]  # a zip holds no time before 1980
    return (y, mo, d, h, mi, s - s % 2)  # and counts seconds in twos


def main(src: str, out: str) -> int:
    folder = Path(src)
    if not (folder / "ledger.exe").exists() and not (folder / "ledger").exists():
        print(f"{folder} does not look like the onedir bundle", file=sys.stderr)
        return 1
    top = folder.name
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    stamp = zip_time()
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        for p in files:
            info = zipfile.ZipInfo(f"{top}/{p.relative_to(folder).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            # from the name, not the build machine's file modes (umask, Wine)
            info.external_attr = (0o755 if p.suffix.lower() in EXECUTABLE else 0o644) << 16
            with p.open("rb") as f:
                z.writestr(info, f.read())
        marker = zipfile.ZipInfo(f"{top}/portable.txt", stamp)
        marker.compress_type = zipfile.ZIP_DEFLATED
        marker.external_attr = 0o644 << 16
        # UTF-8 with BOM and CRLF, so Notepad on any Windows shows the Chinese text correctly
        z.writestr(marker, ("\ufeff" + MARKER_TEXT.replace("\n", "\r\n")).encode("utf-8"))
    tmp.replace(target)
    print(f"{target}: {target.stat().st_size} bytes, {len(files) + 1} files")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
