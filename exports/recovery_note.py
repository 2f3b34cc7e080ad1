"""恢复提示: the one page the secretary prints when she sets a password and keeps with the paper 记录本 (issue #21).

It says plainly that the password cannot be recovered, where the ledger and its copies are, and what to do if
the password is lost (rebuild from the last hand-in package and the paper records). It never carries the
password: a blank line is left for a hint in her own hand, if she wants one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db import clock
from db.cipher import NO_RECOVERY
from db.dates import fmt_zh
from exports.report import Block, KeyValues, Paragraph, Report, Signatures


def recovery_report(branch_name: str, ledger_path: Path, on: dt.date | None = None) -> Report:
    on = on or clock.today()
    blocks: list[Block] = [
        KeyValues(
            [
                ("党支部", branch_name),
                ("设置密码日期", fmt_zh(on)),
                ("台账文件", str(ledger_path)),
                ("快照文件夹", str(ledger_path.parent / "snapshots" / ledger_path.stem)),
            ],
            columns=1,
        ),
        Paragraph(
            "这份台账设有密码：台账文件、自动快照、备份和交接版中的台账副本都已加密，"
            "没有密码，任何人（包括维护人员）都读不出其中的党员信息。" + NO_RECOVERY,
            heading="一、密码不能找回",
        ),
        Paragraph(
            "本页不写密码。如需提示，可以在下面的横线上亲手写一句只有您看得懂的提示（不要写密码本身）：\n\n"
            "提示：________________________________________________\n\n"
            "密码保管人：________________　　交接时当面告知新书记，并在交接清单上签字。",
            heading="二、密码提示（可不填）",
        ),
        Paragraph(
            "1. 先试常用的写法（注意大小写、全角半角和输入法）。\n"
            "2. 仍然打不开：台账的内容无法恢复。请用最近一次报送包（报送给上级的文件夹，其中的交换文件）"
            "在支部台账中“新建支部 → 载入交换文件”重建，再对照纸质记录本补录之后的内容。\n"
            "3. 重建后立即设置新密码，并重新打印本页。",
            heading="三、忘记密码怎么办",
        ),
        Signatures(["书记"]),
    ]
    return Report(
        title="支部台账恢复提示",
        subtitle=f"{branch_name}　　请与纸质记录本一起保管",
        blocks=blocks,
        sheet_name="恢复提示",
    )


def write_recovery_note(target: Path, branch_name: str, ledger_path: Path) -> Path:
    from exports.pdf import write_pdf

    return write_pdf(recovery_report(branch_name, ledger_path), target)
