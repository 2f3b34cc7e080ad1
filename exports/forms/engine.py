"""The template language of the park's forms: Jinja2's SandboxedEnvironment (a template comes from outside the
ledger) plus a check, before anything is filled, that every name a template uses is in the 字段表
(exports/forms/fields.py). An unknown name is an error that says where it is (sheet and cell, or paragraph);
it never becomes an empty cell.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from db.dates import fmt_zh
from db.errors import LedgerError
from exports.forms.fields import MAIN, Dictionary


class FormError(LedgerError):
    """A template cannot be filled: unknown names, bad syntax or a refused expression, each with its place."""

    def __init__(self, problems: list[tuple[str, str]], file: str = "") -> None:
        self.problems = problems  # (where, message)
        self.file = file
        head = f"表格模板 {file} 不能填写" if file else "表格模板不能填写"
        lines = [head + "："] + [f"  - {w}：{m}" for w, m in problems[:50]]
        if len(problems) > 50:
            lines.append(f"  …… 另有 {len(problems) - 50} 处")
        super().__init__("\n".join(lines))


@dataclass
class Usage:
    """What a template uses: the fields (path -> places), unknown names and other problems (place, message)."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    dictionary: Dictionary = MAIN

    def child(self) -> Usage:
        """An empty Usage checking against the same dictionary."""
        return Usage(dictionary=self.dictionary)

    def add(self, path: str, where: str) -> None:
        self.fields.setdefault(path, [])
        if where not in self.fields[path]:
            self.fields[path].append(where)

    def sensitive(self) -> dict[str, list[str]]:
        by_path = self.dictionary.by_path
        return {p: w for p, w in self.fields.items() if p in by_path and by_path[p].sensitive}


def finalize(value: Any) -> Any:
    if isinstance(value, dt.date):
        return fmt_zh(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if value is None:
        return ""
    return value


def _year_month(value: Any) -> str:
    """1985.03, the usual way of 出生年月 / 入党时间 on forms."""
    if isinstance(value, dt.date):
        return f"{value.year}.{value.month:02d}"
    return "" if value is None else str(value)


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))


FILTERS: dict[str, Callable[[Any], str]] = {"年月": _year_month, "日期": _iso}


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, finalize=finalize, autoescape=False)
    env.filters.update(FILTERS)
    return env


_ENV = environment()
ALLOWED_FILTERS = frozenset(
    {*FILTERS, "length", "default", "sum", "round", "int", "upper", "lower", "trim", "join"}
)
_INTERNAL = "模板不能访问程序内部（以下划线开头的名称），已拒绝"


def _chain(node: nodes.Node) -> tuple[nodes.Node, list[str]]:
    """Unwind `a.b.c` / `a['b']` to (root node, [b, c]); the root is whatever is not a plain step."""
    steps: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            steps.append(node.attr)
            node = node.node
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            steps.append(node.arg.value)
            node = node.node
        else:
            break
    steps.reverse()
    return node, steps


def _hint(path: str, dictionary: Dictionary) -> str:
    """ "（是不是：支部.名称？）" for a near miss; the 字段表 is in docs/forms.md and `ledger form fields`."""
    near = difflib.get_close_matches(path, list(dictionary.by_path), n=2, cutoff=0.5)
    return f"（是不是：{'、'.join(near)}？）" if near else f"（可用的名称见{dictionary.name}）"


