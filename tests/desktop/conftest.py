"""Desktop tests never read or write the secretary's remembered window sizes: each test gets its own file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def window_state_in_tmp(tmp_path: Path) -> Iterator[Path]:
    from desktop import fit

    path = tmp_path / "window-state.ini"
    fit.set_state_file(path)
    fit.simulate_screen(None)
    yield path
    fit.simulate_screen(None)
    fit.set_state_file(None)
