"""Chinese line breaking for the PDFs (GB/T 15834 标点符号用法, the 避头尾 rule): no line starts with a closing
punctuation mark (，。、；：？！）」》… ) and none ends with an opening one (（「《“ ); a run of Latin letters and
digits (a date's 2026, an amount's 1,000.00, a code) is not broken inside when the line has another place to break.

reportlab's own CJK wrapping lets the full-width ，；：？！ start a line (its table of forbidden starts has only
the ASCII forms and a few Japanese marks) and never looks at the line's end, so the PDFs had lines starting with
"，" and ending with "（". This module is the rule as a pure function over glyph widths; exports/pdf.py feeds it
reportlab's glyphs. When a line has no legal break at all (a cell narrower than two characters), it breaks
where the width runs out rather than overflow the cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Closing marks: never at the start of a line.
CANNOT_START = frozenset(
    "，。、；：？！）」』》〉】〕］｝”’…—～·％‰℃°′″"  # full-width and Chinese marks
    ",.;:?!)]}%"  # their ASCII forms
    "々ー"
)
# Opening marks: never at the end of a line.
CANNOT_END = frozenset("（「『《〈【〔［｛“‘([{￥$＄")

FUZZ = 1e-6


def is_word_char(ch: str) -> bool:
    """Latin letters, digits and their joining marks: kept together like a word (ASCII, not a space)."""
    return len(ch) == 1 and ch.isascii() and not ch.isspace()


def break_allowed(before: str, after: str, *, keep_words: bool = True) -> bool:
    """May a line end after `before` with the next line starting with `after`?"""
    if after in CANNOT_START or before in CANNOT_END:
        return False
    if before in "…—" and after == before:  # ……and —— are one mark each
        return False
    return not (keep_words and is_word_char(before) and is_word_char(after))


@dataclass(frozen=True)
class Line:
    start: int  # index of the first glyph
    end: int  # one past the last glyph (a forced break's marker glyph included)
    width: float  # the glyphs' width (a forced break's marker counts 0)
    forced: bool  # ended by an explicit line break


def _back_off(chars: Sequence[str], start: int, b: int) -> int:
    """The break at or before `b` (the first glyph that does not fit) that the rules allow, keeping at least one
    glyph on the line: first without splitting a Latin word, then splitting it; else `b` itself."""
    for keep_words in (True, False):
        k = b
        while k > start + 1 and not break_allowed(chars[k - 1], chars[k], keep_words=keep_words):
            k -= 1
        if k > start + 1 or break_allowed(chars[k - 1], chars[k], keep_words=keep_words):
            return k
    return b


def break_lines(
    chars: Sequence[str],
    widths: Sequence[float],
    max_widths: Sequence[float],
    forced: Sequence[bool] | None = None,
) -> list[Line]:
    """Split glyphs into lines no wider than max_widths[line] (the last value repeats), by the rules above.

    `forced[i]` marks glyph i as an explicit line break (it ends its line and has no width of its own)."""
    n = len(chars)
    hard = forced or [False] * n
    lines: list[Line] = []
    start = 0
    while start < n:
        max_w = max_widths[min(len(lines), len(max_widths) - 1)]
        used = 0.0
        i = start
        end = n
        was_forced = False
        while i < n:
            if hard[i]:
                end, was_forced = i + 1, True
                break
            if used + widths[i] > max_w + FUZZ and i > start:
                end = _back_off(chars, start, i)
                break
            used += widths[i]
            i += 1
        width = sum(w for w, h in zip(widths[start:end], hard[start:end], strict=True) if not h)
        lines.append(Line(start, end, width, was_forced))
        start = end
    return lines


def violations(lines: Sequence[str]) -> list[str]:
    """The lines (as text) that break a rule: start with a closing mark or end with an opening one."""
    bad: list[str] = []
    for k, text in enumerate(lines):
        t = text.strip()
        if not t:
            continue
        if t[0] in CANNOT_START and k > 0 or t[-1] in CANNOT_END and k < len(lines) - 1:
            bad.append(text)
    return bad
