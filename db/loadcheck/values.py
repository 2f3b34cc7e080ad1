"""What every value of an interchange document must be, wherever it stands, and the value formats of the schema.

`walk` looks at every value once, without recursion (a document may be nested deeper than Python's stack):
depth, text (control characters, NUL, lone surrogates, bidirectional overrides, length), integers (64-bit),
numbers that are not finite, keys given twice. The `ledger-*` formats are checked by the JSON Schema
(db/schemas/common.json) through `FORMAT_CHECKER`: dates that exist and are plausible, birth dates not in the
future, months, times of day, money, names. Each problem is one Chinese sentence with the JSON path.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from db import clock
from db.errors import Problem
from db.loadcheck.reading import BadNumber, JsonObject

MAX_DEPTH = 32  # the deepest real place is a meeting's speech (6 levels); facts of a step add a few
# Characters in any one text; the fields a form prints have their own lower limits in the schema.
MAX_TEXT = 100_000
MAX_KEY = 100
BASE64_KEYS = ("data",)  # attachments and photos, base64: limited by the attachment size instead
MAX_BASE64 = (100 * 1024 * 1024 * 4) // 3 + 4  # the largest attachment_max_mb (100 MB) as base64
INT64_MAX = 2**63 - 1

YEAR_MIN, YEAR_MAX = 1900, 2100
MONEY_MAX = Decimal("10000000.00")  # ten million 元: above any monthly base, payment or a year's remittance

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# In a name: also no line breaks or tabs, no bidirectional overrides/isolates, no zero-width characters.
_NAME_BAD = re.compile(r"[\t\n\r\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def json_path(parts: tuple[str | int, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（文档）"


def _text_problem(s: str) -> str | None:
    m = _CONTROL.search(s)
    if m:
        what = "NUL（空字符）" if m.group() == "\x00" else f"U+{ord(m.group()):04X}"
        return f"含有控制字符 {what}（第 {m.start() + 1} 个字符），文本中不能有控制字符"
    m = _SURROGATE.search(s)
    if m:
        return f"含有无效的 Unicode 字符（孤立的代理项 U+{ord(m.group()):04X}，第 {m.start() + 1} 个字符）"
    return None


def walk(doc: Any) -> list[Problem]:
    """Every value once: the checks that hold for any field. Does not descend below MAX_DEPTH."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, (dict, list)) and len(path) >= MAX_DEPTH:
            problems.append(
                Problem(f"嵌套超过 {MAX_DEPTH} 层，交换文件中没有这么深的内容", column=json_path(path))
            )
            continue
        if isinstance(value, dict):
            for k in getattr(value, "duplicate_keys", ()) if isinstance(value, JsonObject) else ():
                problems.append(Problem(f"字段“{k[:40]}”出现了不止一次", column=json_path(path)))
            children = []
            for k, v in value.items():
                bad = _text_problem(k) or ("字段名过长" if len(k) > MAX_KEY else None)
                if bad:
                    problems.append(Problem(f"字段名{bad}", column=json_path((*path, k[:MAX_KEY]))))
                    continue
                children.append((v, (*path, k)))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str):
            limit = MAX_BASE64 if path and path[-1] in BASE64_KEYS else MAX_TEXT
            if len(value) > limit:
                problems.append(
                    Problem(f"文本过长（{len(value):,} 个字符，上限 {limit:,}）", column=json_path(path))
                )
                continue
            bad = _text_problem(value)
            if bad:
                problems.append(Problem(bad, column=json_path(path)))
        elif isinstance(value, BadNumber):
            problems.append(Problem(value.describe(), column=json_path(path)))
        elif isinstance(value, bool):
            pass
        elif isinstance(value, int):
            if not -INT64_MAX - 1 <= value <= INT64_MAX:
                problems.append(Problem(f"整数 {value} 超出 64 位整数的范围", column=json_path(path)))
        elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            problems.append(Problem("不是有限的数值", column=json_path(path)))
    problems.sort(key=lambda p: p.column or "")
    return problems


# ------------------------------------------------------------------------------------------ formats


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")
_MONEY = re.compile(r"^-?\d+\.\d{2}$")


def check_date(value: object) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return True  # the pattern of the schema says what the form must be
    y, m, d = (int(g) for g in _DATE.match(value).groups())  # type: ignore[union-attr]
    try:
        dt.date(y, m, d)
    except ValueError:
        raise ValueError(f"日期 {value} 不存在") from None
    if not YEAR_MIN <= y <= YEAR_MAX:
        raise ValueError(f"日期 {value} 不在 {YEAR_MIN}—{YEAR_MAX} 年之间")
    return True


def check_birth_date(value: object) -> bool:
    check_date(value)
    if isinstance(value, str) and _DATE.match(value) and dt.date.fromisoformat(value) > clock.today():
        raise ValueError(f"出生日期 {value} 在今天之后")
    return True


def check_month(value: object) -> bool:
    if not isinstance(value, str) or not _MONTH.match(value):
        return True
    y, m = (int(g) for g in _MONTH.match(value).groups())  # type: ignore[union-attr]
    if not 1 <= m <= 12:
        raise ValueError(f"月份 {value} 不存在（月应为 01—12）")
    if not YEAR_MIN <= y <= YEAR_MAX:
        raise ValueError(f"月份 {value} 不在 {YEAR_MIN}—{YEAR_MAX} 年之间")
    return True


def check_period(value: object) -> bool:
    """A remittance period (2026, 2026-Q1, 2026-H1, 2026-03): its year must be plausible."""
    if isinstance(value, str) and value[:4].isdigit() and not YEAR_MIN <= int(value[:4]) <= YEAR_MAX:
        raise ValueError(f"上缴期 {value} 不在 {YEAR_MIN}—{YEAR_MAX} 年之间")
    return True


def check_time(value: object) -> bool:
    if not isinstance(value, str) or not _TIME.match(value):
        return True
    h, m = (int(g) for g in _TIME.match(value).groups())  # type: ignore[union-attr]
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError(f"时间 {value} 不存在（应为 00:00—23:59）")
    return True


def check_money(value: object) -> bool:
    if not isinstance(value, str) or not _MONEY.match(value):
        return True
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"金额 {value} 不是数字") from None
    if amount < 0:
        raise ValueError(f"金额 {value} 是负数，金额不能小于 0")
    if amount > MONEY_MAX:
        shown = value if len(value) <= 20 else f"{value[:12]}…（共 {len(value)} 位）"
        raise ValueError(f"金额 {shown} 超出合理范围（上限 {MONEY_MAX:,} 元）")
    return True


def check_name(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if _NAME_BAD.search(value):
        raise ValueError("姓名/名称中有换行、制表符、零宽字符或文字方向控制符")
    if value and not value.strip():
        raise ValueError("姓名/名称只有空白")
    return True


def format_checker() -> Any:
    from jsonschema import FormatChecker

    fc = FormatChecker(formats=())
    for name, fn in (
        ("ledger-date", check_date),
        ("ledger-birth-date", check_birth_date),
        ("ledger-month", check_month),
        ("ledger-time", check_time),
        ("ledger-period", check_period),
        ("ledger-money", check_money),
        ("ledger-name", check_name),
    ):
        fc.checks(name, raises=ValueError)(fn)
    return fc
