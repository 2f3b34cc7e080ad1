"""联络员汇总: the park liaison's table over many branches' hand-in packages (CONTRACT.md §2 `aggregate`).

Each package (a folder or a zip, encrypted zips given a password) is verified against its manifest first; only
whole, unchanged packages are counted. A tampered, incomplete or unreadable package is listed as such with
what is wrong and never counted. Of two packages of the same branch and year, the newer whole one counts and
the table says which one was set aside. The numbers come from each manifest's `summary` (docs/package.md), so
the liaison needs no ledger of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from db import clock
from exports.inbox import expand as expand
from exports.inbox import verify_all
from exports.package import VerifyResult
from exports.report import (
    Cancelled,
    Column,
    Paragraph,
    Progress,
    Report,
    Table,
    never,
    no_progress,
)

STAGES = ("applicant", "activist", "candidate", "probationary")
STATUS_LABELS = {
    "ok": "已核对，计入",
    "superseded": "已被较新的报送包取代，未计入",
    "tampered": "文件被改动，未计入",
    "incomplete": "文件不全，未计入",
    "unreadable": "无法读取，未计入",
}


def _int(v: Any) -> int | None:
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def _dec(v: Any) -> Decimal | None:
    if v is None:
        return None
    try:
        return Decimal(str(v)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


@dataclass
class BranchRow:
    source: Path
    status: str
    problems: list[str] = field(default_factory=list)
    branch: str = ""
    upper_org: str | None = None
    year: int | None = None
    profile: str | None = None
    created_at: str | None = None
    members: int | None = None
    full: int | None = None
    probationary: int | None = None
    meetings_held: int | None = None
    meetings_required: int | None = None
    meetings_by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    dues_due: Decimal | None = None
    dues_paid: Decimal | None = None
    dues_remitted: Decimal | None = None
    stages: dict[str, int] | None = None
    admitted: int | None = None
    checklist_met: int | None = None
    checklist_items: int | None = None
    guide_done: int | None = None  # 指导清单 items carried out (held or changed with a reason)
    guide_due: int | None = None  # items whose month is past, or done
    late_milestones: int | None = None  # 书记项目 milestones past their due date
    findings: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def counted(self) -> bool:
        return self.status == "ok"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def created_date(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat((self.created_at or "")[:10])
        except ValueError:
            return None

    def stage(self, key: str) -> int | None:
        return None if self.stages is None else int(self.stages.get(key, 0))

    def to_json(self) -> dict[str, Any]:
        def s(v: Any) -> Any:
            return str(v) if isinstance(v, Decimal) else v

        return {
            "source": str(self.source),
            "status": self.status,
            "counted": self.counted,
            "problems": self.problems,
            "branch": self.branch,
            "upper_org": self.upper_org,
            "year": self.year,
            "profile": self.profile,
            "created_at": self.created_at,
            "members": self.members,
            "full": self.full,
            "probationary": self.probationary,
            "meetings_held": self.meetings_held,
            "meetings_required": self.meetings_required,
            "meetings_by_kind": self.meetings_by_kind,
            "dues_due": s(self.dues_due),
            "dues_paid": s(self.dues_paid),
            "dues_remitted": s(self.dues_remitted),
            "applicants_by_stage": self.stages,
            "admitted": self.admitted,
            "checklist_met": self.checklist_met,
            "checklist_items": self.checklist_items,
            "guide_done": self.guide_done,
            "guide_due": self.guide_due,
            "late_milestones": self.late_milestones,
            "findings": self.findings,
            "note": self.note,
        }


def row_from(result: VerifyResult) -> BranchRow:
    m = result.manifest or {}
    row = BranchRow(
        source=result.path,
        status=result.status,
        problems=([result.error] if result.error else [])
        + [f"缺少：{p}" for p in result.missing]
        + [f"已改动：{p}" for p in result.changed]
        + [f"多出：{p}" for p in result.extra],
    )
    b = m.get("branch") or {}
    row.branch = str(b.get("name") or result.path.name)
    row.upper_org = b.get("upper_org")
    row.year = _int((m.get("period") or {}).get("year"))
    row.profile = m.get("profile")
    row.created_at = m.get("created_at")
    if not result.ok:
        row.note = "；".join(row.problems[:3]) + ("……" if len(row.problems) > 3 else "")
        return row  # numbers of a package that is not whole are not shown, so they cannot be mistaken
    s = m.get("summary") or {}
    mem = s.get("members") or {}
    row.members, row.full, row.probationary = (
        _int(mem.get("total")),
        _int(mem.get("full")),
        _int(mem.get("probationary")),
    )
    mt = s.get("meetings")
    if isinstance(mt, dict):
        held, req = mt.get("held") or {}, mt.get("required") or {}
        row.meetings_by_kind = {
            k: {"held": int(held.get(k, 0)), "required": int(req.get(k, 0))}
            for k in sorted(set(held) | set(req))
        }
        row.meetings_required = sum(int(v) for v in req.values())
        row.meetings_held = sum(min(int(held.get(k, 0)), int(v)) for k, v in req.items())
    d = s.get("dues")
    if isinstance(d, dict):
        row.dues_due, row.dues_paid, row.dues_remitted = (
            _dec(d.get("due")),
            _dec(d.get("paid")),
            _dec(d.get("remitted")),
        )
    dv = s.get("development")
    if isinstance(dv, dict):
        row.stages = {k: int(v) for k, v in (dv.get("by_stage") or {}).items()}
        row.admitted = _int(dv.get("admitted"))
    c = s.get("checklist")
    if isinstance(c, dict):
        row.checklist_met, row.checklist_items = _int(c.get("met")), _int(c.get("items"))
    g = s.get("guide_list")
    if isinstance(g, dict):
        done = sum(_int(g.get(k)) or 0 for k in ("done", "changed"))
        row.guide_done = done
        row.guide_due = done + sum(_int(g.get(k)) or 0 for k in ("skipped", "missed"))
    pr = s.get("projects")
    if isinstance(pr, dict) and pr.get("projects"):
        row.late_milestones = _int(pr.get("late_milestones"))
    row.findings = {k: int(v) for k, v in (s.get("findings") or {}).items()}
    return row


@dataclass
class AggregateResult:
    rows: list[BranchRow]
    out: list[Path] = field(default_factory=list)

    @property
    def counted(self) -> list[BranchRow]:
        return [r for r in self.rows if r.counted]

    @property
    def problems(self) -> list[BranchRow]:
        return [r for r in self.rows if r.status in ("tampered", "incomplete", "unreadable")]

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.counted if r.year is not None})

    def totals(self) -> dict[str, Any]:
        rows = self.counted

        def total(attr: str) -> Any:
            vals = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
            return (
                sum(vals, Decimal("0.00") if vals and isinstance(vals[0], Decimal) else 0) if vals else None
            )

        stages: dict[str, int] = {}
        for r in rows:
            for k, v in (r.stages or {}).items():
                stages[k] = stages.get(k, 0) + v
        findings: dict[str, int] = {}
        for r in rows:
            for k, v in r.findings.items():
                findings[k] = findings.get(k, 0) + v
        out = {
            a: total(a)
            for a in (
                "members",
                "full",
                "probationary",
                "meetings_held",
                "meetings_required",
                "dues_due",
                "dues_paid",
                "dues_remitted",
                "admitted",
                "checklist_met",
                "checklist_items",
                "guide_done",
                "guide_due",
                "late_milestones",
            )
        }
        out.update({"branches": len(rows), "applicants_by_stage": stages, "findings": findings})
        return out

    def to_json(self) -> dict[str, Any]:
        t = self.totals()
        return {
            "out": [str(p) for p in self.out],
            "packages": len(self.rows),
            "counted": len(self.counted),
            "rows": [r.to_json() for r in self.rows],
            "totals": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in t.items()},
        }

    def describe(self) -> str:
        t = self.totals()
        lines = [
            f"共读取 {len(self.rows)} 个报送包，计入 {len(self.counted)} 个支部：党员 {t['members'] or 0} 名"
            f"（正式 {t['full'] or 0}，预备 {t['probationary'] or 0}）。"
        ]
        if len(self.years) > 1:
            lines.append(f"注意：报送包属于不同年度（{'、'.join(map(str, self.years))}），合计跨年度。")
        for r in self.rows:
            if not r.counted:
                lines.append(f"  {r.branch}（{r.source.name}）：{r.status_label}。{r.note}")
        if self.out:
            lines.append("汇总表：" + "，".join(str(p) for p in self.out))
        return "\n".join(lines)


def _pick_current(rows: list[BranchRow]) -> None:
    """Of the whole packages of one branch and year, the newest counts; older ones are marked superseded."""
    groups: dict[tuple[str, int | None], list[BranchRow]] = {}
    for r in rows:
        if r.status == "ok":
            groups.setdefault((r.branch, r.year), []).append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: r.created_at or "", reverse=True)
        newest = group[0]
        for old in group[1:]:
            old.status = "superseded"
            old.note = (
                f"同一支部同一年度另有较新的报送包（生成于 {(newest.created_at or '').replace('T', ' ')}，"
                f"{newest.source.name}），以较新的为准"
            )
        newest.note = f"以本包为准；另有 {len(group) - 1} 份较早的报送包未计入"
    for r in rows:
        if r.status in ("tampered", "incomplete", "unreadable") and r.branch:
            same = [o for o in rows if o.counted and o.branch == r.branch and o.year == r.year]
            if same:
                r.note += f"；计入的是同一支部另一份完整的报送包（{same[0].source.name}）"


def collect(
    paths: Sequence[Path],
    *,
    password: str | None = None,
    passwords: dict[str, str] | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never,
) -> AggregateResult:
    """Verify and read every package; `passwords` maps a zip's file name to its password (else `password`)."""
    items = expand(paths)
    rows = verify_all(
        items,
        lambda p: (passwords or {}).get(p.name, password),
        progress=progress,
        cancelled=cancelled,
        then=row_from,  # in a worker process, the row is all that comes back
    )
    _pick_current(rows)
    rows.sort(key=lambda r: (not r.counted, r.branch, -(r.year or 0)))
    return AggregateResult(rows)


