"""Each finding code's rule in words (../shared/CONTRACT.md §4, RULES.md §3.2).

Codes (M02, P03, D17…) are stable identifiers for the command line, the interchange file and the docs; they are
not what a secretary reads. Screens say the rule in these words and keep the code in a tooltip or a column she
can show when asked (issue #14).
"""

from __future__ import annotations

from db.rules.development import RULE_TITLES as DEVELOPMENT_TITLES

TITLES: dict[str, str] = {
    "M01": "每季度至少召开一次支部党员大会",
    "M02": "支委会一般每月召开一次",
    "M03": "党小组会一般每月召开一次",
    "M04": "按规定频次上党课",
    "M05": "每月开展主题党日",
    "M06": "每年至少召开一次组织生活会",
    "M07": "每年开展民主评议党员",
    "M08": "表决须过半数到会、赞成票超过应到会有表决权党员的半数",
    "M09": "会议记录须完整：主持人、记录人、出席和缺席原因",
    "M10": "会议记录会后及时录入（超过期限为补记）",
    "M11": "本期会议尚待召开",
    "P01": "每年核定党员的党费交纳基数",
    "P02": "连续3至5个月未交党费",
    "P03": "连续6个月以上未交党费（党章第九条，须审查）",
    "P04": "每月党费超过1000元须书记确认",
    "P05": "按期向上级党委上缴党费",
    "T01": "支委会（书记）任期即将届满",
    "T02": "任期届满须按期换届",
    "T03": "正式党员7人以上须设立支委会",
    "T04": "正式党员不足3人",
    "T05": "党员超过50人",
    "C01": "“六个一”自查项目达标",
    "C02": "“六有”子项达标",
    "R01": "公民身份号码有效",
    "R02": "性别、出生日期与身份证号一致",
    "R03": "半年以上未参加组织生活、未交党费（可能失联）",
    "L01": "组织关系介绍信的回执应在有效期满后一个月内退回",
    "L02": "外出满6个月、在固定地点工作生活的党员应转移组织关系",
    "L03": "流出地党支部应与流动党员经常联系（超过半年未联系）",
    "L04": "失联满6个月，研究是否停止党籍（须经组织程序）",
    "L05": "限期改正一般6个月、最长不超过1年，期满须作结论",
    "L06": "党龄满50年可颁发“光荣在党50年”纪念章",
    "L07": "元旦春节走访慰问生活困难党员、老党员",
    "K01": "按园区主题党日指导清单开展每月主题党日（地方惯例）",
    "K02": "书记项目按计划节点推进（地方惯例）",
    **DEVELOPMENT_TITLES,
}


def rule_title(code: str) -> str:
    """The rule in words; a code this table does not know yet reads as 其他规则 rather than as the bare code."""
    return TITLES.get(code, "其他规则")


def with_code(code: str) -> str:
    """For tooltips: the rule in words, then its code for reference (docs and the command line use it)."""
    return f"{rule_title(code)}（规则代码 {code}）"
