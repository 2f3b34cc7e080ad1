-- 0011 a member's life in the branch beyond the meetings (issue #18 items 3–5): 流动党员 (RULES-EXT.md §12,
-- LD01–LD11) with their contact log, 党费 paid at the 流入地 and 失联 records; 奖惩 (§13.1, §13.3: 表彰表扬,
-- 纪律处分, 组织处置); 关怀 (§13.2: the register of 困难党员/老党员 with the 关怀豁免 flag, and the visits).

-- 外出 records (流动党员登记册, LD04–LD07): where, since when, why, contact, the 活动证.
CREATE TABLE mobility_outings (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    left_on TEXT NOT NULL,                 -- 外出时间
    returned_on TEXT,                      -- 返回日期 (活动证 handed in for 查验)
    destination TEXT NOT NULL,             -- 外出地点 / 流向 (省/市/县)
    employer TEXT,                         -- 工作单位
    kind TEXT NOT NULL DEFAULT 'work' CHECK (kind IN ('work', 'study', 'business', 'family', 'other')),
    away_reason TEXT,                      -- 外出原因 (personal: not in the masked package)
    fixed_place INTEGER NOT NULL DEFAULT 0,  -- 在固定地点长期工作/生活 (ZZ01: transfer the relation)
    contact TEXT,                          -- 联系方式 (personal)
    host_branch TEXT,                      -- 流入地党组织
    host_contact TEXT,                     -- 流入地联系人 (personal)
    card_no TEXT,                          -- 流动党员活动证 编号
    card_issued_on TEXT,
    card_valid_until TEXT,
    vote_elsewhere INTEGER NOT NULL DEFAULT 0,  -- 经上级同意、党员大会通过，不计入应到有表决权 (RULES §1.2, LD03)
    notes TEXT
);
CREATE INDEX mobility_outings_member ON mobility_outings(member_id);

-- The 流出地's contact log (LD01, LD07): each contact with a member away.
CREATE TABLE mobility_contacts (
    id INTEGER PRIMARY KEY,
    outing_id INTEGER NOT NULL REFERENCES mobility_outings(id) ON DELETE CASCADE,
    contacted_on TEXT NOT NULL,
    way TEXT NOT NULL DEFAULT 'phone' CHECK (way IN ('phone', 'visit', 'online', 'letter', 'report')),
    by_whom TEXT,                          -- 联系人 (支部一方)
    log_note TEXT                          -- what was said (personal)
);
CREATE INDEX mobility_contacts_outing ON mobility_contacts(outing_id, contacted_on);

-- 党费 paid at the 流入地 with the 活动证 (LD08): a month recorded here is neither owed nor paid here.
CREATE TABLE dues_elsewhere (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    month TEXT NOT NULL,                   -- 'YYYY-MM'
    place TEXT,                            -- 交纳的党组织
    notes TEXT,
    UNIQUE (member_id, month)
);

-- 失联 (LD11): since when a member cannot be reached, and when found again.
CREATE TABLE mobility_lost (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    since TEXT NOT NULL,                   -- 失联 from (the last 组织生活 or 党费, RULES §7.1)
    found_on TEXT,                         -- 恢复联系
    notes TEXT
);

-- 表彰表扬 and 纪念章 (JG01–JG04).
CREATE TABLE awards (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL CHECK (kind IN ('excellent_member', 'excellent_worker', 'praise', 'badge_50', 'other')),
    title TEXT,                            -- 名称 (for 'other' and 表扬 wording)
    level TEXT NOT NULL DEFAULT 'branch' CHECK (level IN ('branch', 'committee', 'upper', 'central')),
    awarded_on TEXT NOT NULL,
    awarded_by TEXT,                       -- 授予组织
    doc_no TEXT,                           -- 文号
    notes TEXT
);
CREATE INDEX awards_member ON awards(member_id);

-- 纪律处分 (JG15, record only): 留党察看 removes the vote for its period.
CREATE TABLE sanctions (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL CHECK (kind IN ('warning', 'serious_warning', 'removal', 'probation', 'expulsion')),
    decided_on TEXT NOT NULL,
    starts_on TEXT,                        -- 留党察看 from (default: decided_on)
    ends_on TEXT,                          -- 留党察看 期满 (rights back from this day)
    decided_by TEXT,
    doc_no TEXT,
    sanction_reason TEXT,                  -- personal: not in the masked package
    notes TEXT
);
CREATE INDEX sanctions_member ON sanctions(member_id);

-- 组织处置 (JG10–JG13): 限期改正 with its clock, 劝其退党, 除名.
CREATE TABLE dispositions (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL CHECK (kind IN ('correct', 'persuade', 'remove')),
    filed_on TEXT NOT NULL,                -- 事前备案 with the 基层党委 (JG13)
    starts_on TEXT NOT NULL,               -- 决定/开始
    ends_on TEXT,                          -- 限期改正 期限 (≤ 12 months, JG11)
    closed_on TEXT,                        -- 期满考察/办结
    outcome TEXT,
    disposition_reason TEXT,               -- personal
    notes TEXT
);
CREATE INDEX dispositions_member ON dispositions(member_id);

-- 关怀 register (JG06, JG07, JG09): 困难党员 / 老党员 / 患病 …, with the 关怀豁免 flag.
CREATE TABLE care_register (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    category TEXT NOT NULL CHECK (category IN ('hardship', 'elderly', 'ill', 'disaster', 'other')),
    since TEXT NOT NULL,
    until TEXT,
    hardship_detail TEXT,                  -- personal: not in the masked package
    exempt INTEGER NOT NULL DEFAULT 0,     -- 关怀豁免: 组织活动和学习不作硬性要求 (JG06)
    pairing TEXT,                          -- 结对帮扶
    notes TEXT,
    UNIQUE (member_id, category, since)
);

-- 走访慰问 (JG07, JG08).
CREATE TABLE care_visits (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    visited_on TEXT NOT NULL,
    occasion TEXT NOT NULL DEFAULT 'spring' CHECK (occasion IN ('spring', 'july1', 'illness', 'other')),
    way TEXT NOT NULL DEFAULT 'visit' CHECK (way IN ('visit', 'money', 'goods', 'study')),
    gift TEXT,                             -- 慰问品
    amount TEXT,                           -- 慰问金 (元)
    fund TEXT CHECK (fund IN ('upper', 'matching', 'unit', 'other')),
    handled_by TEXT,                       -- 经手人
    signed INTEGER NOT NULL DEFAULT 0,     -- 本人签收
    notes TEXT
);
CREATE INDEX care_visits_member ON care_visits(member_id, visited_on);
