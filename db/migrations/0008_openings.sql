-- 0008 opening balances (issue #15): what a member's paper records say as the electronic ledger starts
-- (settings.records_start_on): 党费已交至 (the last month paid for, "YYYY-MM") and the last 组织生活 attended.
-- They let arrears and R03 start from the truth without inventing payments or meetings.
CREATE TABLE member_openings (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL UNIQUE REFERENCES members(id) ON DELETE CASCADE,
    dues_paid_through TEXT CHECK (dues_paid_through IS NULL OR dues_paid_through GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    last_org_life_on TEXT CHECK (last_org_life_on IS NULL OR last_org_life_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    notes TEXT
);
