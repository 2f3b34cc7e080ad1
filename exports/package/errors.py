"""`PackageError`, and `_explain`, which turns an OSError met while writing a package or its zip into a
sentence in Chinese that says what happened to the stick and what to do (full, read-only, pulled out).
"""

from __future__ import annotations

from pathlib import Path

from db.errors import LedgerError
from db.fileutil import explain_write_error


class PackageError(LedgerError):
    """The package could not be written or read; `str()` says why and what to do, in Chinese."""


def _explain(err: BaseException, target: Path) -> PackageError:
    """The one explanation of a disk failure (db.fileutil), said of the package and its target."""
    msg = explain_write_error(
        err, target, "报送包", after="没有留下不完整的报送包，之前的报送包（如有）保持原样。"
    )
    pe = PackageError(msg)
    pe.__cause__ = err
    return pe
