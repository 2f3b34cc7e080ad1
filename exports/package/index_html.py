"""index.html: the summary page of a package that opens in any browser without network (branch, period, the
summary as lines, the findings, and every file with a link and its size). `summary_rows` also gives the GUI
the summary's lines.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any
from urllib.parse import quote

from db.dates import fmt_zh
from db.rules.development import STAGE_LABELS
from db.rules.meetings import KIND_LABELS
from exports.package.manifest import HANDOVER_DIR, MANIFEST, REPORTS_DIR

_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans SC",sans-serif;margin:24px auto;max-width:980px;
color:#222;padding:0 16px;line-height:1.6}
h1{color:#8B0000;font-size:22px;margin-bottom:4px}h2{font-size:17px;border-bottom:2px solid #8B0000;
padding-bottom:3px;margin-top:28px}.sub{color:#666}table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}th{background:#F2E6E6}
tr:nth-child(even) td{background:#FAFAFA}td.n{text-align:right}.error{color:#C62828;font-weight:bold}
.warning{color:#B26A00}.reminder{color:#1565C0}.note{color:#666;font-size:13px}
code{font-size:12px;color:#555}td.nw,th.nw{white-space:nowrap}
"""

SEVERITY_LABELS = {"error": "问题", "warning": "提醒", "reminder": "待办"}


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def _money(v: Any) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        return f"{Decimal(str(v)):,.2f}"
    except (InvalidOperation, ValueError):
        return _e(v)


