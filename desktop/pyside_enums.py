"""PySide6's Python enums, made in a fraction of the time, the same classes.

PySide6 (6.4 on) turns every C++ enum into a Python `enum.Enum`/`IntEnum`/`Flag`/`IntFlag` through the functional
API, `EnumType(name, [(member, value), …], module=…, qualname=…, boundary=…)`, for all the enums of a class the
first time the class is used: `from PySide6.QtCore import Qt` alone makes 93 of them (1,500 members), and the
工作台's start made 258 (3,900 members). Python 3.11's enum machinery spends ~40 µs on each member (a `_EnumDict`
check per name, a `_proto_member.__set_name__` per member, a look through the class's bases for a descriptor of
the same name): 146–161 ms of a 500 ms start on the measuring machine, 35 ms of it before any window is made.

`install()` wraps `EnumType._create_` so that a call made as PySide makes it — plain member names, int values,
a stock base — makes its class from a copy of the namespace Python's own machinery gave a member-less class of that
base (made once per base), then adds the members exactly as `_proto_member.__set_name__` would (the same member
objects, maps, sort order, Flag masks and aliases), without the checks that cannot fail for such a call. Every other call, and any call where a check could matter (a name
starting with "_", a duplicate, a name a base class defines, a value that is not an int), goes to Python's own
`_create_` unchanged. Only on Python 3.11, whose enum internals this follows (the Windows build is pinned to
3.11); on any other version nothing is replaced. tests/desktop/test_pyside_enums.py makes every enum of QtCore,
QtGui and QtWidgets both ways and compares them attribute by attribute.
"""

from __future__ import annotations

import enum
import sys
from typing import Any

MARK = "_branch_ledger_fast"
_make_type = type.__new__  # the stock signature of _create_ has a parameter named `type`
_set_type_attribute = type.__setattr__
_STOCK_BASES = (enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag)


def _eligible(cls: Any, names: Any, type_: Any) -> bool:
    """A call as PySide makes it, where none of the stock path's checks can fail or change the outcome."""
    if type_ is not None or cls not in _STOCK_BASES or not isinstance(names, list):
        return False
    seen: set[str] = set()
    for item in names:
        if type(item) is not tuple or len(item) != 2:
            return False
        name, value = item
        if type(name) is not str or type(value) is not int or not name or name[0] == "_" or name in seen:
            return False
        seen.add(name)
    if "mro" in seen:
        return False
    # a name some base defines (`name`, `value`, a method …) is redirected through a property by the stock path
    return not any(seen.intersection(base.__dict__) for base in cls.__mro__)


def _add_members(enum_class: Any, names: list[tuple[str, int]]) -> None:
    """The members, added as `_proto_member.__set_name__` adds them (Python 3.11), in definition order."""
    new_member = enum_class._new_member_
    use_args = enum_class._use_args_
    is_flag = issubclass(enum_class, enum.Flag)
    member_names = enum_class._member_names_
    member_map = enum_class._member_map_
    value_map = enum_class._value2member_map_
    flag_mask = enum_class._flag_mask_ if is_flag else 0
    singles_mask = enum_class._singles_mask_ if is_flag else 0
    for name, value in names:
        member = new_member(enum_class, value) if use_args else new_member(enum_class)
        member._value_ = value
        member._name_ = name
        member.__objclass__ = enum_class
        member._sort_order_ = len(member_names)
        single = False
        if is_flag:
            single = value > 0 and value & (value - 1) == 0
            flag_mask |= value
            if single:
                singles_mask |= value
        canonical = value_map.get(value)
        if canonical is not None:
            member = canonical
        elif not is_flag or single:
            member_names.append(name)
        _set_type_attribute(enum_class, name, member)
        member_map[name] = member
        value_map.setdefault(value, member)
    if is_flag:
        enum_class._flag_mask_ = flag_mask
        enum_class._singles_mask_ = singles_mask
        enum_class._all_bits_ = 2 ** (flag_mask.bit_length()) - 1
        values = [m._value_ for m in enum_class]
        if values != sorted(values):
            enum_class._iter_member_ = enum_class._iter_member_by_def_


_FRESH = ("_member_names_", "_member_map_", "_value2member_map_", "_unhashable_values_")
_NOT_COPIED = frozenset(("__module__", "__dict__", "__weakref__", *_FRESH))
# set on the class after it is made, as the stock path sets __new__: type.__new__ would wrap these in a
# staticmethod/classmethod when found in the namespace
_SET_AFTER = ("__new__", "__init_subclass__", "__class_getitem__")


def _template(stock: Any, cls: Any, boundary: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """What Python's own machinery puts in the namespace of a member-less enum of base `cls` (the same for any
    name and module): one such class made the stock way, its namespace kept without the per-class parts."""
    made = stock(cls, "Template", [], module=__name__, boundary=boundary)
    namespace = {key: value for key, value in made.__dict__.items() if key not in _NOT_COPIED}
    after = {key: namespace.pop(key) for key in _SET_AFTER if key in namespace}
    return namespace, after


def install() -> bool:
    """Put the quick path in front of `EnumType._create_`; True when it is (or already was) in place."""
    if sys.version_info[:2] != (3, 11):
        return False
    meta = enum.EnumType
    stock = meta.__dict__.get("_create_")
    if stock is None:
        return False
    if getattr(stock, MARK, False):
        return True
    templates: dict[tuple[Any, Any], tuple[dict[str, Any], dict[str, Any]]] = {}

    def _create_(
        cls: Any,
        class_name: Any,
        names: Any,
        *,
        module: Any = None,
        qualname: Any = None,
        type: Any = None,  # noqa: A002 - the stock signature
        start: int = 1,
        boundary: Any = None,
    ) -> Any:
        if module is None:  # as the stock path finds it: the globals of whoever called the enum type
            try:
                module = sys._getframe(2).f_globals["__name__"]
            except (AttributeError, ValueError, KeyError):
                module = None
        if module is None or not isinstance(class_name, str) or not _eligible(cls, names, type):
            return stock(
                cls,
                class_name,
                names,
                module=module,
                qualname=qualname,
                type=type,
                start=start,
                boundary=boundary,
            )
        key = (cls, boundary)
        made = templates.get(key)
        if made is None:
            made = templates[key] = _template(stock, cls, boundary)
        template, after = made
        namespace = dict(template)
        namespace["__module__"] = module
        if qualname is not None:
            namespace["__qualname__"] = qualname
        namespace.update(_member_names_=[], _member_map_={}, _value2member_map_={}, _unhashable_values_=[])
        enum_class = _make_type(meta, class_name, (cls,), namespace)
        for attribute, value in after.items():
            _set_type_attribute(enum_class, attribute, value)
        _add_members(enum_class, names)
        return enum_class

    setattr(_create_, MARK, True)
    _create_.stock = stock  # type: ignore[attr-defined]
    setattr(meta, "_create_", _create_)  # noqa: B010 - a private name of the enum machinery
    return True
