"""`zip_package`: the package folder as one zip (AES-256 when a password is given) with readable Chinese names,
written to a temporary name, read back and checked against the manifest, then renamed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exports.package.errors import PackageError, _explain
from exports.package.verify import verify_package


def zip_package(folder: Path, out: Path | None = None, password: str | None = None) -> Path:
    """Zip a package folder (AES-256 when a password is given); Chinese names stay readable (UTF-8 flag).
    Written to a temporary name, read back and checked against the manifest, then renamed."""
    import pyzipper

    from db.fileutil import atomic_path

    folder = Path(folder)
    out = Path(out) if out else folder.with_name(folder.name + ".zip")
    if password is not None and not password:
        raise PackageError("压缩包密码不能为空。")
    try:
        with atomic_path(out) as tmp:
            kw: dict[str, Any] = {"compression": pyzipper.ZIP_DEFLATED}
            if password:
                kw["encryption"] = pyzipper.WZ_AES
            with pyzipper.AESZipFile(tmp, "w", **kw) as zf:
                if password:
                    zf.setpassword(password.encode("utf-8"))
                    zf.setencryption(pyzipper.WZ_AES, nbits=256)
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        rel = path.relative_to(folder).as_posix()
                        zf.write(path, f"{folder.name}/{rel}")  # non-ASCII names get the UTF-8 flag
            check = verify_package(tmp, password=password)
            if not check.ok:
                raise PackageError("压缩包写入后核对不一致：" + check.describe().replace("\n", "；"))
    except OSError as e:
        raise _explain(e, out) from e
    return out
