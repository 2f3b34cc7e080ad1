"""Where the user's ledger lives: the per-user app data folder, `--data-dir`, or portable mode.

Portable mode: a file named `portable.txt` beside the executable (or beside the source tree's top when run from
source) keeps everything in a `data` folder next to it, with relative paths, so a USB stick works on any drive
letter. No Qt here: the headless `ledger` uses the same logic.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "BranchLedger"
PORTABLE_MARKER = "portable.txt"
DEFAULT_LEDGER_NAME = "ledger.sqlite"


def program_dir() -> Path:
    """The folder of the executable when frozen, else the source tree's top."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def is_portable() -> bool:
    return (program_dir() / PORTABLE_MARKER).exists()


def user_data_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "branch-ledger"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The one folder that holds the default ledger, its snapshots and the app's own settings."""
    if override:
        return Path(override)
    if env := os.environ.get("BRANCH_LEDGER_DATA_DIR"):
        return Path(env)
    if is_portable():
        return program_dir() / "data"
    return user_data_dir()


def default_ledger_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DEFAULT_LEDGER_NAME