def check_ast(tree: nodes.Node, where: str, usage: Usage, scope: dict[str, str] | None = None) -> None:
    """Record every field the expression/template uses; unknown names and refused constructs become problems.
    `scope` maps loop variables to the list they run over ("人" -> "党员")."""
    scope = dict(scope or {})
    dictionary = usage.dictionary
    lists = dictionary.lists

    def visit(node: nodes.Node, scope: dict[str, str]) -> None:
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            inner = dict(scope)
            it = _chain(node.iter)
            lst = None
            if isinstance(it[0], nodes.Name):
                base_name = scope.get(it[0].name, it[0].name)
                lst = ".".join([base_name, *it[1]])
            if isinstance(node.target, nodes.Name) and lst in lists:
                inner[node.target.name] = lst
                inner["loop"] = "loop"
            elif isinstance(node.target, nodes.Name):
                usage.problems.append((where, f"“for … in”只能用于字段表中的列表（{'、'.join(lists)}）"))
                return
            for n in [*node.body, *node.else_]:
                visit(n, inner)
            if node.test is not None:
                visit(node.test, inner)
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
            root, steps = _chain(node)
            if any(s.startswith("_") for s in steps):
                usage.problems.append((where, _INTERNAL))
                return
            if isinstance(root, nodes.Name):
                if root.name.startswith("_"):
                    usage.problems.append((where, _INTERNAL))
                    return
                if root.name == "loop" and "loop" in scope:
                    return
                base = scope.get(root.name, root.name)
                path = ".".join([base, *steps])
                if dictionary.known(path):
                    usage.add(path, where)
                else:
                    usage.problems.append(
                        (
                            where,
                            f"“{'.'.join([root.name, *steps])}”不在{dictionary.name}中{_hint(path, dictionary)}",
                        )
                    )
                return
            if steps:  # an attribute of a constant or a call result: never a field
                usage.problems.append((where, f"不允许的写法：对非字段取属性“{'.'.join(steps)}”"))
                return
            for child in root.iter_child_nodes():  # 党员[0]: a computed index
                visit(child, scope)
            return
        if isinstance(node, nodes.Call):
            usage.problems.append((where, "模板中不能调用函数或方法"))
            return
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            known = "、".join(sorted(ALLOWED_FILTERS))
            usage.problems.append((where, f"不支持的过滤器“{node.name}”（可用：{known}）"))
            return
        if isinstance(
            node,
            (
                nodes.Macro,
                nodes.CallBlock,
                nodes.Import,
                nodes.FromImport,
                nodes.Include,
                nodes.Extends,
                nodes.Assign,
                nodes.AssignBlock,
                nodes.Block,
            ),
        ):
            usage.problems.append((where, "表格模板只能用 {{ 字段 }}、if 和 for"))
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(tree, scope)


def parse(source: str, where: str, usage: Usage) -> nodes.Template | None:
    try:
        return _ENV.parse(source)
    except TemplateSyntaxError as e:
        usage.problems.append((where, f"模板语法错误：{e.message}"))
        return None


def check_source(source: str, where: str, usage: Usage, scope: dict[str, str] | None = None) -> bool:
    """Parse and check one piece of template text; True when it is fine to render."""
    before = len(usage.problems)
    tree = parse(source, where, usage)
    if tree is not None:
        check_ast(tree, where, usage, scope)
    return len(usage.problems) == before


@functools.lru_cache(maxsize=4096)
def _compiled(source: str) -> Template:
    """Template text compiled once: a row of list fields repeats its cells' text on every row of every fill, and
    compiling it was most of a park form's fill (6 of 13 s of the demo package under the profiler)."""
    return _ENV.from_string(source)


@functools.lru_cache(maxsize=4096)
def _expression(expr: str) -> Any:
    return _ENV.compile_expression(expr, undefined_to_none=False)


def render(source: str, ctx: dict[str, Any], where: str) -> str:
    """Render checked template text in the sandbox; a refusal by the sandbox is a FormError at `where`."""
    try:
        return _compiled(source).render(ctx)
    except SecurityError as e:
        raise FormError([(where, f"沙箱拒绝：{e}")]) from None
    except (UndefinedError, TemplateSyntaxError, TypeError, ValueError) as e:
        raise FormError([(where, f"无法填写：{e}")]) from None


def evaluate(expr: str, ctx: dict[str, Any], where: str) -> Any:
    """The native value of one checked expression (a number stays a number in Excel)."""
    try:
        value = _expression(expr)(**ctx)
    except SecurityError as e:
        raise FormError([(where, f"沙箱拒绝：{e}")]) from None
    except (UndefinedError, TemplateSyntaxError, TypeError, ValueError) as e:
        raise FormError([(where, f"无法填写：{e}")]) from None
    if isinstance(value, StrictUndefined):
        raise FormError([(where, "无法填写：没有这个值")])
    return value