# ------------------------------------------------------------------------------------------ the table

COLUMNS = [
    Column("序号", 0.45, "center", "int"),
    Column("党支部", 2.6),
    Column("年度", 0.55, "center", "int"),
    Column("党员", 0.5, "right", "int"),
    Column("正式", 0.5, "right", "int"),
    Column("预备", 0.5, "right", "int"),
    Column("三会一课已开", 0.75, "right", "int"),
    Column("应开", 0.55, "right", "int"),
    Column("党费应交", 0.95, "right", "money"),
    Column("党费实交", 0.95, "right", "money"),
    Column("已上缴", 0.95, "right", "money"),
    Column("申请人", 0.55, "right", "int"),
    Column("积极分子", 0.6, "right", "int"),
    Column("发展对象", 0.6, "right", "int"),
    Column("预备党员（发展）", 0.75, "right", "int"),
    Column("本年发展", 0.6, "right", "int"),
    Column("六个一达标", 0.7, "center"),
    Column("指导清单已开展", 0.75, "center"),
    Column("书记项目逾期节点", 0.75, "right", "int"),
    Column("问题", 0.45, "right", "int"),
    Column("提醒", 0.45, "right", "int"),
    Column("待办", 0.45, "right", "int"),
    Column("报送日期", 1.0, "center", "date"),
    Column("说明", 2.2),
]


