"""desktop/pyside_enums.py: PySide's enums made the quick way are the classes Python's own machinery makes.

Every enum of QtCore, QtGui and QtWidgets is made again both ways from the members PySide gave it, and the two
classes compared attribute by attribute: the namespace, every member (its name, value, sort order and owner),
the maps, the Flag masks, iteration, lookup by value, repr/str/format and the Flag operators."""

from __future__ import annotations

import enum
import sys
import types
from typing import Any

import pytest

from desktop import pyside_enums

pytestmark = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11), reason="the quick path follows Python 3.11's enum"
)


def _stock() -> Any:
    create = enum.EnumType.__dict__["_create_"]
    return getattr(create, "stock", create)


def _quick() -> Any:
    assert pyside_enums.install()
    return enum.EnumType.__dict__["_create_"]


def _pyside_enums() -> list[type[enum.Enum]]:
    from PySide6 import QtCore, QtGui, QtWidgets

    found: dict[int, type[enum.Enum]] = {}

    def walk(owner: Any, depth: int) -> None:
        for name in dir(owner):
            if name.startswith("__"):
                continue
            try:
                value = getattr(owner, name)
            except Exception:  # noqa: BLE001 - a few PySide attributes refuse to be read on a class
                continue
            if isinstance(value, enum.EnumType):
                if value not in (enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag) and value._member_map_:
                    found.setdefault(id(value), value)
            elif isinstance(value, type) and depth < 2 and value.__module__.startswith("PySide6"):
                walk(value, depth + 1)

    for module in (QtCore, QtGui, QtWidgets):
        walk(module, 0)
    return list(found.values())


def _member(m: Any) -> tuple[Any, ...]:
    return ("member", m._name_, m._value_, type(m).__name__, m._sort_order_)


def _describe(cls: Any) -> dict[str, Any]:
    """Everything observable about an enum class, in plain values."""
    shown: dict[str, Any] = {}
    for key, value in cls.__dict__.items():
        if isinstance(value, cls):
            shown[key] = _member(value)
        elif key in ("_member_map_", "_value2member_map_"):
            shown[key] = [(k, _member(v)) for k, v in value.items()]
        elif isinstance(
            value, (property, types.DynamicClassAttribute)
        ):  # the stock path's redirect for a member named as a base's attribute
            member = getattr(value, "member", None)
            shown[key] = ("property", type(value), member and _member(member), value.fget, value.fset)
        elif getattr(value, "__self__", None) is cls:  # a method bound to the class (Flag's _iter_member_)
            shown[key] = ("bound", value.__func__)
        elif key in ("__dict__", "__weakref__"):
            shown[key] = type(value).__name__
        else:
            shown[key] = value
    members = list(cls)
    shown["name/qualname/module"] = (cls.__name__, cls.__qualname__, cls.__module__)
    shown["mro"] = [c.__name__ for c in cls.__mro__[1:]]
    shown["metaclass"] = type(cls)
    shown["iteration"] = [_member(m) for m in members]
    shown["members"] = [(k, _member(v)) for k, v in cls.__members__.items()]
    shown["owners"] = all(m.__objclass__ is cls for m in cls._member_map_.values())
    shown["by value"] = [_member(cls(m._value_)) for m in cls._member_map_.values()]
    shown["text"] = [(repr(m), str(m), format(m), f"{m:>3}") for m in cls._member_map_.values()]
    if issubclass(cls, enum.Flag):
        shown["flag"] = (cls._flag_mask_, cls._singles_mask_, cls._all_bits_, cls._boundary_)
        shown["iter order"] = cls.__dict__.get("_iter_member_") is not None
        if members:
            first, last = members[0], members[-1]
            shown["operators"] = [repr(first | last), repr(first & last), repr(first ^ last), repr(~first)]
        shown["missing"] = repr(cls(cls._all_bits_ + 1 if cls._boundary_ is enum.KEEP else 0))
    else:
        shown["flag attributes"] = [hasattr(cls, a) for a in ("_flag_mask_", "_boundary_", "_all_bits_")]
    return shown


def _both(base: Any, name: str, names: Any, **kwargs: Any) -> tuple[Any, Any]:
    stock = _stock()(base, name, names, **kwargs)
    quick = _quick()(base, name, names, **kwargs)
    assert stock is not quick
    return stock, quick


def test_every_pyside_enum_is_the_same_class_made_either_way() -> None:
    enums = _pyside_enums()
    assert len(enums) > 600  # QtCore, QtGui and QtWidgets together: over six hundred
    compared = 0
    for original in enums:
        names = [(name, member._value_) for name, member in original._member_map_.items()]
        base = next(
            b for b in original.__mro__[1:] if b in (enum.IntFlag, enum.Flag, enum.IntEnum, enum.Enum)
        )
        stock, quick = _both(
            base,
            original.__name__,
            names,
            module=original.__module__,
            qualname=original.__qualname__,
            boundary=enum.KEEP,
        )
        assert _describe(quick) == _describe(stock), original.__qualname__
        compared += 1
    assert compared == len(enums)


def test_flags_aliases_and_unsorted_values() -> None:
    names = [("C", 4), ("A", 1), ("AC", 5), ("Zero", 0), ("B", 2), ("Again", 1), ("Neg", -8)]
    for base in (enum.Flag, enum.IntFlag, enum.Enum, enum.IntEnum):
        stock, quick = _both(
            base, "Mixed", names, module="somewhere", qualname="Outer.Mixed", boundary=enum.KEEP
        )
        assert _describe(quick) == _describe(stock), base
    for boundary in (enum.STRICT, enum.CONFORM, enum.EJECT, None):
        stock, quick = _both(enum.Flag, "Bits", names[:5], module="m", boundary=boundary)
        assert _describe(quick) == _describe(stock), boundary


def test_calls_the_quick_path_does_not_take_go_to_pythons_own() -> None:
    # names Python checks or redirects, a duplicate, values that are not ints, a mixed-in type, a plain list of
    # names: the stock path's result or its error, unchanged
    quick = _quick()
    for names in (
        [("_private", 1)],
        [("A", 1), ("A", 2)],
        [("name", 1), ("value", 2)],
        [("A", "x"), ("B", "y")],
        ["A", "B"],
        [("mro", 1)],
    ):
        for base in (enum.Enum, enum.IntFlag):
            try:
                expected = ("ok", _describe(_stock()(base, "E", names, module="m")))
            except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
                expected = ("error", type(exc), str(exc))
            try:
                got = ("ok", _describe(quick(base, "E", names, module="m")))
            except Exception as exc:  # noqa: BLE001
                got = ("error", type(exc), str(exc))
            assert got == expected, (names, base)
    mixed = quick(enum.Enum, "Mixed", [("A", 1.5)], module="m", type=float)
    assert mixed.A.value == 1.5 and isinstance(mixed.A, float)


def test_the_module_found_as_pythons_own_finds_it() -> None:
    _quick()
    made = enum.Enum("Found", [("A", 1), ("B", 2)])  # no module given: the caller's
    assert made.__module__ == __name__
    assert made.__qualname__ == "Found"
    quick = enum.IntFlag(
        "Quick", [("X", 1)], module="PySide6.QtCore", qualname="Qt.Quick", boundary=enum.KEEP
    )
    assert (quick.__module__, quick.__qualname__) == ("PySide6.QtCore", "Qt.Quick")


def test_install_is_idempotent_and_keeps_the_stock_path() -> None:
    assert pyside_enums.install() and pyside_enums.install()
    create = enum.EnumType.__dict__["_create_"]
    assert getattr(create, pyside_enums.MARK)
    assert not getattr(create.stock, pyside_enums.MARK, False)
