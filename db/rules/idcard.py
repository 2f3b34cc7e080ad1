"""公民身份号码 (GB 11643-1999), RULES.md §7.2."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from db import clock

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_RE18 = re.compile(r"^[0-9]{17}[0-9X]$")
_RE15 = re.compile(r"^[0-9]{15}$")


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    s = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[s % 11]


def normalise(raw: str) -> str:
    """Strip spaces, upper-case x, and upgrade a legacy 15-digit number to 18 digits."""
    text = re.sub(r"\s+", "", str(raw)).upper()
    if _RE15.match(text):
        first17 = text[:6] + "19" + text[6:]
        return first17 + check_char(first17)
    return text


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # "male" | "female"


def parse(raw: str, today: dt.date | None = None) -> IdInfo:
    """Validate and decode; raises ValueError with a Chinese reason (R01)."""
    number = normalise(raw)
    if not _RE18.match(number):
        raise ValueError("公民身份号码应为18位（前17位数字，最后一位数字或X）")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError("公民身份号码中的出生日期不存在") from None
    if birth > (today or clock.today()):
        raise ValueError("公民身份号码中的出生日期晚于今天")
    if check_char(number[:17]) != number[17]:
        raise ValueError(f"公民身份号码校验位不对（应为 {check_char(number[:17])}），请核对是否抄错")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number, birth, gender)


def mask(number: str | None) -> str:
    """Show only the first 3 and last 4 characters: 110***********002X."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) >= 7:
        return digits[:3] + "****" + digits[-4:]
    return "*" * len(digits)
