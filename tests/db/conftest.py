"""tests/db: the robustness suite of `load` reports in the run's summary how many bad documents it checked."""

from __future__ import annotations

import sys
from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    module = sys.modules.get("tests.db.test_load_robustness")
    counts = getattr(module, "CHECKED", None)
    if counts and any(counts.values()):
        terminalreporter.write_line(
            "load robustness: {new} bad documents refused into a new ledger, {existing} into an existing one "
            "(each: exit 1, the JSON path named, nothing written)".format(**counts)
        )
