"""What one cell of a secretary's sheet says: its text, a date in any of the styles people type or Excel
stores, yes/no, a person's name with the invisible characters taken out (and refused when it does not look like
a name), a money amount. Pure functions; the problems are Chinese sentences for the person who typed them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from db.dates import DateParseError, parse_date

YES = {"是", "有", "y", "yes", "√", "✓", "1"}
NO = {"否", "无", "n", "no", "×", "0", ""}

# A date in a ledger sheet is a date of a life or of a party record: nothing before 1900 or after 2100 is
# plausible (9999-12-31 and 0001-01-01 are what spreadsheets use for "empty" or "forever").
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
NAME_MAX = 40  # the longest names (少数民族 names with ·) stay well below this
CELL_MAX = 2000  # no field of a paper form holds more; beyond it the row is junk or a pasted document


def cell_text(value: Any) -> str:
    """What a cell reads as, for the problems table and for parsing: dates ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def is_invisible(ch: str) -> bool:
    """Zero-width spaces and joiners, direction overrides, the BOM, soft hyphens, control characters."""
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Cc", "Co", "Cs", "Cn") or ch in "\u2028\u2029"


def strip_invisible(text: str) -> str:
    """The text without invisible characters; line breaks and tabs become one space."""
    out = []
    for ch in text:
        if ch in "\r\n\t\u2028\u2029\x0b\x0c":
            out.append(" ")
        elif not is_invisible(ch):
            out.append(ch)
    return re.sub(r"\s+", " ", "".join(out)).strip()


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
_DOT = "·•・.．"


def clean_name(text: str) -> str:
    """A name as it should be kept: no invisible characters; a Chinese name without inner spaces; '·' for the
    dots people type between the parts of a 少数民族 name."""
    t = strip_invisible(text)
    if re.fullmatch(rf"[{_HAN}{_DOT}\s]+", t):
        t = re.sub(r"\s+", "", t)
        t = re.sub(rf"[{_DOT}]", "·", t)
    return t


def name_problem(name: str, raw: str | None = None) -> str | None:
    """Why `name` (already cleaned) cannot be a person's name, or None. `raw` is what the cell held."""
    if not name:
        if raw and raw.strip():
            return "姓名只含不可见字符（零宽空格、方向控制符等），没有可用的文字"
        return "姓名不能为空"
    if len(name) > NAME_MAX:
        return f"姓名有 {len(name)} 个字符，超过 {NAME_MAX} 个，不像是姓名（是否把其他内容粘贴到了这一格？）"
    if re.fullmatch(rf"[{_HAN}]+(·[{_HAN}]+)*", name):
        if len(name) < 2:
            return f"姓名“{name}”只有一个字，请写全名"
        return None
    # Latin-script names (外籍、少数民族拼写): letters, spaces, hyphens, apostrophes and middle dots.
    if re.fullmatch(r"[^\W\d_]+([ \-'·][^\W\d_]+)*", name) and any(c.isalpha() for c in name):
        if any(("\u3400" <= c <= "\u9fff") for c in name) and " " in name:
            return f"姓名“{name}”中间有空格和其他文字，不像是一个人的姓名"
        return None
    bad = sorted({c for c in name if not (c.isalpha() or c in " ·-'")})
    shown = "、".join(f"“{c}”" for c in bad[:5])
    return f"姓名“{name}”含有{shown}，不像是一个人的姓名（一格只能写一个人的姓名）"


def yes_no(text: str) -> bool | None:
    t = text.strip().lower()
    if t in YES:
        return True
    if t in NO:
        return False
    return None


def is_number(raw: Any, text: str) -> bool:
    """The cell still holds the number Excel stored (not text, not an override)."""
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and cell_text(raw) == text


def id_number_from(raw: Any, text: str) -> str:
    """A 公民身份号码 as typed (spaces out, upper case). ValueError when Excel stored it as a number (digits lost)."""
    if is_number(raw, text.strip()):
        digits = str(int(raw))
        if len(digits) >= 16:
            raise ValueError(
                "公民身份号码被 Excel 存成了数字，后几位已丢失。请把这一列设为“文本”格式后重新输入号码"
            )
        return digits
    return re.sub(r"\s+", "", text).upper()


def plausible(d: dt.date | None, text: str) -> dt.date | None:
    if d is not None and not EARLIEST <= d <= LATEST:
        raise DateParseError(
            f"“{text}”不是合理的日期（应在{EARLIEST.year}年至{LATEST.year}年之间），请填写实际日期或留空"
        )
    return d


def date_from(raw: Any, text: str, month_ok: bool = False) -> dt.date | None:
    """Excel dates, typed dates, and the numbers Excel makes of what people type (1990.05, 19900501)."""
    t = text.strip()
    if isinstance(raw, (dt.date, dt.datetime)) and cell_text(raw) == t:
        return plausible(parse_date(raw), t)
    if is_number(raw, t):
        if re.fullmatch(r"\d{8}", t):
            return plausible(parse_date(t), t)
        n = float(raw)
        if 1900 <= n < 2200:
            if n.is_integer():
                raise DateParseError(f"“{t}”只有年份，请写出年月日，如 {t}-05-01")
            if re.fullmatch(r"\d{4}\.1", t):
                raise DateParseError(
                    f"“{t}”在 Excel 中是数字，分不清是1月还是10月，请写成 {t[:4]}-01 或 {t[:4]}-10（或把单元格设为文本）"
                )
            return plausible(parse_date(t, month_ok=month_ok), t)
        if n.is_integer() and 1 <= n < 80000:
            return plausible(parse_date(n), t)  # an Excel date serial in a cell formatted as a number
        raise DateParseError(f"“{t}”不是可识别的日期，请写成 1990-05-01、1990.5.1 或 1990年5月1日")
    return plausible(parse_date(t, month_ok=month_ok), t)


MONEY_MAX = Decimal("1000000")


def money_from(raw: Any, text: str) -> Decimal | None:
    """An amount in 元: ≥ 0, at most two decimal places, below a sane bound. None for an empty cell;
    ValueError with a Chinese message otherwise."""
    t = text.strip().replace(",", "").replace("，", "").replace("元", "").replace("¥", "").replace("￥", "")
    if not t:
        return None
    if isinstance(raw, float) and cell_text(raw) == text.strip():
        t = f"{raw:.10f}".rstrip("0").rstrip(".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise ValueError(f"“{text.strip()}”不是金额，请填写数字（元），如 25 或 25.50") from None
    if not d.is_finite():
        raise ValueError(f"“{text.strip()}”不是金额")
    if d < 0:
        raise ValueError(f"金额“{text.strip()}”不能为负数")
    if d >= MONEY_MAX:
        raise ValueError(f"金额“{text.strip()}”过大，不像是一个月的党费")
    if d != d.quantize(Decimal("0.01")):
        raise ValueError(f"金额“{text.strip()}”超过两位小数（只记到分）")
    return d.quantize(Decimal("0.01"))


def count_from(raw: Any, text: str, upper: int = 100000) -> int | None:
    t = text.strip().rstrip("人名")
    if not t:
        return None
    if is_number(raw, text.strip()) and isinstance(raw, float) and not raw.is_integer():
        raise ValueError(f"“{text.strip()}”不是整数人数")
    if not re.fullmatch(r"\d{1,7}", t):
        raise ValueError(f"“{text.strip()}”不是人数，请填写整数")
    n = int(t)
    if n > upper:
        raise ValueError(f"人数“{t}”过大")
    return n
