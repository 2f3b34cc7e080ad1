"""报送包: the hand-in folder for one branch and one year (CONTRACT.md §2 `package`, `verify-package`).

One folder named after the branch and the period holds every template of the registry for the year (xlsx and
pdf), the finalised 会议记录 and the 发展党员纪实表 of the year (pdf, one per record), `data.json` (the whole
ledger as an interchange document, masked per profile), `index.html` (a summary page that opens in any browser
without network) and `manifest.json` (branch, period, profile, every file with size and SHA-256, and the
summary the liaison's table is built from). The format is documented in docs/package.md.

This file is the package's public API: callers import from `exports.package`. One concern a file:

    manifest.py    format constants, names, checksums, read_manifest(), the year's summary
    plan.py        which files a package holds: templates and per-record files (record_ids())
    mask.py        the masked profile: masked_document(), redact_report()
    build.py       build_package(): write to a temporary folder, check, rename into place
    index_html.py  index.html and summary_rows()
    archive.py     zip_package() (AES when a password is given)
    verify.py      verify_package() of a folder or a zip, VerifyResult
    errors.py      PackageError and the Chinese explanation of a failed write
"""

from __future__ import annotations

from db.rules.development import STAGE_LABELS
from exports.package.archive import zip_package

# Re-exported for the tests that wrap them; patch them in exports.package.build, where they are looked up.
from exports.package.build import _write_bytes as _write_bytes
from exports.package.build import _write_report as _write_report
from exports.package.build import build_package
from exports.package.errors import PackageError
from exports.package.index_html import SEVERITY_LABELS, render_index, summary_rows
from exports.package.manifest import (
    CHUNK,
    DATA,
    FORMAT,
    HANDOVER_DIR,
    INDEX,
    MANIFEST,
    MAX_BRANCH_CHARS,
    PROFILE_LABELS,
    PROFILES,
    REPORTS_DIR,
    VERSION,
    WINDOWS_ILLEGAL,
    app_version,
    default_as_of,
    file_sha256,
    manifest_checksum,
    package_name,
    period_findings,
    read_manifest,
    safe_name,
    stream_sha256,
    year_summary,
)
from exports.package.mask import (
    SENSITIVE_KEYS,
    TEXT_SCRUB_KEYS,
    masked_document,
    redact_report,
    scrub_text,
    sensitive_values,
)
from exports.package.plan import ACTIVE_STAGES, PER_RECORD_SKIP, record_ids
from exports.package.verify import IGNORED_NAMES, VerifyResult, verify_package

__all__ = [
    "ACTIVE_STAGES",
    "CHUNK",
    "DATA",
    "FORMAT",
    "HANDOVER_DIR",
    "IGNORED_NAMES",
    "INDEX",
    "MANIFEST",
    "MAX_BRANCH_CHARS",
    "PER_RECORD_SKIP",
    "PROFILES",
    "PROFILE_LABELS",
    "REPORTS_DIR",
    "SENSITIVE_KEYS",
    "SEVERITY_LABELS",
    "STAGE_LABELS",
    "TEXT_SCRUB_KEYS",
    "VERSION",
    "WINDOWS_ILLEGAL",
    "PackageError",
    "VerifyResult",
    "app_version",
    "build_package",
    "default_as_of",
    "file_sha256",
    "manifest_checksum",
    "masked_document",
    "package_name",
    "period_findings",
    "read_manifest",
    "record_ids",
    "redact_report",
    "render_index",
    "safe_name",
    "scrub_text",
    "sensitive_values",
    "stream_sha256",
    "summary_rows",
    "verify_package",
    "year_summary",
    "zip_package",
]
