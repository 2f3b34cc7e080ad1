"""Reading an interchange file: bytes → text → JSON, refusing what cannot be read with the reason and the place.

Nothing here raises anything but `InputRefused` (or `LedgerError` when the file cannot be read at all): a file
in another encoding is named (UTF-16, GBK…), a JSON syntax error gives its line and column, and what the
standard json module would turn into an exception or a value the ledger cannot keep — nesting deeper than the
interpreter's recursion limit, an integer of thousands of digits, `NaN`/`Infinity`, a key given twice — is
turned into a marker that `db.loadcheck.values` reports at its JSON path.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from db.errors import InputRefused, LedgerError, Problem

# The demo document is under 1 MB; a branch with every meeting photo inline may reach tens of MB. Beyond this a
# file is not an interchange document (and reading it would only exhaust the memory of an office PC).
MAX_FILE_BYTES = 512 * 1024 * 1024
# Longest number literal kept as a number: 64-bit integers have at most 20 digits.
MAX_NUMBER_CHARS = 40


class BadNumber:
    """A number literal the ledger cannot keep (too long, NaN, Infinity); reported by the value check."""

    def __init__(self, text: str) -> None:
        self.text = text

    def describe(self) -> str:
        if self.text in ("NaN", "Infinity", "-Infinity"):
            return f"{self.text} 不是有效的数值"
        shown = self.text if len(self.text) <= 24 else f"{self.text[:12]}…（共 {len(self.text)} 位）"
        return f"数值 {shown} 超出范围"


class JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once (json keeps only the last)."""

    duplicate_keys: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> JsonObject:
    obj = JsonObject(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj.duplicate_keys = tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return obj


def _int(text: str) -> int | BadNumber:
    return BadNumber(text) if len(text) > MAX_NUMBER_CHARS else int(text)


def _float(text: str) -> float | BadNumber:
    if len(text) > MAX_NUMBER_CHARS:
        return BadNumber(text)
    value = float(text)
    return value if value not in (float("inf"), float("-inf")) else BadNumber(text)


def _encoding_guess(data: bytes) -> str | None:
    """What a file that is not UTF-8 most likely is, in words a secretary can act on; None = probably UTF-8."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if data.startswith(codecs.BOM_UTF16_LE):
        return "UTF-16（小端，带 BOM；记事本的“Unicode”）"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "UTF-16（大端，带 BOM）"
    head = data[:4096]
    if len(head) >= 4:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return "UTF-16（小端，无 BOM）"
        if even > len(head) // 4 and odd == 0:
            return "UTF-16（大端，无 BOM）"
    return None


def decode(data: bytes, name: str) -> str:
    guess = _encoding_guess(data)
    if guess is not None:
        raise InputRefused(
            [
                Problem(
                    f"文件是 {guess} 编码，交换文件须为 UTF-8 编码。请用文本编辑器另存为 UTF-8 后再载入",
                    file=name,
                )
            ],
            "无法读取交换文件，未写入任何内容",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            seems = "看起来是 GBK/GB18030 编码（中文 Windows 的默认编码）"
        except UnicodeDecodeError:
            try:
                data.decode("big5")
                seems = "看起来是 Big5 编码"
            except UnicodeDecodeError:
                seems = "无法识别是哪种编码（也可能不是文本文件）"
        raise InputRefused(
            [
                Problem(
                    f"不是 UTF-8 编码（第 {e.start + 1} 个字节 0x{data[e.start]:02X} 无效），{seems}。"
                    "请另存为 UTF-8 后再载入",
                    file=name,
                    row=line,
                )
            ],
            "无法读取交换文件，未写入任何内容",
        ) from None


def parse(text: str, name: str | None = None) -> Any:
    """JSON text → Python values, with the markers above. Raises InputRefused for a syntax error."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_int,
            parse_float=_float,
            parse_constant=BadNumber,
        )
    except json.JSONDecodeError as e:
        raise InputRefused(
            [
                Problem(
                    f"不是有效的 JSON：{_zh_json(e.msg)}", file=name, row=e.lineno, column=f"第{e.colno}列"
                )
            ],
            "无法读取交换文件，未写入任何内容",
        ) from None
    except RecursionError:
        raise InputRefused(
            [Problem("JSON 嵌套层数过深（成千上万层的列表或对象），不是支部台账交换文件", file=name)],
            "无法读取交换文件，未写入任何内容",
        ) from None
    except (ValueError, MemoryError) as e:
        raise InputRefused(
            [Problem(f"不是有效的 JSON：{type(e).__name__}", file=name)], "无法读取交换文件，未写入任何内容"
        ) from None


_JSON_MESSAGES = {
    "Expecting value": "此处应有一个值",
    "Expecting property name enclosed in double quotes": "此处应有用双引号括起的字段名",
    "Expecting ':' delimiter": "此处应有冒号“:”",
    "Expecting ',' delimiter": "此处应有逗号“,”",
    "Unterminated string starting at": "字符串没有结束的引号",
    "Invalid control character at": "字符串中有未转义的控制字符",
    "Invalid \\escape": "无效的转义序列",
    "Invalid \\uXXXX escape": "无效的 \\uXXXX 转义",
    "Extra data": "文档结束后还有多余内容",
}


def _zh_json(msg: str) -> str:
    return _JSON_MESSAGES.get(msg, msg)


def read_file(path: Path) -> Any:
    """Read and parse an interchange file; refuses an unreadable, oversized, non-UTF-8 or non-JSON file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputRefused(
                [
                    Problem(
                        f"文件有 {size // (1024 * 1024)} MB，超过交换文件的上限 {MAX_FILE_BYTES // (1024 * 1024)} MB",
                        file=path.name,
                    )
                ],
                "无法读取交换文件，未写入任何内容",
            )
        data = path.read_bytes()
    except OSError as e:
        raise LedgerError(f"无法读取 {path}：{e.strerror}") from None
    return parse(decode(data, path.name), path.name)