def _checklist_text(met: int | None, items: int | None) -> str | None:
    return None if items is None else f"{met or 0}/{items}"


def table_rows(result: AggregateResult) -> tuple[list[list[Any]], list[Any]]:
    rows = []
    for i, r in enumerate(result.counted, 1):
        rows.append(
            [
                i,
                r.branch,
                r.year,
                r.members,
                r.full,
                r.probationary,
                r.meetings_held,
                r.meetings_required,
                r.dues_due,
                r.dues_paid,
                r.dues_remitted,
                *[r.stage(k) for k in STAGES],
                r.admitted,
                _checklist_text(r.checklist_met, r.checklist_items),
                _checklist_text(r.guide_done, r.guide_due),
                r.late_milestones,
                r.findings.get("error"),
                r.findings.get("warning"),
                r.findings.get("reminder"),
                r.created_date,
                r.note,
            ]
        )
    t = result.totals()
    st = t["applicants_by_stage"]
    totals = [
        None,
        f"合计（{t['branches']} 个支部）",
        None,
        t["members"],
        t["full"],
        t["probationary"],
        t["meetings_held"],
        t["meetings_required"],
        t["dues_due"],
        t["dues_paid"],
        t["dues_remitted"],
        *[st.get(k) if any(r.stages is not None for r in result.counted) else None for k in STAGES],
        t["admitted"],
        _checklist_text(t["checklist_met"], t["checklist_items"]),
        _checklist_text(t["guide_done"], t["guide_due"]),
        t["late_milestones"],
        t["findings"].get("error"),
        t["findings"].get("warning"),
        t["findings"].get("reminder"),
        None,
        "",
    ]
    return rows, totals


