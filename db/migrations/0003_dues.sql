-- 0003 党费: the yearly 核定 per member (with mid-year changes kept as rows), 年薪制 month pay, the monthly
-- payments and the remittances upward (RULES.md §2). Money is TEXT decimal strings in 元 ("15.00").

-- One 核定 of a member's monthly dues for a year. A mid-year change is a new row with `valid_from` (the first
-- month it applies) and a `reason`; the January row (valid_from NULL) stays, so the history is the rows.
CREATE TABLE dues_bases (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    year INTEGER NOT NULL,
    valid_from TEXT,                 -- 'YYYY-MM' of a mid-year change; NULL = from January
    kind TEXT NOT NULL CHECK (kind IN ('employed', 'annual_salary', 'irregular', 'retired', 'farmer',
                                      'student', 'unemployed', 'exempt', 'reduced')),
    base TEXT,                       -- 税后 monthly base (元); NULL for fixed kinds
    amount TEXT,                     -- the monthly dues fixed (元), after the secretary's confirmation
    approval_ref TEXT,               -- 少交/免交: 上级党委批准文号
    cap_confirmed_on TEXT,           -- P04: when the secretary confirmed an amount for a rule amount above dues_cap
    quarterly INTEGER NOT NULL DEFAULT 0,  -- 经支部同意按季度交纳
    worksheet TEXT,                  -- JSON {"items": {code: "0.00"}, "deductions": {code: "0.00"}}
    draft INTEGER NOT NULL DEFAULT 0,      -- 1 = copied by 年初核定, awaiting review
    fixed_on TEXT,                   -- 核定日期
    reason TEXT,                     -- why a mid-year change (or a correction) was made
    notes TEXT
);
CREATE UNIQUE INDEX dues_bases_member_year ON dues_bases(member_id, year, coalesce(valid_from, ''));
CREATE INDEX dues_bases_year ON dues_bases(year);

-- 年薪制: the pay actually received in a month (RULES.md §2.1); overrides the year's regular base that month.
CREATE TABLE dues_month_bases (
    id INTEGER PRIMARY KEY,
    base_id INTEGER NOT NULL REFERENCES dues_bases(id) ON DELETE CASCADE,
    month TEXT NOT NULL,             -- 'YYYY-MM'
    base TEXT NOT NULL,
    amount TEXT NOT NULL,
    cap_confirmed_on TEXT,
    notes TEXT
);
CREATE UNIQUE INDEX dues_month_bases_month ON dues_month_bases(base_id, month);

-- What was paid for a month (several rows for one month are added up: a top-up after a raise).
CREATE TABLE dues_payments (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    month TEXT NOT NULL,             -- 'YYYY-MM', the month paid for
    amount TEXT NOT NULL,
    paid_on TEXT,
    method TEXT,                     -- cash / bank / wechat / alipay / other (or free text from elsewhere)
    collector TEXT,                  -- 收款人
    notes TEXT
);
CREATE INDEX dues_payments_member ON dues_payments(member_id, month);
CREATE INDEX dues_payments_month ON dues_payments(month);

-- 上缴: money remitted to the upper 党委 for a period ('2026-Q1', '2026-03', '2026-H1' or '2026').
CREATE TABLE remittances (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    amount TEXT NOT NULL,
    paid_on TEXT,
    reference TEXT,                  -- bank reference / 回单号
    notes TEXT
);
CREATE INDEX remittances_period ON remittances(period);