def summary_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The summary as (label, text) lines, for index.html and the GUI."""
    rows: list[tuple[str, str]] = []
    m = summary.get("members") or {}
    rows.append(
        (
            "党员",
            f"共 {m.get('total', 0)} 名：正式党员 {m.get('full', 0)} 名，预备党员 "
            f"{m.get('probationary', 0)} 名；党小组 {m.get('groups', 0)} 个",
        )
    )
    mt = summary.get("meetings")
    if mt is None:
        rows.append(("三会一课", "（本版本未记录）"))
    else:
        held, req = mt.get("held") or {}, mt.get("required") or {}
        parts = [f"{KIND_LABELS.get(k, k)} {held.get(k, 0)}/{req[k]}" for k in req if req[k] or held.get(k)]
        parts += [f"{KIND_LABELS.get(k, k)} {v}" for k, v in held.items() if k not in req and v]
        rows.append(("三会一课（已开/应开）", "，".join(parts) or "（无）"))
    d = summary.get("dues")
    if d is None:
        rows.append(("党费", "（本版本未记录）"))
    else:
        rows.append(
            (
                "党费",
                f"应交 {_money(d.get('due'))} 元，实交 {_money(d.get('paid'))} 元，"
                f"已上缴 {_money(d.get('remitted'))} 元；欠交 {d.get('arrears_members', 0)} 人",
            )
        )
    dv = summary.get("development")
    if dv is None:
        rows.append(("发展党员", "（本版本未记录）"))
    else:
        stages = "，".join(f"{STAGE_LABELS.get(k, k)} {v}" for k, v in (dv.get("by_stage") or {}).items())
        rows.append(
            (
                "发展党员",
                f"{stages or '（无）'}；本年接收预备党员 {dv.get('admitted', 0)} 名，"
                f"转正 {dv.get('converted', 0)} 名",
            )
        )
    c = summary.get("checklist")
    if c is None:
        rows.append(("六个一", "（本版本未记录）"))
    else:
        rows.append(
            (
                "六个一",
                f"达标 {c.get('met', 0)}/{c.get('items', 0)} 项，"
                f"细项 {c.get('sub_met', 0)}/{c.get('sub_items', 0)} 项",
            )
        )
    f = summary.get("findings") or {}
    rows.append(
        (
            "问题与提醒",
            f"问题 {f.get('error', 0)} 条，提醒 {f.get('warning', 0)} 条，待办 {f.get('reminder', 0)} 条",
        )
    )
    return rows


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def _zh_date(iso: Any) -> str:
    """2026-11-22 -> 2026年11月22日 (and a timestamp keeps its hh:mm), as everywhere else in the app."""
    text = "" if iso is None else str(iso)
    try:
        if "T" in text or " " in text:
            when = dt.datetime.fromisoformat(text)
            return f"{fmt_zh(when.date())} {when:%H:%M}"
        return fmt_zh(dt.date.fromisoformat(text))
    except ValueError:
        return text


# index.html lists the reports first, then the per-record folders, then the machine-readable files.
_FILE_ORDER = (REPORTS_DIR, HANDOVER_DIR, "发展党员纪实表", "会议记录")


def _file_key(path: str) -> tuple[int, str]:
    top = path.split("/", 1)[0] if "/" in path else ""
    return (_FILE_ORDER.index(top) if top in _FILE_ORDER else len(_FILE_ORDER), path)


def render_index(manifest: dict[str, Any], files: list[dict[str, Any]]) -> str:
    b = manifest["branch"]
    period = manifest["period"]
    created = _zh_date(manifest["created_at"])
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(b['name'])} {period['year']}年度报送包</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(b['name'])}　{period['year']}年度报送包</h1>",
        f'<p class="sub">{_e(manifest["profile_label"])}　·　统计截至 {_e(_zh_date(period["as_of"]))}　·　'
        f"生成于 {_e(created)}　·　支部台账 {_e(manifest['app']['version'])}"
        + (f"　·　上级党组织：{_e(b.get('upper_org'))}" if b.get("upper_org") else "")
        + "</p>",
    ]
    if manifest.get("failed"):
        out.append(
            '<h2 class="error">未能生成的报表</h2><p class="error">以下报表生成时出错，本报送包中没有它们，'
            "请联系技术支持后重新生成：</p><ul>"
        )
        for f in manifest["failed"]:
            out.append(f"<li>{_e(f.get('title'))}：{_e(f.get('error'))}</li>")
        out.append("</ul>")
    if manifest["profile"] == "masked":
        out.append(
            '<p class="note">本报送包为脱敏版：不含公民身份号码、手机号、固定电话、家庭住址和收入，'
            "姓名和统计数字保留。</p>"
        )
        if manifest.get("dues_detail") == "totals":
            out.append(
                '<p class="note">党费只报合计：本报送包不含每名党员的党费金额（党费核定表、收缴登记表、'
                "收缴公示未列入，交换文件中的党费核定与交纳记录为空），只有全支部的合计。</p>"
            )
        else:
            out.append(
                '<p class="note">请注意：本报送包列有每名党员每月应交、实交的党费金额。党费按税后工资收入的'
                "固定比例计算，读者可以据此推算出该党员的收入档次。如不希望报送每人的金额，"
                "请在生成报送包时选择“党费只报合计”（命令行：ledger package --totals-only）。</p>"
            )
    out.append("<h2>概况</h2><table>")
    for label, text in summary_rows(manifest["summary"]):
        out.append(f'<tr><th style="width:11em">{_e(label)}</th><td>{_e(text)}</td></tr>')
    out.append("</table>")
    found = manifest.get("findings") or []
    out.append(f"<h2>问题与提醒（{len(found)} 条）</h2>")
    if found:
        out.append(
            '<table><tr><th class="nw">类别</th><th class="nw">代码</th><th>事项</th><th class="nw">期限</th></tr>'
        )
        for f in found:
            sev = f.get("severity", "")
            out.append(
                f'<tr><td class="{_e(sev)} nw">{_e(SEVERITY_LABELS.get(sev, sev))}</td>'
                f'<td class="nw">{_e(f.get("code"))}</td><td>{_e(f.get("message"))}</td>'
                f'<td class="nw">{_e(_zh_date(f.get("due")))}</td></tr>'
            )
        out.append("</table>")
    else:
        out.append("<p>截至统计日期，没有发现问题或待办事项。</p>")
    park = manifest.get("forms") or []
    if park:
        out.append(
            f'<h2>园区表格（{len(park)} 张）</h2><table><tr><th>表格包</th><th>表格</th><th class="nw">期间</th>'
            '<th class="nw">报送期限</th><th class="nw">个人信息</th></tr>'
        )
        for f in park:
            out.append(
                f'<tr><td>{_e(f.get("pack"))}</td><td><a href="{quote(str(f.get("path") or ""))}">'
                f'{_e(f.get("title"))}</a></td><td class="nw">{_e(f.get("period_label"))}</td>'
                f'<td class="nw">{_e(f.get("due_text"))}</td>'
                f'<td class="nw">{"脱敏" if f.get("profile") == "masked" else "完整"}</td></tr>'
            )
        out.append("</table>")
    out.append(f"<h2>文件（{len(files) + 1} 个）</h2><table><tr><th>文件</th><th>内容</th><th>大小</th></tr>")
    listed = sorted(files, key=lambda f: _file_key(f["path"]))
    for f in listed:
        href = quote(f["path"])
        out.append(
            f'<tr><td><a href="{href}">{_e(f["path"])}</a></td><td>{_e(f.get("title") or "")}</td>'
            f'<td class="n">{_size(int(f["size"]))}</td></tr>'
        )
    out.append(
        f'<tr><td><a href="{MANIFEST}">{MANIFEST}</a></td><td>文件清单（每个文件的大小和 SHA-256）</td>'
        "<td></td></tr>"
    )
    out.append(
        '</table><p class="note">核对报送包是否完整、未被改动：在支部台账中打开“报送 → 核对报送包”，'
        "或运行 <code>ledger verify-package 本文件夹</code>。本页面只读，不需要网络。</p>"
    )
    out.append("</body></html>")
    return "\n".join(out) + "\n"
