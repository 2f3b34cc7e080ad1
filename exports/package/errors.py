"""`PackageError`, and `_explain`, which turns an OSError met while writing a package or its zip into a
sentence in Chinese that says what happened to the stick and what to do (full, read-only, pulled out).
"""

from __future__ import annotations

import errno
from pathlib import Path

from db.errors import LedgerError


class PackageError(LedgerError):
    """The package could not be written or read; `str()` says why and what to do, in Chinese."""


def _explain(err: OSError, target: Path) -> PackageError:
    code = err.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        msg = (
            f"目标磁盘空间不足，报送包没有写完：{target}。请换一个空间更大的U盘或文件夹，"
            "或删除U盘上不需要的文件后再试。没有留下不完整的报送包。"
        )
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or getattr(err, "winerror", None) in (5, 32):
        msg = (
            f"目标文件夹不能写入（只读、写保护、没有权限，或旧的报送包正被资源管理器、Excel、WPS 等程序打开）："
            f"{target}。请关闭这些窗口、检查U盘的写保护开关，或换一个文件夹后再试。没有留下不完整的报送包。"
        )
    elif code in (errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO, getattr(errno, "ESHUTDOWN", -1)):
        msg = (
            f"写入时找不到目标磁盘（U盘可能已被拔出）：{target}。请重新插好U盘后再试；"
            "没有留下不完整的报送包。"
        )
    else:
        msg = f"写入报送包失败：{err.strerror or err}（{err.filename or target}）。没有留下不完整的报送包。"
    pe = PackageError(msg)
    pe.__cause__ = err
    return pe
