"""Compare two `ledger dump` documents of one ledger: before an upgrade (written by the old version) and after it
(written by the new version, after it migrated the file). Used by smoke-windows.sh for the upgrade check.

Everything the old version wrote must come back unchanged: every section, record and field, in the same order.
The new version may add what its newer schema has (a new section, a new field of a record); those additions are
listed, not refused. `exported_at` is ignored, and the document's `version` may only grow.

Usage: python resources/installer/dump_compare.py BEFORE.json AFTER.json    (exit 0 equal, 1 with the differences)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

IGNORED = {"exported_at"}
MAX_SHOWN = 20


def compare(old: Any, new: Any, path: str, diffs: list[str], added: Counter[str]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in old.items():
            where = f"{path}.{key}" if path else key
            if key not in new:
                diffs.append(f"{where}: missing after the upgrade")
            else:
                compare(value, new[key], where, diffs, added)
        for key in new.keys() - old.keys():
            added[f"{path}.{key}" if path else key] += 1
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            diffs.append(f"{path}: {len(old)} entries before, {len(new)} after")
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            compare(a, b, f"{path}[{i}]", diffs, added)
    elif old != new or type(old) is not type(new):
        diffs.append(f"{path}: {old!r} before, {new!r} after")


def _generic(path: str) -> str:
    """members[3].name -> members[].name: one line per kind of addition, not per record."""
    out, depth = [], 0
    for ch in path:
        if ch == "[":
            depth += 1
            out.append("[]")
        elif ch == "]":
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def diff_documents(before: dict[str, Any], after: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(differences, additions): the document's own fields first, then the data."""
    diffs: list[str] = []
    added: Counter[str] = Counter()
    if before.get("format") != after.get("format"):
        diffs.append(f"format: {before.get('format')!r} before, {after.get('format')!r} after")
    if int(after.get("version", 0)) < int(before.get("version", 0)):
        diffs.append(f"version: {before.get('version')} before, {after.get('version')} after (older)")
    skip = IGNORED | {"format", "version"}
    compare(
        {k: v for k, v in before.items() if k not in skip},
        {k: v for k, v in after.items() if k not in skip},
        "",
        diffs,
        added,
    )
    kinds: Counter[str] = Counter()
    for where, n in added.items():
        kinds[_generic(where)] += n
    return diffs, [f"{where} ({n}×)" for where, n in sorted(kinds.items())]


def summary(doc: dict[str, Any]) -> str:
    counts = {k: len(v) for k, v in doc.items() if isinstance(v, list) and v}
    return ", ".join(f"{k} {n}" for k, n in counts.items())


def main(before_path: str, after_path: str) -> int:
    with open(before_path, encoding="utf-8") as f:
        before = json.load(f)
    with open(after_path, encoding="utf-8") as f:
        after = json.load(f)
    diffs, additions = diff_documents(before, after)
    if diffs:
        print(f"{len(diffs)} differences between the dumps before and after the upgrade:")
        for line in diffs[:MAX_SHOWN]:
            print("  " + line)
        if len(diffs) > MAX_SHOWN:
            print(f"  … and {len(diffs) - MAX_SHOWN} more")
        return 1
    extra = f"; added by the new version: {', '.join(additions)}" if additions else ""
    print(f"dump equal after the upgrade ({summary(before)}){extra}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
