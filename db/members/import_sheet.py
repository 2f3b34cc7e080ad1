"""Bring in the Excel roster a secretary already keeps (issue 2 §5; RULES.md §7.1, §7.2).

The header row is found by its Chinese names, in any order, below any title rows; columns we do not know are
ignored. Every row is read into a `Member` and checked with `members.validate` (ID checksum and agreement,
加入 after the 18th birthday, 转正 only for 正式党员) and for duplicate 公民身份号码 within the sheet and against
the ledger. Problems name the sheet's own row number and header text. A dry run writes nothing; an import
writes every row or none, as one operation ("ImportMembers").

党小组 named in the sheet that the ledger does not have yet are created in the same operation (a secretary
whose sheet says "第一党小组" expects to find that group afterwards); the dry run lists them as warnings.

`overrides` {(row, header): text} replaces what a cell holds: the GUI feeds the secretary's in-place fixes
through it and validates again, without touching the file.

Longer than 600 lines on purpose: it is kept whole (moved here from db/roster_import.py unchanged) until a
later task turns its reading half into the shared tolerant sheet reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import clock, members
from db.dates import DateParseError, add_years, fmt_zh, parse_date
from db.errors import Problem
from db.rules import idcard

if TYPE_CHECKING:
    from db.connection import Ledger

# field -> the header texts that mean it (normalised: no spaces, no "*", no bracketed notes).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "身份证"),
    "birth_date": ("出生日期", "出生年月"),
    "education": ("学历", "文化程度", "最高学历"),
    "category": ("人员类别", "党员类别", "类别"),
    "joined_on": ("加入党组织日期", "入党时间", "入党日期", "加入党组织时间"),
    "full_on": ("转为正式党员日期", "转正时间", "转正日期", "转为正式党员时间"),
    "job": ("工作岗位", "职务", "工作单位及职务", "工作单位及职务职称"),
    "post": ("党内职务", "现任党内职务"),
    "occupation": ("职业",),
    "frontline": ("生产工作一线", "是否生产工作一线"),
    "phone": ("手机号", "联系电话", "手机号码", "手机", "移动电话"),
    "landline": ("固定电话", "座机"),
    "address": ("家庭住址", "住址", "家庭地址"),
    "status": ("党籍状态",),
    "status_changed_on": ("状态变更日期", "党籍状态变更日期", "停止党籍日期"),
    "group": ("党小组", "所在党小组"),
    "lost_contact": ("是否为失联党员", "是否失联党员", "失联党员"),
    "lost_contact_since": ("失去联系日期", "失联日期", "失去联系时间"),
    "is_mobile": ("是否为流动党员", "是否流动党员", "流动党员"),
    "mobile_destination": ("外出流向", "流向"),
    "notes": ("备注",),
}
DATE_KEYS = ("birth_date", "joined_on", "full_on", "status_changed_on", "lost_contact_since")
MONTH_HEADERS = {
    "出生年月",
    "失去联系日期",
    "失联日期",
    "失去联系时间",
}  # where a year and month is all that is asked

GENDERS = {"男": "male", "男性": "male", "女": "female", "女性": "female"}
CATEGORIES = {"正式党员": "full", "正式": "full", "预备党员": "probationary", "预备": "probationary"}
STATUSES = {
    "正常": "active",
    "在册": "active",
    "正常党籍": "active",
    "停止党籍": "suspended",
    "停止": "suspended",
    "已转出": "transferred_out",
    "转出": "transferred_out",
    "去世": "deceased",
    "死亡": "deceased",
    "已去世": "deceased",
    "出党": "left",
    "除名": "left",
    "出党/除名": "left",
    "开除党籍": "left",
}
YES = {"是", "有", "y", "yes", "√", "✓", "1"}
NO = {"否", "无", "n", "no", "×", "0", ""}
EDUCATION = {
    "博士": "研究生（博士）",
    "博士研究生": "研究生（博士）",
    "研究生(博士)": "研究生（博士）",
    "硕士": "研究生（硕士）",
    "硕士研究生": "研究生（硕士）",
    "研究生(硕士)": "研究生（硕士）",
    "本科": "大学本科",
    "大本": "大学本科",
    "大专": "大学专科",
    "专科": "大学专科",
    "中专": "中等专科",
    "中技": "中等专科",
    "高中": "高中",
    "职高": "高中",
    "初中": "初中及以下",
    "小学": "初中及以下",
}
MAX_HEADER_SCAN = 30

_NOTE = re.compile(r"[（(][^）)]*[）)]")


def norm_header(text: object) -> str:
    """'公民身份\n号码（18位）*' -> '公民身份号码'."""
    s = re.sub(r"\s+", "", str(text or ""))
    s = s.replace("*", "").replace("＊", "").rstrip(":：")
    return _NOTE.sub("", s)


_LOOKUP = {norm_header(v): k for k, vs in HEADERS.items() for v in vs}


@dataclass
class SheetRow:
    """One data row of the sheet: its row number and the cell texts by header text (overrides applied)."""

    row: int
    values: dict[str, str]
    name: str = ""


@dataclass
class ImportResult:
    file: str = ""
    sheet: str = ""
    header_row: int | None = None
    columns: list[str] = field(default_factory=list)  # recognised header texts, in sheet order
    ignored_columns: list[str] = field(default_factory=list)
    records: list[SheetRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    imported: int = 0
    dry_run: bool = False
    groups_created: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # item key -> the sheet's header text for it
    raw_rows: dict[int, dict[str, Any]] = field(
        default_factory=dict, repr=False
    )  # row -> header -> cell value

    @property
    def rows(self) -> int:
        return len(self.records)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """CONTRACT.md §2: {"imported": N, "errors": [{"row", "column", "message"}], "warnings": [...]}."""
        return {
            "imported": self.imported,
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
        }

    def problems_at(self, row: int) -> list[Problem]:
        return [p for p in self.errors + self.warnings if p.row == row]


# ------------------------------------------------------------------------------------------ reading the file


class _FileProblem(Exception):
    pass


def cell_text(value: Any) -> str:
    """What a cell reads as, for the problems table and for parsing: dates ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _read_rows(path: Path) -> tuple[str, list[list[Any]]]:
    """(sheet name, rows of raw values) of the first sheet that has a recognisable header."""
    name = path.name
    suffix = path.suffix.lower()
    if name.startswith("~$"):
        raise _FileProblem(
            f"“{name}”是 Excel 打开文件时生成的临时文件，不是花名册。请选择不带“~$”的那个文件。"
        )
    if suffix in (".xls", ".et", ".wps"):
        raise _FileProblem(
            f"“{name}”是旧版 Excel（.xls）格式，无法直接读取。请在 Excel 中打开它，"
            "选择“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再导入新保存的 .xlsx 文件。"
        )
    if not path.exists():
        raise _FileProblem(f"找不到文件“{path}”。")
    try:
        if suffix == ".csv":
            return name, _read_csv(path)
        if suffix not in (".xlsx", ".xlsm"):
            raise _FileProblem(f"“{name}”不是 Excel 工作簿（.xlsx）。请在 Excel 中另存为 .xlsx 后再导入。")
        return _read_xlsx(path)
    except PermissionError:
        raise _FileProblem(
            f"无法读取“{name}”：文件可能正被 Excel 或其他程序以独占方式打开，或没有读取权限。请关闭该文件后再试。"
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        if isinstance(e, _FileProblem):
            raise
        raise _FileProblem(
            f"“{name}”无法作为 Excel 工作簿读取（文件可能已损坏，或实际上不是 .xlsx 格式）。"
            "请在 Excel 中打开并另存为 .xlsx 后再试。"
        ) from None


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _FileProblem(f"“{path.name}”的文字编码无法识别，请在 Excel 中另存为 .xlsx 后再导入。")
    return [list(r) for r in csv.reader(text.splitlines())]


def _read_xlsx(path: Path) -> tuple[str, list[list[Any]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = [wb.active, *[ws for ws in wb.worksheets if ws is not wb.active]]
        first: tuple[str, list[list[Any]]] | None = None
        for ws in sheets:
            if ws is None:
                continue
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            if first is None:
                first = (ws.title, rows)
            if _find_header(rows) is not None:
                return ws.title, rows
        return first or ("", [])
    finally:
        wb.close()


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, tuple[str, str]]] | None:
    """(index of the header row, {column index: (field, header text)}) or None."""
    best: tuple[int, dict[int, tuple[str, str]]] | None = None
    for i, row in enumerate(rows[:MAX_HEADER_SCAN]):
        found: dict[int, tuple[str, str]] = {}
        for j, v in enumerate(row):
            key = _LOOKUP.get(norm_header(v))
            if key:
                found[j] = (key, re.sub(r"\s+", "", str(v)))
        if (
            "name" in {k for k, _ in found.values()}
            and len(found) >= 2
            and (best is None or len(found) > len(best[1]))
        ):
            best = (i, found)
    return best


# ------------------------------------------------------------------------------------------ values


def _yes_no(text: str) -> bool | None:
    t = text.strip().lower()
    if t in YES:
        return True
    if t in NO:
        return False
    return None


def _is_number(raw: Any, text: str) -> bool:
    """The cell still holds the number Excel stored (not text, not an override)."""
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and cell_text(raw) == text


def _date_from(raw: Any, text: str, month_ok: bool) -> dt.date | None:
    """Excel dates, typed dates, and the numbers Excel makes of what people type (1990.05, 19900501)."""
    t = text.strip()
    if isinstance(raw, (dt.date, dt.datetime)) and cell_text(raw) == t:
        return parse_date(raw)
    if _is_number(raw, t):
        if re.fullmatch(r"\d{8}", t):
            return parse_date(t)
        n = float(raw)
        if 1900 <= n < 2200:
            if n.is_integer():
                raise DateParseError(f"“{t}”只有年份，请写出年月日，如 {t}-05-01")
            if re.fullmatch(r"\d{4}\.1", t):
                raise DateParseError(
                    f"“{t}”在 Excel 中是数字，分不清是1月还是10月，请写成 {t[:4]}-01 或 {t[:4]}-10（或把单元格设为文本）"
                )
            return parse_date(t, month_ok=month_ok)
        if n.is_integer() and 1 <= n < 80000:
            return parse_date(n)  # an Excel date serial in a cell formatted as a number
        raise DateParseError(f"“{t}”不是可识别的日期，请写成 1990-05-01、1990.5.1 或 1990年5月1日")
    return parse_date(t, month_ok=month_ok)


def _id_text(raw: Any, text: str) -> str:
    if _is_number(raw, text):
        digits = str(int(raw))
        if len(digits) >= 16:
            raise ValueError(
                "公民身份号码被 Excel 存成了数字，后几位已丢失。请把这一列设为“文本”格式后重新输入号码"
            )
        return digits
    return re.sub(r"\s+", "", text)


def _clean_name(text: str) -> str:
    t = text.strip()
    if re.fullmatch(r"[\u3400-\u9fff·\s]+", t):
        t = re.sub(r"\s+", "", t)
    return t


def _education(text: str) -> str:
    t = text.strip().replace("（", "(").replace("）", ")")
    return EDUCATION.get(t, text.strip())


def _occupation(text: str) -> str | None:
    t = text.strip()
    if not t:
        return None
    for code, label in members.OCCUPATION_LABELS.items():
        if t == label or t in label or label.startswith(t):
            return code
    return None


# ------------------------------------------------------------------------------------------ the import


def read_sheet(path: Path, overrides: Mapping[tuple[int, str], str] | None = None) -> ImportResult:
    """Read the sheet into rows by header text (no validation yet). File problems come back as errors."""
    path = Path(path)
    res = ImportResult(file=path.name)
    try:
        sheet, rows = _read_rows(path)
    except _FileProblem as e:
        res.errors.append(Problem(str(e), file=path.name))
        return res
    res.sheet = sheet
    if not any(any(cell_text(v) for v in r) for r in rows):
        res.errors.append(Problem(f"“{path.name}”中的工作表是空的，没有可导入的内容。", file=path.name))
        return res
    found = _find_header(rows)
    if found is None:
        res.errors.append(
            Problem(
                f"在“{path.name}”的前{MAX_HEADER_SCAN}行中没有找到表头。表头行应含“姓名”，以及“性别”“公民身份号码”"
                "“出生日期”“加入党组织日期”等列名（顺序不限）。",
                file=path.name,
            )
        )
        return res
    hi, cols = found
    res.header_row = hi + 1
    seen: dict[str, str] = {}
    used: dict[int, tuple[str, str]] = {}
    for j in sorted(cols):
        key, text = cols[j]
        if key in seen:
            res.warnings.append(
                Problem(f"与“{seen[key]}”是同一项，此列已忽略", row=hi + 1, column=text, file=path.name)
            )
            continue
        seen[key] = text
        used[j] = (key, text)
    res.columns = [t for _, t in used.values()]
    res.ignored_columns = [cell_text(v) for j, v in enumerate(rows[hi]) if j not in cols and cell_text(v)]
    if "id_number" not in seen:
        res.warnings.append(
            Problem("表中没有“公民身份号码”列，无法核对身份证号和重复人员", row=hi + 1, file=path.name)
        )
    overrides = overrides or {}
    raw_by_row: dict[int, dict[str, Any]] = {}
    for i in range(hi + 1, len(rows)):
        r = rows[i]
        rownum = i + 1
        raw: dict[str, Any] = {}
        values: dict[str, str] = {}
        for j, (_key, text) in used.items():
            v = r[j] if j < len(r) else None
            raw[text] = v
            values[text] = cell_text(v)
        for text in res.columns:
            if (rownum, text) in overrides:
                values[text] = str(overrides[(rownum, text)] or "").strip()
        if not any(values.values()):
            continue
        rec = SheetRow(rownum, values, _clean_name(values.get(seen["name"], "")))
        res.records.append(rec)
        raw_by_row[rownum] = raw
    res.raw_rows = raw_by_row
    res.fields = seen
    return res


def import_members(
    ledger: Ledger,
    path: Path,
    dry_run: bool = False,
    *,
    overrides: Mapping[tuple[int, str], str] | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Check (dry_run) or import a roster sheet. All rows or none; problems by the sheet's row and header."""
    from db import branch

    res = read_sheet(path, overrides)
    res.dry_run = dry_run
    if res.errors:
        return res
    if not res.records:
        res.errors.append(
            Problem(f"“{res.file}”的表头下面没有党员数据行。", row=res.header_row, file=res.file)
        )
        return res
    today = today or clock.today()
    fields = res.fields
    raws = res.raw_rows
    groups = {g.name.strip(): g.id for g in branch.list_groups(ledger)}
    new_groups: dict[str, int] = {}  # name -> first row
    existing_ids = {
        r[0]: r[1] for r in ledger.query("SELECT id_number, name FROM members WHERE id_number <> ''")
    }
    existing_names = {r[0] for r in ledger.query("SELECT name FROM members")}
    seen_ids: dict[str, int] = {}
    parsed: list[tuple[SheetRow, members.Member, str | None]] = []

    for rec in res.records:
        m, group_name, problems, warnings = _member_from(rec, raws[rec.row], fields, today)
        for p in problems + warnings:
            p.row, p.file = rec.row, res.file
        res.errors += problems
        res.warnings += warnings
        if group_name and group_name not in groups and group_name not in new_groups:
            new_groups[group_name] = rec.row
        if m is None:
            continue
        if m.id_number:
            if m.id_number in seen_ids:
                res.errors.append(
                    Problem(
                        f"与第{seen_ids[m.id_number]}行的公民身份号码重复",
                        row=rec.row,
                        column=fields.get("id_number"),
                        file=res.file,
                        value=m.id_number,
                    )
                )
            else:
                seen_ids[m.id_number] = rec.row
            if m.id_number in existing_ids:
                res.errors.append(
                    Problem(
                        f"台账中已有此公民身份号码的党员“{existing_ids[m.id_number]}”",
                        row=rec.row,
                        column=fields.get("id_number"),
                        file=res.file,
                    )
                )
        elif m.name in existing_names:
            res.warnings.append(
                Problem(
                    f"台账中已有同名党员“{m.name}”（本行无身份证号，无法判断是否同一人）",
                    row=rec.row,
                    column=fields.get("name"),
                    file=res.file,
                )
            )
        parsed.append((rec, m, group_name))

    for gname, row in new_groups.items():
        res.warnings.append(
            Problem(
                f"台账中还没有党小组“{gname}”，导入时将新建",
                row=row,
                column=fields.get("group"),
                file=res.file,
            )
        )
    res.groups_created = list(new_groups)
    if res.errors or dry_run:
        return res

    with ledger.operation("ImportMembers", f"从 Excel 导入 {len(parsed)} 名党员（{res.file}）") as op:
        for new_name in new_groups:
            groups[new_name] = branch.save_group(ledger, branch.PartyGroup(name=new_name))
        for _rec, m, group_name in parsed:
            m.group_id = groups.get(group_name) if group_name else None
            members.insert(ledger, m, validate_first=False)
        op.value = len(parsed)
    res.imported = len(parsed)
    return res


def _member_from(
    rec: SheetRow, raw: dict[str, Any], fields: dict[str, str], today: dt.date
) -> tuple[members.Member | None, str | None, list[Problem], list[Problem]]:
    """One row -> a validated Member (None when a value cannot even be read), its 党小组 name, problems."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    bad: set[str] = set()  # items whose value could not be read

    def text(key: str) -> str:
        h = fields.get(key)
        return rec.values.get(h, "").strip() if h else ""

    def err(key: str, msg: str) -> None:
        bad.add(key)
        errors.append(Problem(msg, column=fields.get(key), value=text(key) or None))

    m = members.Member(name=rec.name)
    if not m.name:
        err("name", "姓名不能为空")
    m.ethnicity = text("ethnicity") or None
    if m.ethnicity and len(m.ethnicity) <= 2 and not m.ethnicity.endswith("族") and m.ethnicity != "其他":
        m.ethnicity += "族"
    g = text("gender")
    if g:
        if g in GENDERS:
            m.gender = GENDERS[g]
        else:
            err("gender", f"性别“{g}”应为“男”或“女”")
    idh = fields.get("id_number")
    if idh and text("id_number"):
        try:
            m.id_number = _id_text(raw.get(idh), text("id_number"))
        except ValueError as e:
            err("id_number", str(e))
    dates: dict[str, dt.date | None] = {}
    month_only_birth = False
    for key in DATE_KEYS:
        h = fields.get(key)
        if not h or not text(key):
            continue
        month_ok = h in MONTH_HEADERS
        try:
            d = _date_from(raw.get(h), text(key), month_ok)
        except DateParseError as e:
            err(key, str(e))
            continue
        if key == "birth_date" and month_ok and d is not None:
            month_only_birth = True
        dates[key] = d
    m.birth_date = dates.get("birth_date")
    m.joined_on = dates.get("joined_on")
    m.full_on = dates.get("full_on")
    m.status_changed_on = dates.get("status_changed_on")
    m.lost_contact_since = dates.get("lost_contact_since")
    if month_only_birth and m.birth_date and m.id_number:
        # 出生年月 gives only the month: agree with the ID by month, then take the exact day from the ID.
        try:
            info = idcard.parse(m.id_number, today)
        except ValueError:
            pass
        else:
            if (info.birth_date.year, info.birth_date.month) != (m.birth_date.year, m.birth_date.month):
                err(
                    "birth_date",
                    f"出生年月 {m.birth_date.year}年{m.birth_date.month}月 与公民身份号码"
                    f"（{fmt_zh(info.birth_date)}）不一致",
                )
            m.birth_date = None
    elif month_only_birth and m.birth_date:
        warnings.append(
            Problem(
                f"只有出生年月，按{m.birth_date.year}年{m.birth_date.month}月1日记录",
                column=fields.get("birth_date"),
            )
        )
    m.education = _education(text("education")) or None
    c = text("category")
    if c:
        if c in CATEGORIES:
            m.category = CATEGORIES[c]
        else:
            err("category", f"人员类别“{c}”应为“正式党员”或“预备党员”")
    elif m.full_on:
        m.category = "full"
    elif m.joined_on and add_years(m.joined_on, 1) > today:
        m.category = "probationary"
        warnings.append(Problem("人员类别未填，入党不满一年，按预备党员导入", column=fields.get("category")))
    else:
        m.category = "full"
        if fields.get("category"):
            warnings.append(Problem("人员类别未填，按正式党员导入", column=fields.get("category")))
    s = text("status")
    if s:
        if s in STATUSES:
            m.status = STATUSES[s]
        else:
            err("status", f"党籍状态“{s}”应为“正常”或“停止党籍”")
    m.job = text("job") or None
    m.post = text("post") or None
    occ = text("occupation")
    if occ:
        m.occupation = _occupation(occ)
        if m.occupation is None:
            warnings.append(
                Problem(f"职业“{occ}”不在党内统计的分类中，未导入此项", column=fields.get("occupation"))
            )
    phone = text("phone")
    m.phone = re.sub(r"\s+", "", phone) or None
    m.landline = text("landline") or None
    m.address = text("address") or None
    m.notes = text("notes") or None
    m.mobile_destination = text("mobile_destination") or None
    for key, attr in (("is_mobile", "is_mobile"), ("frontline", "frontline")):
        v = text(key)
        yn = _yes_no(v)
        if yn is None:
            err(key, f"“{v}”应为“是”或“否”")
        else:
            setattr(m, attr, yn)
    lost = _yes_no(text("lost_contact"))
    if lost is None:
        err("lost_contact", f"“{text('lost_contact')}”应为“是”或“否”")
    elif lost and not m.lost_contact_since and "lost_contact_since" not in bad:
        err(
            "lost_contact_since" if fields.get("lost_contact_since") else "lost_contact",
            "失联党员请填写失去联系日期（年月）",
        )
    elif not lost and m.lost_contact_since and fields.get("lost_contact"):
        warnings.append(
            Problem(
                "填了失去联系日期，但“是否为失联党员”为否，已按失联党员导入",
                column=fields.get("lost_contact"),
            )
        )
    group = text("group") or None

    if "id_number" in bad:
        m.id_number = None  # unreadable: validate the rest of the row without it
    res = members.validate(m, today=today)
    strict = {id(p) for p in res.errors}
    by_label = {v: k for k, v in members.FIELD_LABELS.items()}
    fallback = {
        "status_changed_on": "status",
        "gender": "id_number",
        "birth_date": "id_number",
        "lost_contact_since": "lost_contact",
    }
    for p in res.errors + res.warnings:
        key = by_label.get(p.column or "", "")
        col = fields.get(key) or fields.get(fallback.get(key, "")) or p.column
        if key in bad or (col and col in {fields.get(k) for k in bad}):
            continue  # the cell could not be read: that problem is already reported
        if key == "status_changed_on" and not fields.get(key):
            p.message += "（可在表中加一列“状态变更日期”）"
        p.column = col
        p.value = rec.values.get(col or "") or None
        if not any(e.column == p.column and e.message == p.message for e in errors):
            (errors if id(p) in strict else warnings).append(p)
    return (None if errors else m), group, errors, warnings


def sheet_headers() -> Iterable[tuple[str, tuple[str, ...]]]:
    """For the guide and the dialog's help: each item and the header texts accepted for it."""
    return HEADERS.items()
