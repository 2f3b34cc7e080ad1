"""`ledger`: the headless command line (CONTRACT.md §1–2, §5). Never imports Qt.

Exit codes: 0 done; 1 input refused (what and where printed, nothing written); 2 usage error; 3 the ledger
file cannot be opened (locked, damaged, newer format). With --json, stdout holds one JSON document for every
outcome: the command's own shape, or `{"error": {"code", "message", "details": [{"where", "message"}]}}` with
code "refused" (exit 1), "usage" (exit 2) or "cannot_open" (exit 3). No outcome ends in a Python traceback:
an unforeseen failure is reported as code "internal", exit 1 (LEDGER_DEBUG=1 prints the traceback too).

Commands that only read the ledger (check, dump, dues, export, package, backup, verify) open it read-only:
they never migrate, snapshot, rename or write it, not even when it is damaged. Setting a damaged file aside
belongs to opening it for work (init, load, import, the GUI).
"""

from __future__ import annotations

from exports.cli.main import build_parser as build_parser
from exports.cli.main import main as main
