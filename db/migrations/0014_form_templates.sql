-- The park's own forms kept in the ledger (issue #20). A template the secretary adds, or one that came in a
-- liaison's pack, is copied here with its bytes and their SHA-256; adding a template of the same name makes a
-- new version (the old ones stay, so a form filled last quarter can be filled again the same way). A pack
-- (表格包) is kept with its manifest; the hand-in package fills every form of the newest version of every
-- installed pack that is not removed.
CREATE TABLE form_packs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    manifest TEXT NOT NULL,
    added_on TEXT NOT NULL,
    removed_on TEXT,
    UNIQUE (name, version)
);

CREATE TABLE form_templates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('xlsx', 'docx')),
    data BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    added_on TEXT NOT NULL,
    pack_id INTEGER REFERENCES form_packs(id) ON DELETE CASCADE,
    period TEXT CHECK (period IS NULL OR period IN ('year', 'quarter')),
    due_day INTEGER CHECK (due_day IS NULL OR due_day BETWEEN 1 AND 28),
    profile TEXT CHECK (profile IS NULL OR profile IN ('masked', 'full')),
    UNIQUE (name, version)
);
CREATE INDEX form_templates_pack ON form_templates(pack_id);
