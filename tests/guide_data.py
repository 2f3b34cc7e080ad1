"""Sheets of a 主题党日指导清单 as upper committees send them, built with openpyxl for the tests: two shapes
(a title row, merged month cells, 月份/主题/内容要点/参考形式/时间节点 in one order; another wording and order
with "2026年1月" months) and a bad one."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

THEMES = [
    (1, "学习贯彻全会精神", "集中学习全会公报", "专题学习", "1月中旬"),
    (2, "新春慰问送温暖", "走访困难党员职工", "走访慰问", "春节"),
    (3, "学雷锋志愿服务", "园区志愿服务", "志愿服务", "3月5日"),
    (3, "巾帼建功", "女职工座谈", "座谈交流", "3月8日"),
    (4, "缅怀革命先烈", "清明祭扫", "红色寻访", "清明节"),
    (5, "劳动创造幸福", "劳模事迹分享", "主题微演讲", "5月1日"),
    (6, "安全生产月", "排查安全隐患", "党员责任区", "6月"),
    (7, "庆祝建党", "重温入党誓词", "主题党课", "7月1日"),
    (8, "双亮双争", "亮身份亮承诺", "岗位建功", "8月1日"),
    (9, "科技创新比武", "技术骨干党员大比拼", "技能比武", "9月"),
    (10, "爱国主义教育", "观看红色影片", "观影讨论", "国庆"),
    (11, "组织生活会准备", "谈心谈话与查摆", "谈心谈话", "11月"),
    (12, "年度述职评议", "民主评议党员", "民主评议", "12月"),
]


def sheet_a(path: Path, year: int = 2026) -> Path:
    """Title row, header 月份/主题/内容要点/参考形式/时间节点, "1月" months, March merged over two items."""
    wb = Workbook()
    ws = wb.active
    ws.title = "指导清单"
    ws.append([f"{year}年度“两新”组织党组织主题党日指导清单"])
    ws.merge_cells("A1:E1")
    ws.append(["月份", "主题", "内容要点", "参考形式", "时间节点"])
    row = 3
    for month, theme, points, forms, node in THEMES:
        ws.append([f"{month}月", theme, points, forms, node])
        row += 1
    # March has two items: the month cell merged over both (Excel keeps the value in the top cell only)
    ws["A6"] = None
    ws.merge_cells("A5:A6")
    wb.save(path)
    return path


def sheet_b(path: Path, year: int = 2026) -> Path:
    """Another committee: 序号, 活动主题, 开展时间 ("2026年1月" / "一月"), 重要节点, 主要内容, 活动形式, 备注."""
    wb = Workbook()
    ws = wb.active
    ws.append(["园区党委主题党日活动安排"])
    ws.append([])
    ws.append(["序号", "活动主题", "开展时间", "重要节点", "主要内容", "活动形式", "备注"])
    cn = "一二三四五六七八九十"
    for n, (month, theme, points, forms, node) in enumerate(THEMES, 1):
        when = f"{year}年{month}月" if month % 2 else (cn[month - 1] + "月" if month <= 10 else f"{month}月")
        ws.append([n, theme, when, node, points, forms, None])
    wb.save(path)
    return path


def sheet_bad(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["月份", "主题", "内容要点"])
    ws.append(["1月", "学习", "要点"])
    ws.append(["十三月", "不存在的月份", "x"])
    ws.append(["3月", None, "没有主题"])
    wb.save(path)
    return path


def png_bytes(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(out, "PNG")
    return out.getvalue()


def seed_year(ledger, tmp_path: Path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A branch in 2026 (today 2026-11-22 in the suite): the list imported, January–September held and linked,
    February changed with a reason, October missed (K01), November planned; one 书记项目 with a late milestone
    (K02), a progress note with a photo, a meeting and a figure."""
    import datetime as dt

    from db import guide_lists, projects
    from tests.orglife_data import add_committee, add_meeting, add_members

    ids = add_members(ledger, 5)
    add_committee(ledger, ids[:3])
    guide_lists.import_guide_sheet(ledger, sheet_a(tmp_path / "seed.xlsx"), issuer="测试园区党委")
    gl = guide_lists.get_list(ledger, 2026)
    assert gl is not None
    out: dict[str, int] = {}
    for it in gl.items:
        if it.month == 2:
            guide_lists.set_deviation(ledger, it.id or 0, "changed", "春节假期调整为线上学习")
            continue
        if it.month <= 9:
            day = dt.date(2026, it.month, 10 + it.seq)
            guide_lists.plan_item(ledger, it.id or 0, day)
            mid = add_meeting(ledger, ["theme_day"], day, topic=it.theme)
            guide_lists.link_meeting(ledger, it.id or 0, mid)
            out.setdefault("meeting", mid)
        elif it.month == 11:
            guide_lists.plan_item(ledger, it.id or 0, dt.date(2026, 11, 25))
    pid = projects.save_project(
        ledger,
        projects.Project(
            2026,
            "党员技术攻关突击队助力新产品量产",
            owner_id=ids[0],
            goal="新产品良率提升至95%",
            tags="科技攻关、工匠培育",
            background="新产品试产阶段良率偏低，技术骨干分散在三个车间。",
            problem="关键工序良率低；骨干党员作用发挥不明显。",
            measures="组建党员技术攻关突击队，设立党员示范岗，每月一次攻关例会。",
            schedule="3月组队；6月完成关键工序攻关；9月量产验收；12月总结。",
            expected="良率达到95%，培养技术骨干5名。",
            approved_on=dt.date(2026, 3, 1),
            targets=[projects.Target("产品良率", "95%"), projects.Target("培养技术骨干", "5名")],
        ),
    )
    m1 = projects.save_milestone(
        ledger, projects.Milestone("组建突击队", dt.date(2026, 3, 31), project_id=pid)
    )
    projects.save_milestone(
        ledger, projects.Milestone("关键工序攻关", dt.date(2026, 6, 30), dt.date(2026, 7, 8), project_id=pid)
    )
    projects.save_milestone(ledger, projects.Milestone("量产验收", dt.date(2026, 9, 30), project_id=pid))
    p = projects.get_project(ledger, pid)
    projects.add_progress(
        ledger,
        projects.Progress(
            dt.date(2026, 3, 25),
            "突击队12名党员到岗，举行授旗仪式",
            m1,
            out["meeting"],
            p.targets[1].id,
            "2名",
            project_id=pid,
        ),
        [("授旗.png", png_bytes(), "授旗仪式")],
        reached=True,
    )
    out["project"] = pid
    return out
