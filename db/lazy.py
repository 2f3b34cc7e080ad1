"""`lazy_names`: a package's names loaded with their module on first use (PEP 562 module `__getattr__`): for the
packages the window reads before its first paint (db.branch, db.opening), and for the parts of a package its
usual callers never need (db.study's sheet import). Importing the package costs nothing until a name is asked
for, and only that name's module is loaded then."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    namespace: dict[str, Any],
    homes: Mapping[str, tuple[str, ...]],
    submodules: tuple[str, ...],
    others: str | None = None,
) -> Callable[[str], Any]:
    """The `__getattr__` of the package whose `globals()` is `namespace`: a name listed in `homes` (the module
    that defines it -> its names) is imported from that module and kept in the package (found directly from
    then on); any other name of the package's `__all__` comes from the module `others` (names it re-exports
    whole, as db.branch does db.committee's); a name of `submodules` is that submodule (`from package import *`
    and `package.submodule` work as with eager imports)."""
    package = str(namespace["__name__"])
    home_of = {name: module for module, names in homes.items() for name in names}

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module hook's own name
        home = home_of.get(name)
        if home is None and others is not None and name in namespace["__all__"] and name not in submodules:
            home = others
        if home is not None:
            value = getattr(importlib.import_module(home), name)
            namespace[name] = value
            return value
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
