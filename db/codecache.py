"""Compiled code kept between runs, for code Python compiles from text on every start.

A .pyc keeps a module's code, but not code a module makes from text while it runs. The biggest such cost here is
`dataclasses`: Python 3.11 writes each method of a dataclass (`__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__`, `__delattr__` of a frozen one…) as source text and compiles it with `exec`, one method at a time —
390 compilations for the 102 dataclasses the 工作台's figures and findings use, 80 ms of the early fill's 330 ms on
the measuring machine of 2026-12-05 (Python 3.13 makes one `exec` per class; the Windows build is pinned to
3.11). `install_dataclasses()` (called first thing by db/__init__.py, so before any of our dataclasses is made)
gives the `dataclasses` module an `exec` that takes the code of a text it has compiled before from a file kept
like a .pyc, keyed by the exact text and the compiler flags the stock call inherits, and otherwise compiles it
exactly as the builtin would; the function made from it is the same. PySide's signature support is the other
(desktop/pyside_import.py), which keeps its file with the helpers here.

Where the files are: beside db's bytecode (`db/__pycache__`) in a checkout, written when a run compiled something
new (at exit, to a temporary name then renamed; never when Python is told not to write bytecode); in the frozen
app, made by the build (build.spec calls `main([DIR, PACKAGE…])`, which imports every module of the packages) and shipped under resources/codecache, read only.
"""

from __future__ import annotations

import builtins
import contextlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

DATACLASSES = f"dataclasses.{sys.implementation.cache_tag}.codecache"
MAX_ENTRIES = (
    4000  # a checkout's file, grown past this by edited dataclasses, starts again from one run's texts
)

_stock_exec = builtins.exec
_future_flags = 0


def future_mask() -> int:
    """Every __future__ compiler flag: what compile() or exec() of a text inherits from the calling code."""
    global _future_flags
    if not _future_flags:
        import __future__

        for name in __future__.all_feature_names:
            _future_flags |= getattr(__future__, name).compiler_flag
    return _future_flags


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def cache_dir() -> Path:
    """The shipped folder in the frozen app (read only), else db/__pycache__."""
    base = getattr(sys, "_MEIPASS", None)
    if frozen() and base:
        return Path(base) / "resources" / "codecache"
    return Path(__file__).resolve().parent / "__pycache__"


def writable() -> bool:
    """Whether this run may write a cache file: as Python decides for .pyc files, and never in the frozen app."""
    return not sys.dont_write_bytecode and not frozen()


def read(path: Path) -> dict[Any, Any]:
    """The code kept at path for this very Python build; empty when missing, damaged or another build's."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("python") != sys.version
        or not isinstance(data.get("code"), dict)
    ):
        return {}
    code: dict[Any, Any] = data["code"]
    return code


def write(path: Path, code: dict[Any, Any]) -> bool:
    """The file written whole or not at all: to a temporary name, then renamed."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps({"python": sys.version, "code": code}))
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


class TextCode:
    """Code compiled from texts, by (compiler flags, text): what was kept, and what this run added."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept = read(path)
        self.new: dict[tuple[int, str], Any] = {}  # compiled this run, not in the file
        self.used: dict[tuple[int, str], Any] = {}  # every text this run executed, kept or new
        self.served = 0

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /, **kwargs: Any) -> None:  # noqa: A002
        """`exec` as the dataclasses module calls it, with the code of a text compiled once."""
        if type(source) is not str or globals is None or kwargs:
            return _stock_exec(source, globals, locals, **kwargs)
        flags = (
            sys._getframe(1).f_code.co_flags & future_mask()
        )  # as the builtin inherits them from its caller
        key = (flags, source)
        code = self.used.get(key)
        if code is None:
            code = self.kept.get(key)
            if code is None:
                code = self.new[key] = compile(source, "<string>", "exec", flags, True)
            else:
                self.served += 1
            self.used[key] = code
        return _stock_exec(code, globals, locals)

    def save(self) -> bool:
        """Write the file when this run compiled a text it did not have."""
        if not self.new:
            return False
        merged = {} if len(self.kept) + len(self.new) > MAX_ENTRIES else dict(self.kept)
        merged.update(self.new)
        if write(self.path, merged):
            self.kept, self.new = merged, {}
            return True
        return False


dataclass_code: TextCode | None = None  # this process's, once installed


def install_dataclasses() -> TextCode:
    """Give the dataclasses module the kept-code `exec` (once per process); saved at exit where writable."""
    global dataclass_code
    if dataclass_code is not None:
        return dataclass_code
    import dataclasses

    dataclass_code = TextCode(cache_dir() / DATACLASSES)
    dataclasses.exec = dataclass_code.exec  # type: ignore[attr-defined]  # a module global shadows the builtin
    if writable():
        import atexit

        atexit.register(dataclass_code.save)
    return dataclass_code


def build(out_dir: Path, packages: list[str]) -> int:
    """For the frozen app's build: import every module of packages (new dataclass texts compiled on the way)
    and write the dataclasses' file into out_dir. Returns how many texts it holds."""
    import importlib
    import pkgutil

    code = install_dataclasses()
    for name in packages:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, name + "."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)
    path = out_dir / DATACLASSES
    if not write(path, dict(code.used)):  # what this process executed: no entry of a checkout's older file
        raise OSError(f"无法写入 {path}")
    return len(code.used)


def main(argv: list[str]) -> int:
    """build.spec: `python -c "…codecache.main(sys.argv[1:])" DIR PACKAGE…`."""
    if len(argv) < 2:
        print("用法：python -m db.codecache 输出文件夹 包名…", file=sys.stderr)
        return 2
    try:
        texts = build(Path(argv[0]), argv[1:])
    except (ImportError, OSError) as e:
        print(f"未能生成数据类代码缓存：{e}", file=sys.stderr)
        return 1
    print(f"{Path(argv[0]) / DATACLASSES}: {texts} texts")
    return 0
