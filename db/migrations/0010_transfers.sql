-- 组织关系转接 (RULES-EXT.md §11, issue #18): one row per 介绍信, out (issued by this branch's 基层党委 for a member
-- leaving) or in (received with a member arriving). The member's roster status follows the row (member_history).
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    member_id INTEGER NOT NULL REFERENCES members(id),
    letter_year INTEGER,                                  -- out: the year of the 第X号 series (ZZ05)
    letter_seq INTEGER,                                   -- out: X of 第X号, per year without gaps
    letter_no TEXT,                                       -- in: the number written on the incoming letter
    issued_on TEXT,                                       -- date on the 介绍信
    transfer_on TEXT NOT NULL,                            -- out: leaves the roster; in: 报到, joins the roster
    category TEXT NOT NULL DEFAULT 'full' CHECK (category IN ('full', 'probationary')),
    from_org TEXT,                                        -- 由 … (full name)
    to_org TEXT,                                          -- 去/转到 … (full name)
    addressee TEXT,                                       -- 抬头: the 党组织 the letter is addressed to
    dues_paid_through TEXT,                               -- "YYYY-MM": 党费已交到 (ZZ08)
    valid_days INTEGER,                                   -- 有效期 天 (ZZ07)
    channel TEXT NOT NULL DEFAULT 'paper' CHECK (channel IN ('paper', 'online')),
    reason TEXT,                                          -- 转接原因 (personal: not in the masked package)
    handled_by TEXT,                                      -- 经办人
    receipt_on TEXT,                                      -- out: 回执 received; in: 回执 sent back (ZZ06)
    receipt_by TEXT,                                      -- 回执 经办人 (the other side for out)
    admitted_on TEXT,                                     -- in, 预备党员: 支部大会接收日期 (预备期 start, D20)
    extension_months INTEGER,                             -- in, 预备党员: 延长预备期 already decided (D27)
    archive_checked TEXT,                                 -- in: 档案 check result (ZZ04)
    notes TEXT,
    CHECK (direction = 'in' OR (letter_year IS NOT NULL AND letter_seq IS NOT NULL)),
    CHECK (valid_days IS NULL OR valid_days BETWEEN 1 AND 92)
);
CREATE UNIQUE INDEX transfers_letter_no ON transfers(letter_year, letter_seq) WHERE direction = 'out';
CREATE INDEX transfers_member ON transfers(member_id, transfer_on);
