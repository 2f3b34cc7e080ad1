"""PySide6's first import, without the work it redoes on every start.

`import shiboken6` (the first thing any PySide6 import does) runs PySide's signature support: 14 Python modules
embedded in Shiboken's binary as a zip of sources, which its own importer (`signature_bootstrap`) compiles from
source on every start — no .pyc is ever kept — and whose module bodies compile three regular expressions of
6,000+ characters (the brace patterns of `parser` and `pyi_generator`). Measured on the 2-vCPU machine of
2026-12-05: `import shiboken6` 92–104 ms, of which 35–40 ms compiling the sources and 38–42 ms the three
patterns. The signature support is used when something asks for a Qt function's signature (`inspect.signature`,
its help text, the message of a call with wrong arguments, writing .pyi files), which the 工作台's start never
does.

`quick_import()` imports shiboken6 with two things changed, only for calls made by that support code and only for
the duration of the import:

- `compile()` called by `signature_bootstrap` on an embedded source returns the code object kept from an earlier
  start (a marshal file, like a .pyc: keyed by the Python build, each source's length and CRC-32, and the future
  flags the stock call inherits), else compiles it exactly as the stock call would. The file is kept with the
  dataclasses' (db/codecache.py): written in db/__pycache__ unless Python is told not to write bytecode, or, for
  the frozen app, made when the bundle is built (build.spec runs `python -m desktop.pyside_import FILE`) and
  shipped under resources/codecache.
- `re.compile()` called from a `shibokensupport` module returns a pattern compiled on first use: the object PySide
  keeps answers every Pattern method by compiling the pattern then (once) and calling the real one.

Any other call goes to the stock functions, which are put back when the import is done. Where PySide's internals
are not as expected (a later release), the code is simply compiled, as before. tests/desktop/test_pyside_import.py
compares every cached code object with the stock compile of the same source, and the signatures PySide gives
both ways.
"""

from __future__ import annotations

import builtins
import re
import sys
import zlib
from pathlib import Path
from typing import Any

from db import codecache

CACHE_NAME = f"shibokensupport.{sys.implementation.cache_tag}.codecache"
_BOOTSTRAP = "signature_bootstrap"  # the module of PySide's embedded-zip importer
_SUPPORT = "shibokensupport"  # the package of the embedded modules
_PATTERN_METHODS = frozenset(
    ("search", "match", "fullmatch", "split", "findall", "finditer", "sub", "subn", "scanner")
)


class LazyPattern:
    """A compiled pattern, compiled when first used."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: Any, flags: Any) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def compiled(self) -> re.Pattern[Any]:
        if self._compiled is None:
            self._compiled = _STOCK_RE_COMPILE(*self._args)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        if name in _PATTERN_METHODS:  # a bound method taken now (`self._finditer = rec.finditer`), used later

            def method(*args: Any, **kwargs: Any) -> Any:
                return getattr(self.compiled(), name)(*args, **kwargs)

            method.__name__ = name
            return method
        if name.startswith("__") and not hasattr(re.Pattern, name):
            # asked of any class attribute (abc's `__isabstractmethod__`): a Pattern has none, nothing to compile
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return repr(self.compiled())


_STOCK_RE_COMPILE = re.compile


def default_cache_path() -> Path:
    """Where the code is kept: shipped under resources/codecache in the frozen app, else db/__pycache__."""
    return codecache.cache_dir() / CACHE_NAME


class _Import:
    """The state of one quick import: the code found in the cache, what had to be compiled, what was served."""

    def __init__(self, cached: dict[str, Any]) -> None:
        self.cached = cached
        # filename -> (key, code) of every embedded source compiled this import
        self.used: dict[str, Any] = {}
        self.served = 0  # how many came from the cache
        self.lazy: list[LazyPattern] = []

    def compile(
        self,
        source: Any,
        filename: Any,
        mode: Any,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
        **kwargs: Any,
    ) -> Any:
        caller = sys._getframe(1)
        if (
            caller.f_globals.get("__name__") == _BOOTSTRAP
            and isinstance(source, bytes)
            and isinstance(filename, str)
            and filename.startswith(_SUPPORT + "/")
            and mode == "exec"
            and flags == 0
            and not dont_inherit
            and optimize == -1
            and not kwargs
        ):
            # as the stock call: the future flags of the calling code (signature_bootstrap's own) inherited
            inherited = caller.f_code.co_flags & codecache.future_mask()
            key = (len(source), zlib.crc32(source), inherited)
            entry = self.cached.get(filename)
            if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == key:
                self.used[filename] = entry
                self.served += 1
                return entry[1]
            code = _STOCK_COMPILE(source, filename, mode, inherited, True)
            self.used[filename] = (key, code)
            return code
        return _STOCK_COMPILE(source, filename, mode, flags, dont_inherit, optimize, **kwargs)

    def re_compile(self, pattern: Any, flags: Any = 0) -> Any:
        name = sys._getframe(1).f_globals.get("__name__")
        if isinstance(name, str) and (name == _SUPPORT or name.startswith(_SUPPORT + ".")):
            lazy = LazyPattern(pattern, flags)
            self.lazy.append(lazy)
            return lazy
        return _STOCK_RE_COMPILE(pattern, flags)


_STOCK_COMPILE = builtins.compile
last: _Import | None = None  # the quick import of this process, for the self-test and the tests


def quick_import(cache_path: Path | None = None, write: bool | None = None) -> bool:
    """Import shiboken6 the quick way; True when this call imported it. Writes the cache when it was missing or
    stale (in the source tree, unless bytecode is not to be written; never in the frozen app)."""
    global last
    if "shiboken6" in sys.modules:
        return False
    path = default_cache_path() if cache_path is None else cache_path
    if write is None:
        write = codecache.writable()
    state = _Import(codecache.read(path))
    builtins.compile = state.compile
    re.compile = state.re_compile  # type: ignore[assignment]
    try:
        import shiboken6  # noqa: F401
    finally:
        builtins.compile = _STOCK_COMPILE
        re.compile = _STOCK_RE_COMPILE
    last = state
    if write and state.used and state.served < len(state.used):
        codecache.write(path, state.used)
    return True


def main(argv: list[str]) -> int:
    """`python -m desktop.pyside_import FILE`: for the frozen app's build (build.spec), in a fresh interpreter:
    import shiboken6 the quick way and write the code of every embedded module to FILE."""
    if len(argv) != 1:
        print("用法：python -m desktop.pyside_import 输出文件", file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.unlink(missing_ok=True)
    if not quick_import(path, write=True) or last is None or not last.used:
        print("未能编译 PySide 的签名支持模块：shiboken6 已被导入，或其内部结构与预期不同", file=sys.stderr)
        return 1
    if not path.is_file():
        print(f"无法写入 {path}", file=sys.stderr)
        return 1
    print(f"{path}: {len(last.used)} modules")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