def build_report(result: AggregateResult, title: str = "园区党支部报送情况汇总表") -> Report:
    rows, totals = table_rows(result)
    blocks: list[Any] = [
        Table(COLUMNS, rows, totals=totals, font_size=6.2, empty_text="（没有可计入的报送包）")
    ]
    other = [r for r in result.rows if not r.counted]
    if other:
        blocks.append(
            Table(
                [
                    Column("序号", 0.4, "center", "int"),
                    Column("党支部", 2.4),
                    Column("年度", 0.6, "center", "int"),
                    Column("文件", 3.0),
                    Column("状态", 1.6),
                    Column("说明", 5.0),
                ],
                [
                    [i, r.branch, r.year, r.source.name, r.status_label, r.note]
                    for i, r in enumerate(other, 1)
                ],
                heading=f"未计入的报送包（{len(other)} 个）",
                font_size=7,
            )
        )
    years = result.years
    period = f"{years[0]}年度" if len(years) == 1 else ("、".join(map(str, years)) + "年度" if years else "")
    note = (
        f"共读取 {len(result.rows)} 个报送包，计入 {len(result.counted)} 个。每个报送包都已按其文件清单逐一核对"
        "（SHA-256）；被改动或不完整的报送包不计入合计。三会一课“已开/应开”按各类会议应开次数计（超出不计）。"
    )
    if len(years) > 1:
        note += "注意：报送包属于不同年度，合计跨年度。"
    blocks.append(Paragraph(note))
    return Report(
        title=title,
        subtitle=f"{period}　　汇总于{clock.today():%Y年%m月%d日}".strip(),
        orientation="landscape",
        blocks=blocks,
        sheet_name="汇总",
        footer_note="",
    )


def write(result: AggregateResult, out: Path) -> Path:
    """Write the table as xlsx or pdf (by the file's suffix) through the Report renderers."""
    from exports.pdf import write_pdf
    from exports.xlsx import write_xlsx

    out = Path(out)
    report = build_report(result)
    (write_pdf if out.suffix.lower() == ".pdf" else write_xlsx)(report, out)
    result.out.append(out)
    return out


def aggregate(
    paths: Sequence[Path],
    out: Path | None,
    *,
    password: str | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never,
) -> AggregateResult:
    """Verify and read every package, then write the table to `out` (.xlsx or .pdf; None: no file)."""
    result = collect(paths, password=password, progress=progress, cancelled=cancelled)
    if out is not None:
        write(result, out)
    return result
