"""The ledger file: one SQLite file, locked for one writer, migrated, snapshotted, audited, undoable.

`open_ledger(path)` gives a `Ledger`. Every change runs inside `ledger.operation(name, label)`: one
transaction, an audit row with the before/after image of every row it touched (kept by triggers that the
schema generates for every tracked table), and an `OpResult` naming the tables it changed, so open screens
refresh only what they show. `ledger.undo_last()` reverses the last operation from its before-images.

This module is the one the rest of the code imports from; the parts live by concern:
- db/ledger.py        the Ledger: operations, undo, memo, snapshots/backups/restores of an open ledger
- db/ledger_open.py   opening a file for work or read-only, restoring a snapshot into place
- db/ledger_file.py   connecting (plain or SQLCipher), integrity checks, disk faults
- db/snapshots.py     snapshot names, listing, pruning, the consistent copy
- db/audit.py         the audit triggers that make undo possible
"""

from __future__ import annotations

from db.audit import UNTRACKED as UNTRACKED
from db.audit import audit_trigger_sql as audit_trigger_sql
from db.audit import install_audit_triggers as install_audit_triggers
from db.ledger import APPLICATION_ID as APPLICATION_ID
from db.ledger import Ledger as Ledger
from db.ledger import Operation as Operation
from db.ledger import OpInfo as OpInfo
from db.ledger import OpResult as OpResult
from db.ledger_file import SQLITE_HEADER as SQLITE_HEADER
from db.ledger_open import open_ledger as open_ledger
from db.ledger_open import open_ledger_readonly as open_ledger_readonly
from db.ledger_open import restore_snapshot_to as restore_snapshot_to
from db.snapshots import KEEP_RECENT_SNAPSHOTS as KEEP_RECENT_SNAPSHOTS
from db.snapshots import SNAPSHOT_REASONS as SNAPSHOT_REASONS
from db.snapshots import list_snapshots as list_snapshots
from db.snapshots import prune_snapshots as prune_snapshots
from db.snapshots import snapshot_dir as snapshot_dir
from db.snapshots import snapshot_info as snapshot_info
