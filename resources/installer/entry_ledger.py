"""PyInstaller entry of the console `ledger` executable: the `ledger` script. Never imports Qt."""

import multiprocessing
import sys

# First of all: a copy of this exe started as a worker process of the liaison's inbox (exports/inbox.py, spawned)
# runs its task here and exits, never reaching the app below. PyInstaller's multiprocessing hook makes this work
# on Windows and Linux alike; in a source run it does nothing.
multiprocessing.freeze_support()

from exports.cli import main  # noqa: E402

sys.exit(main())
