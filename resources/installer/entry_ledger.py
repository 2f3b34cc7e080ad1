"""PyInstaller entry of the console `ledger` executable: the `ledger` script. Never imports Qt."""

import sys

from exports.cli import main

sys.exit(main())
