-- 0001 foundation: the audit trail, settings, the branch, 党小组, the roster and the committee by term.
-- Every tracked table has `id INTEGER PRIMARY KEY` (the audit triggers key on it). Dates are ISO text.

CREATE TABLE ops (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,              -- the named operation (AddMember, RecordPayment, ...)
    label TEXT NOT NULL,             -- what the secretary sees in 操作记录
    at TEXT NOT NULL,
    undo_of INTEGER REFERENCES ops(id),
    undone_by INTEGER REFERENCES ops(id)
);

CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    op_id INTEGER NOT NULL REFERENCES ops(id),
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('I', 'U', 'D')),
    before TEXT,                     -- JSON image of the row before (U, D)
    after TEXT                       -- JSON image after (I, U)
);
CREATE INDEX changes_op ON changes(op_id);
CREATE INDEX changes_row ON changes(tbl, row_id);

CREATE TABLE settings (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL              -- JSON
);

CREATE TABLE branch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,              -- 支部全称
    upper_org TEXT,                  -- 上级党组织
    park TEXT,                       -- 园区
    founded_on TEXT,                 -- 成立日期
    enterprise TEXT,                 -- 所在单位
    notes TEXT
);

CREATE TABLE party_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    leader_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_on TEXT,
    dissolved_on TEXT,
    notes TEXT
);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    gender TEXT CHECK (gender IN ('male', 'female')),
    ethnicity TEXT,
    birth_date TEXT,
    id_number TEXT,
    education TEXT,
    category TEXT NOT NULL DEFAULT 'full' CHECK (category IN ('full', 'probationary')),
    joined_on TEXT,                  -- 加入党组织日期
    full_on TEXT,                    -- 转为正式党员日期
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'transferred_out', 'deceased', 'left', 'suspended')),
    status_changed_on TEXT,
    in_branch_since TEXT,            -- 转入本支部日期; null = since joining
    group_id INTEGER REFERENCES party_groups(id) ON DELETE SET NULL,
    job TEXT,                        -- 工作岗位
    post TEXT,                       -- 党内职务
    occupation TEXT,                 -- 职业 (党内统计 category code)
    frontline INTEGER NOT NULL DEFAULT 0,  -- 生产工作一线
    phone TEXT,
    landline TEXT,
    address TEXT,
    is_mobile INTEGER NOT NULL DEFAULT 0,  -- 流动党员
    mobile_destination TEXT,
    lost_contact_since TEXT,
    notes TEXT
);
CREATE UNIQUE INDEX members_id_number ON members(id_number) WHERE id_number IS NOT NULL AND id_number <> '';
CREATE INDEX members_group ON members(group_id);

-- Dated history of status, category, 党小组 and 转入 changes: the roster as it stood on any date.
CREATE TABLE member_history (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('status', 'category', 'group_id', 'in_branch_since')),
    from_value TEXT,
    to_value TEXT,
    changed_on TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX member_history_member ON member_history(member_id, field, changed_on);

CREATE TABLE committee_terms (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'committee' CHECK (kind IN ('committee', 'secretary')),
    elected_on TEXT,
    starts_on TEXT,
    ends_on TEXT,
    approval_ref TEXT,
    notes TEXT
);

CREATE TABLE committee_members (
    id INTEGER PRIMARY KEY,
    term_id INTEGER NOT NULL REFERENCES committee_terms(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    role TEXT NOT NULL
        CHECK (role IN ('secretary', 'deputy', 'organization', 'propaganda', 'discipline', 'member')),
    from_on TEXT,                    -- null = from the term's start
    to_on TEXT,                      -- null = to the term's end (set when a seat falls vacant)
    notes TEXT
);
CREATE INDEX committee_members_term ON committee_members(term_id);
