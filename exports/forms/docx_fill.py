"""Fill a .docx form template with docxtpl (Jinja2 inside Word), in the same sandbox and with the same 字段表
as the Excel forms. A table row repeats with `{%tr for 人 in 党员 %}` … `{%tr endfor %}`; a paragraph with
`{%p for … %}`. Every name is checked before anything is filled; an unknown one is reported with its
paragraph (第N段) or table cell (表格N 第R行第C列)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from db.fileutil import atomic_path
from exports.forms.engine import FormError, Usage, check_source, environment


def load(path: Path) -> DocxTemplate:
    if not path.exists():
        raise FormError([(str(path), "找不到这个文件")], path.name)
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise FormError([(str(path), f"不是可读的 Word（.docx）文件：{e}")], path.name) from None
    return tpl


def _places(tpl: DocxTemplate) -> list[tuple[str, str]]:
    """(place, text) of every paragraph and table cell of the body, in order."""
    doc = tpl.docx
    out: list[tuple[str, str]] = []
    for i, p in enumerate(doc.paragraphs, 1):
        out.append((f"第{i}段", p.text))
    for t, table in enumerate(doc.tables, 1):
        for r, row in enumerate(table.rows, 1):
            for c, cell in enumerate(row.cells, 1):
                out.append((f"表格{t} 第{r}行第{c}列", cell.text))
    for s, section in enumerate(doc.sections, 1):
        for kind, part in (("页眉", section.header), ("页脚", section.footer)):
            for i, p in enumerate(part.paragraphs, 1):
                out.append((f"第{s}节{kind}第{i}段", p.text))
    return out


def _locate(message: str, places: list[tuple[str, str]]) -> str:
    """The paragraph or cell a problem is in, found by the name quoted in its message."""
    needle = ""
    if "“" in message and "”" in message:
        needle = message.split("“", 1)[1].split("”", 1)[0]
    elif "下划线" in message:
        needle = "_"
    hits = [w for w, text in places if needle and needle in text and ("{" in text or "%" in text)]
    return "、".join(dict.fromkeys(hits)) if hits else "文档"


def scan(tpl: DocxTemplate, usage: Usage) -> None:
    places = _places(tpl)
    mine = usage.child()
    sources = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _rel, part in tpl.get_headers_footers(uri):
            sources.append(tpl.patch_xml(tpl.get_part_xml(part)))
    for src in sources:
        check_source(src, "文档", mine)
    for path in mine.fields:
        hits = [w for w, text in places if path.split(".")[-1] in text and "{" in text]
        for w in hits or ["文档"]:
            usage.add(path, w)
    for _w, message in mine.problems:
        usage.problems.append((_locate(message, places), message))


def fill_docx(template: Path, out: Path, ctx: dict[str, Any], usage: Usage) -> None:
    """Fill `template` into `out` (temporary name, then renamed). Raises FormError (nothing written) when any
    name is unknown or refused."""
    tpl = load(template)
    scan(tpl, usage)
    if usage.problems:
        raise FormError(usage.problems, template.name)
    env = environment()
    env.autoescape = True  # values go into XML: & and < must be escaped
    try:
        tpl.render(ctx, jinja_env=env)
    except SecurityError as e:
        raise FormError([("文档", f"沙箱拒绝：{e}")], template.name) from None
    except TemplateError as e:
        raise FormError([("文档", f"无法填写：{e}")], template.name) from None
    with atomic_path(out) as tmp:
        tpl.save(str(tmp))
