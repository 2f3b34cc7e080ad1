"""Schemes as data: stored per name and year, read and written as a small scheme file
(`branch-ledger-scorecard`, like the checklist file of db/checklists/definitions.py; see docs/interchange.md).

The example scheme shipped with the program (`example_scheme`) is built from the seeds' wording and is marked
示例，非正式标准: a branch replaces it with its upper 党委's own file."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import InputRefused, Problem
from db.interchange import insert_row
from db.rules.meetings import KINDS as MEETING_KINDS
from db.scorecards.model import EVIDENCE_KINDS, Item, Scheme, StarLevel

if TYPE_CHECKING:
    from db.connection import Ledger

FILE_FORMAT = "branch-ledger-scorecard"
EXAMPLE_NAME = "党支部星级自评（示例）"
EXAMPLE_NOTE = "示例，非正式标准：按种子材料的表述整理，分值和星级线仅作演示，请导入上级党委发布的评分标准。"

EXAMPLE_ITEMS: list[dict[str, Any]] = [
    {
        "key": "1",
        "title": "按期召开支部党员大会",
        "points": "10",
        "evidence": "meetings_cadence",
        "params": {"kind": "assembly"},
        "standard": "每季度召开一次支部党员大会",
    },
    {
        "key": "2",
        "title": "按期召开支部委员会",
        "points": "10",
        "evidence": "meetings_cadence",
        "params": {"kind": "committee"},
        "standard": "每月召开一次支部委员会",
    },
    {
        "key": "3",
        "title": "按期上党课",
        "points": "10",
        "evidence": "meetings_cadence",
        "params": {"kind": "lecture"},
        "standard": "按规定上党课",
    },
    {
        "key": "4",
        "title": "每月开展主题党日",
        "points": "10",
        "evidence": "meetings_cadence",
        "params": {"kind": "theme_day"},
        "standard": "每月开展1次主题党日",
    },
    {
        "key": "5",
        "title": "召开组织生活会、开展民主评议党员",
        "points": "10",
        "evidence": "meetings_cadence",
        "params": {"kind": "org_life"},
        "standard": "每年召开组织生活会",
    },
    {
        "key": "6",
        "title": "党费按月足额交纳",
        "points": "10",
        "evidence": "dues_collected",
        "standard": "党员按月足额交纳党费",
    },
    {
        "key": "7",
        "title": "党费按时上缴",
        "points": "5",
        "evidence": "dues_remitted",
        "standard": "收缴的党费按时上缴上级党委",
    },
    {
        "key": "8",
        "title": "发展党员程序规范",
        "points": "10",
        "evidence": "findings_clear",
        "params": {"codes": ["D"]},
        "standard": "发展党员各环节按规定程序和时限办理",
    },
    {
        "key": "9",
        "title": "党建阵地“六有”“六个一”达标",
        "points": "10",
        "evidence": "checklist_met",
        "standard": "党建阵地“六有”标准和“六个一”要求全部达标",
    },
    {
        "key": "10",
        "title": "设立党员先锋岗、示范岗、责任区",
        "points": "10",
        "evidence": "posts_active",
        "params": {"min": 2},
        "standard": "挂牌建立党员先锋岗，设置党员责任区，亮出党员身份，亮明岗位责任",
    },
    {
        "key": "11",
        "title": "党建工作特色品牌",
        "points": "5",
        "evidence": "manual",
        "standard": "结合本单位实际形成党建工作特色品牌（人工核对佐证材料）",
    },
]
EXAMPLE_STARS = [
    {"stars": 3, "min_score": "60"},
    {"stars": 4, "min_score": "80"},
    {"stars": 5, "min_score": "95"},
]


def _dec(v: Any) -> Decimal | None:
    try:
        d = Decimal(str(v).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def validate_scheme(s: Scheme) -> list[Problem]:
    problems: list[Problem] = []
    if not s.name.strip():
        problems.append(Problem("评分标准名称不能为空", column="name"))
    if not 1990 <= s.year <= 2100:
        problems.append(Problem(f"年度 {s.year} 不正确", column="year"))
    if not s.items:
        problems.append(Problem("评分标准至少要有一个指标", column="items"))
    seen: set[str] = set()
    for i, it in enumerate(s.items):
        where = f"items[{i}]"
        if not it.key:
            problems.append(Problem(f"第{i + 1}个指标缺少编号", column=f"{where}.key"))
        elif it.key in seen:
            problems.append(Problem(f"编号“{it.key}”重复", column=f"{where}.key"))
        seen.add(it.key)
        if not it.title:
            problems.append(Problem(f"第{i + 1}个指标缺少名称", column=f"{where}.title"))
        if it.points < 0:
            problems.append(Problem(f"指标“{it.title}”的分值不能为负", column=f"{where}.points"))
        if it.evidence not in EVIDENCE_KINDS:
            problems.append(
                Problem(
                    f"指标“{it.title}”的佐证方式“{it.evidence}”无效，应为 {'、'.join(EVIDENCE_KINDS)}",
                    column=f"{where}.evidence",
                )
            )
        elif it.evidence == "meetings_cadence" and it.params.get("kind") not in MEETING_KINDS:
            problems.append(
                Problem(
                    f"指标“{it.title}”要写明会议类型 params.kind（{'、'.join(MEETING_KINDS)}）",
                    column=f"{where}.params.kind",
                )
            )
        elif it.evidence == "findings_clear":
            codes = it.params.get("codes")
            if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c for c in codes):
                problems.append(
                    Problem(
                        f'指标“{it.title}”要写明提醒代码 params.codes，如 ["D"]',
                        column=f"{where}.params.codes",
                    )
                )
        elif it.evidence == "posts_active":
            m = it.params.get("min", 1)
            if not isinstance(m, int) or isinstance(m, bool) or m < 1:
                problems.append(
                    Problem(f"指标“{it.title}”的 params.min 应为正整数", column=f"{where}.params.min")
                )
    for j, lv in enumerate(s.stars):
        if lv.stars < 1 or lv.min_score < 0:
            problems.append(Problem("星级线应为正的星数和不小于0的分数", column=f"stars[{j}]"))
    return problems


# ------------------------------------------------------------------------------------------ file format


def scheme_to_json(s: Scheme) -> dict[str, Any]:
    return {
        "format": FILE_FORMAT,
        "version": 1,
        "name": s.name,
        "year": s.year,
        "issuer": s.issuer,
        "source": s.source,
        "example": s.example,
        "notes": s.notes,
        "stars": [{"stars": lv.stars, "min_score": str(lv.min_score)} for lv in s.stars],
        "items": [
            {
                "key": it.key,
                "title": it.title,
                "points": str(it.points),
                "evidence": it.evidence,
                "params": it.params,
                "standard": it.standard,
            }
            for it in s.items
        ],
    }


def scheme_from_json(data: Any, *, source: str | None = None, year: int | None = None) -> Scheme:
    """Read a scheme file; refuse it with what and where (JSON path) when it is wrong."""

    def refuse(msg: str, column: str | None = None) -> InputRefused:
        return InputRefused([Problem(msg, file=source, column=column)], "评分标准文件有误，未导入")

    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise refuse(f'不是支部台账的评分标准文件（缺少 "format": "{FILE_FORMAT}"）')
    items = data.get("items")
    if not isinstance(items, list):
        raise refuse("缺少指标列表 items", "items")
    out: list[Item] = []
    for i, it in enumerate(items):
        if not isinstance(it, dict):
            raise refuse("每个指标应是一个对象", f"items[{i}]")
        pts = _dec(it.get("points"))
        if pts is None:
            raise refuse(f"分值应为数字，实际是 {it.get('points')!r}", f"items[{i}].points")
        params = it.get("params") or {}
        if not isinstance(params, dict):
            raise refuse("params 应是一个对象", f"items[{i}].params")
        out.append(
            Item(
                str(it.get("key") or "").strip(),
                str(it.get("title") or "").strip(),
                pts,
                str(it.get("evidence") or "manual"),
                params,
                it.get("standard") or None,
            )
        )
    levels: list[StarLevel] = []
    for j, lv in enumerate(data.get("stars") or []):
        ms = _dec(lv.get("min_score")) if isinstance(lv, dict) else None
        st = lv.get("stars") if isinstance(lv, dict) else None
        if ms is None or not isinstance(st, int):
            raise refuse('星级线应写成 {"stars": 整数, "min_score": 分数}', f"stars[{j}]")
        levels.append(StarLevel(st, ms))
    y = year if year is not None else data.get("year")
    if not isinstance(y, int) or isinstance(y, bool):
        raise refuse("缺少年度 year（整数）", "year")
    s = Scheme(
        str(data.get("name") or "").strip(),
        y,
        out,
        data.get("issuer"),
        data.get("source"),
        bool(data.get("example")),
        levels,
        data.get("notes"),
    )
    problems = validate_scheme(s)
    if problems:
        for p in problems:
            p.file = source
        raise InputRefused(problems, "评分标准文件有误，未导入")
    return s


def example_scheme(year: int) -> Scheme:
    return scheme_from_json(
        {
            "format": FILE_FORMAT,
            "name": EXAMPLE_NAME,
            "year": year,
            "issuer": None,
            "source": "种子材料：松江“支部亮牌”、吴江党建工程星级评选、“六个一”标准（均为地方做法）",
            "example": True,
            "notes": EXAMPLE_NOTE,
            "stars": EXAMPLE_STARS,
            "items": EXAMPLE_ITEMS,
        }
    )


# ------------------------------------------------------------------------------------------ store


def _scheme(ledger: Ledger, r: Any) -> Scheme:
    items = [
        Item(
            i["key"],
            i["title"],
            Decimal(i["points"]),
            i["evidence"],
            json.loads(i["params"]) if i["params"] else {},
            i["standard"],
            i["id"],
        )
        for i in ledger.query(
            "SELECT * FROM scorecard_items WHERE scheme_id=? ORDER BY position, id", (r["id"],)
        )
    ]
    levels = [
        StarLevel(int(x["stars"]), Decimal(str(x["min_score"]))) for x in json.loads(r["stars"] or "[]")
    ]
    return Scheme(
        r["name"], r["year"], items, r["issuer"], r["source"], bool(r["example"]), levels, r["notes"], r["id"]
    )


def list_schemes(ledger: Ledger) -> list[Scheme]:
    return [_scheme(ledger, r) for r in ledger.query("SELECT * FROM scorecard_schemes ORDER BY year, id")]


def get_scheme(ledger: Ledger, scheme_id: int) -> Scheme:
    r = ledger.query_one("SELECT * FROM scorecard_schemes WHERE id=?", (scheme_id,))
    if r is None:
        raise InputRefused([Problem(f"评分标准 {scheme_id} 不存在")])
    return _scheme(ledger, r)


def scheme_for(ledger: Ledger, year: int) -> Scheme | None:
    """The scheme used for a year: the newest stored one of a year ≤ `year` (a scheme carries over until a new
    one is imported); None when none is stored."""
    r = ledger.query_one(
        "SELECT * FROM scorecard_schemes WHERE year<=? ORDER BY year DESC, id DESC LIMIT 1", (year,)
    )
    return _scheme(ledger, r) if r is not None else None


def _stars_json(s: Scheme) -> str:
    return json.dumps(
        [{"stars": lv.stars, "min_score": str(lv.min_score)} for lv in s.stars], ensure_ascii=False
    )


def _write_scheme(ledger: Ledger, s: Scheme, scheme_id: int | None = None) -> int:
    row = {
        "name": s.name,
        "year": s.year,
        "issuer": s.issuer,
        "source": s.source,
        "example": int(s.example),
        "stars": _stars_json(s),
        "notes": s.notes,
    }
    existing = ledger.query_one("SELECT id FROM scorecard_schemes WHERE name=? AND year=?", (s.name, s.year))
    if existing is None:
        if scheme_id is not None:
            row["id"] = scheme_id
        sid = insert_row(ledger, "scorecard_schemes", row)
    else:
        sid = int(existing[0])
        ledger.conn.execute(
            f"UPDATE scorecard_schemes SET {', '.join(f'{k}=?' for k in row)} WHERE id=?",
            [*row.values(), sid],
        )
        ledger.conn.execute("DELETE FROM scorecard_items WHERE scheme_id=?", (sid,))
    for pos, it in enumerate(s.items):
        insert_row(
            ledger,
            "scorecard_items",
            {
                "scheme_id": sid,
                "key": it.key,
                "position": pos,
                "title": it.title,
                "points": str(it.points),
                "evidence": it.evidence,
                "params": json.dumps(it.params, ensure_ascii=False) if it.params else None,
                "standard": it.standard,
            },
        )
    return sid


def save_scheme(ledger: Ledger, s: Scheme) -> int:
    """SaveScorecardScheme: store (or replace, same name and year) a scheme."""
    problems = validate_scheme(s)
    if problems:
        raise InputRefused(problems, "评分标准有误，未保存")
    with ledger.operation("SaveScorecardScheme", f"保存{s.year}年评分标准“{s.name}”") as op:
        op.value = _write_scheme(ledger, s)
    s.id = int(op.value)
    return s.id


def delete_scheme(ledger: Ledger, scheme_id: int) -> None:
    with ledger.operation("DeleteScorecardScheme", "删除评分标准"):
        ledger.conn.execute("DELETE FROM scorecard_schemes WHERE id=?", (scheme_id,))


def export_scheme(s: Scheme, path: Path) -> Path:
    from db.fileutil import atomic_path

    with atomic_path(path) as tmp:
        Path(tmp).write_text(
            json.dumps(scheme_to_json(s), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return path


def read_scheme_file(path: Path, year: int | None = None) -> Scheme:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise InputRefused([Problem(f"无法读取文件：{e.strerror}", file=Path(path).name)]) from None
    except json.JSONDecodeError as e:
        raise InputRefused(
            [Problem(f"不是有效的 JSON：{e.msg}", file=Path(path).name, row=e.lineno)]
        ) from None
    return scheme_from_json(data, source=Path(path).name, year=year)


def import_scheme(ledger: Ledger, path: Path, year: int | None = None) -> Scheme:
    """ImportScorecardScheme: read a scheme file and store it."""
    s = read_scheme_file(path, year)
    s.id = save_scheme(ledger, s)
    return s
