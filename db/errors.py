"""Errors that carry a message a secretary can read (Chinese) and say what and where."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class LedgerError(Exception):
    """Base class. `str(err)` is a complete Chinese sentence for a person."""


class LedgerOpenError(LedgerError):
    """The ledger file cannot be opened (locked, damaged, newer format). CLI exit code 3."""


class LedgerLocked(LedgerOpenError):
    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(
            f"台账文件 {path} 正在被使用：{holder}。"
            "同一份台账同一时间只能在一处打开，请先在那里关闭程序；如果那台电脑已关机或程序已退出，请稍候再试。"
        )


class LedgerTooNew(LedgerOpenError):
    def __init__(self, path: Path, file_version: int, supported: int) -> None:
        self.file_version = file_version
        self.supported = supported
        super().__init__(
            f"台账文件 {path} 由更新版本的支部台账写入（文件格式 {file_version}），"
            f"本程序只支持到格式 {supported}。请安装最新版本的支部台账后再打开；文件未作任何改动。"
        )


class LedgerDamaged(LedgerOpenError):
    def __init__(self, path: Path, detail: str, set_aside: Path | None, snapshots: list[Path]) -> None:
        self.path = path
        self.detail = detail
        self.set_aside = set_aside
        self.snapshots = snapshots
        msg = f"台账文件 {path} 已损坏（{detail}）。"
        if set_aside is not None:
            msg += f"损坏的文件已另存为 {set_aside.name}，不会被覆盖。"
        if snapshots:
            msg += f"可以从最近的快照恢复：{snapshots[0].name}。"
        else:
            msg += "没有找到可用的快照，请用备份文件恢复。"
        super().__init__(msg)


class NotALedger(LedgerOpenError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"文件 {path} 不是支部台账文件（不是 SQLite 数据库，或缺少台账标记）。")


@dataclass
class Problem:
    """One problem in an input: where (file, row, column/field) and what."""

    message: str
    row: int | None = None
    column: str | None = None
    file: str | None = None
    value: str | None = None

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”")
        return "，".join(parts)

    def __str__(self) -> str:
        w = self.where()
        return f"{w}：{self.message}" if w else self.message

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


class InputRefused(LedgerError):
    """The input was refused; nothing was written. CLI exit code 1."""

    def __init__(self, problems: list[Problem], summary: str | None = None) -> None:
        self.problems = problems
        head = summary or "输入有误，未写入任何内容"
        lines = [head + "："] + [f"  - {p}" for p in problems[:50]]
        if len(problems) > 50:
            lines.append(f"  …… 另有 {len(problems) - 50} 处问题")
        super().__init__("\n".join(lines))


@dataclass
class ValidationResult:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class WriteFailed(LedgerError, OSError):
    """A file could not be written (full disk, stick pulled out, read-only folder). `str()` names the target and
    says what to do; the old file is intact and no temporary file is left. Also an OSError, so code that
    explains OSErrors in its own words (the hand-in package) still can. Made by `db.fileutil.write_failed`."""

    def __init__(self, message: str, target: Path, kind: str, code: int | None = None) -> None:
        OSError.__init__(self, code or 0, message, str(target))
        self.message = message
        self.target = target
        self.kind = kind

    def __str__(self) -> str:
        return self.message
