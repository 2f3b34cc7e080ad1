-- Undo keeps pictures (issue #13). The audit images (changes.before/after) hold the plain columns only, so a
-- photo or attachment deleted by `load --replace` could not be put back and its undo failed every time,
-- blocking every earlier undo. The audit triggers now keep the old value of every BLOB column a change deletes
-- or overwrites here, keyed by the operation; undo reads it back and then drops it.
CREATE TABLE _undo_blobs (
    op_id INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    col TEXT NOT NULL,
    data BLOB,
    PRIMARY KEY (op_id, tbl, row_id, col)
);

-- An operation whose undo failed (e.g. recorded before this step, with no kept pictures): the reason, in
-- Chinese. It is skipped by undo from then on, so one failed undo never blocks the earlier ones.
ALTER TABLE ops ADD COLUMN undo_failed TEXT;
