"""`ledger form`: the park's own forms — fill, pack, fields, install."""

from __future__ import annotations

import argparse
from pathlib import Path

from exports.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    UsageError,
    _emit,
    _fail,
    _open,
    _open_to_read,
)


def cmd_form_fill(args: argparse.Namespace) -> int:
    from exports import forms
    from exports.registry import Params

    if args.quarter is not None and args.year is None:
        raise UsageError("--quarter 需要同时给出 --year 年度")
    template, out = Path(args.template), Path(args.out)
    params = Params(year=args.year, quarter=args.quarter, as_of=args.as_of, masked=args.masked)
    try:
        with _open_to_read(args) as ledger:
            result = forms.fill(ledger, template, out, params)
    except forms.FormError as e:
        details = [{"where": w, "message": m} for w, m in e.problems]
        return _fail(getattr(args, "json", False), EXIT_REFUSED, "refused", str(e), details)
    lines = [f"已填写 {template.name}：{out}（用到 {len(result.fields)} 个字段，列表共 {result.rows} 行）"]
    lines += [f"注意：{w}" for w in result.warnings]
    _emit(args, result.to_json(), "\n".join(lines))
    return EXIT_OK


def cmd_form_pack(args: argparse.Namespace) -> int:
    from exports import forms
    from exports.forms.pack import fill_pack
    from exports.registry import Params

    params = Params(year=args.year, quarter=args.quarter, as_of=args.as_of)
    try:
        with _open_to_read(args) as ledger:
            result = fill_pack(ledger, Path(args.pack), Path(args.out), params)
    except forms.FormError as e:
        details = [{"where": w, "message": m} for w, m in e.problems]
        return _fail(getattr(args, "json", False), EXIT_REFUSED, "refused", str(e), details)
    doc = result.to_json()
    lines = [f"已填写表格包“{result.pack.name}”的 {len(doc['forms'])} 张表格：{result.folder}"]
    for f in doc["forms"]:
        lines.append(f"  {f['file']}（{f['due']} 前报送）")
        lines += [f"    注意：{w}" for w in f["warnings"]]
    _emit(args, doc, "\n".join(lines))
    return EXIT_OK


def cmd_form_fields(args: argparse.Namespace) -> int:
    from exports import forms

    doc = {
        "fields": [
            {"name": f.path, "kind": f.kind, "description": f.description, "masked": bool(f.sensitive)}
            for f in forms.FIELDS
        ]
    }
    if args.out:
        from exports.forms.fields_sheet import write_fields_xlsx

        out = write_fields_xlsx(Path(args.out))
        _emit(args, {**doc, "out": str(out)}, f"已导出字段表和园区字段表：{out}")
        return EXIT_OK
    lines = ["字段表（表格模板中写作 {{ 名称 }}；列表中的字段所在的行按列表逐行重复）："]
    for f in forms.FIELDS:
        flag = "（脱敏填写时部分隐去）" if f.sensitive else ""
        lines.append(f"  {f.path}\t{f.kind}\t{f.description}{flag}")
    _emit(args, doc, "\n".join(lines))
    return EXIT_OK


def cmd_form_install(args: argparse.Namespace) -> int:
    from db import forms as stored
    from exports import forms
    from exports.forms.pack import install_pack

    try:
        with _open(args) as ledger:
            pack = install_pack(ledger, Path(args.pack))
            templates = stored.pack_templates(ledger, pack.id)
    except forms.FormError as e:
        details = [{"where": w, "message": m} for w, m in e.problems]
        return _fail(getattr(args, "json", False), EXIT_REFUSED, "refused", str(e), details)
    doc = {
        "pack": pack.name,
        "version": pack.version,
        "sha256": pack.sha256,
        "forms": [
            {
                "title": t.name,
                "file": t.file_name,
                "version": t.version,
                "period": t.period,
                "due_day": t.due_day,
            }
            for t in templates
        ],
    }
    lines = [
        f"已安装表格包“{pack.name}”（第{pack.version}版），{len(templates)} 张表格；生成报送包时一并填写："
    ]
    lines += [f"  {t.name}（{t.file_name}，第{t.version}版）" for t in templates]
    _emit(args, doc, "\n".join(lines))
    return EXIT_OK


def cmd_form(args: argparse.Namespace) -> int:
    raise UsageError(
        "请给出 form 的子命令：fill（填写表格模板）、pack（填写表格包）、install（安装表格包）或 fields（字段表）"
    )
