-- 0007 meetings brought in from a paper 记录本 or an Excel list (issue #15 §2): `source` 'paper' marks a record
-- 补录（据纸质记录）: it counts for cadence, is never presented as minutes, and keeps attendance as counts
-- (应到/实到) where the names are not known.
ALTER TABLE meetings ADD COLUMN source TEXT CHECK (source IS NULL OR source = 'paper');
ALTER TABLE meetings ADD COLUMN expected_count INTEGER CHECK (expected_count IS NULL OR expected_count >= 0);
ALTER TABLE meetings ADD COLUMN present_count INTEGER CHECK (present_count IS NULL OR present_count >= 0);
