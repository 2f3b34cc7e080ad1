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
