-- 0005 checklists and elections: the 六个一 (or any district's) checklist as data, versioned by year, the year's
-- self-check with evidence, photos and 整改; the committee's elections (4/5 rule, votes, 当选, 批准/备案),
-- vacancies and 补选 (RULES.md §4, §5, §6.5).

-- A checklist definition for a year; the newest definition of a year <= Y applies to year Y (carry-over).
CREATE TABLE checklist_defs (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),   -- "六个一"
    source TEXT,                                          -- where the list comes from (district, document)
    notes TEXT,
    UNIQUE (year, name)
);

-- Items and sub-items (parent_id set) of a definition; `key` is unique within the definition.
CREATE TABLE checklist_items (
    id INTEGER PRIMARY KEY,
    def_id INTEGER NOT NULL REFERENCES checklist_defs(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES checklist_items(id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (length(trim(key)) > 0),
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    standard TEXT,                                        -- 标准要求
    UNIQUE (def_id, key)
);
CREATE INDEX checklist_items_def ON checklist_items(def_id, parent_id, position);

-- The year's self-check of one item or sub-item (by checklist name and item key, so a result survives a
-- definition carried over from an earlier year).
CREATE TABLE checklist_results (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    checklist TEXT NOT NULL,
    item_key TEXT NOT NULL,
    status TEXT CHECK (status IN ('met', 'not_met', 'partly')),   -- null = not yet checked
    evidence TEXT,                                        -- 自查情况 / evidence notes
    documents TEXT,                                       -- 佐证材料: document references (文件、台账、档案号)
    checked_on TEXT,
    rectification TEXT,                                   -- 整改措施
    rect_due TEXT,                                        -- 整改期限
    rect_done TEXT,                                       -- 整改完成日期
    UNIQUE (year, checklist, item_key)
);

-- Photos of the evidence. Insert-only (BLOBs are not in the audit images): removal is a soft delete.
CREATE TABLE checklist_photos (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    checklist TEXT NOT NULL,
    item_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT 'image/png',
    caption TEXT,
    added_on TEXT NOT NULL,
    data BLOB NOT NULL,
    thumb BLOB,                                           -- PNG, at most 240 px on its long side
    deleted_at TEXT
);
CREATE INDEX checklist_photos_item ON checklist_photos(year, checklist, item_key);

-- An election: 换届选举 (general) or 补选 (by-election) of the 支部委员会 or of the lone 书记/副书记.
CREATE TABLE elections (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'general' CHECK (kind IN ('general', 'by')),
    held_on TEXT NOT NULL,
    term_id INTEGER REFERENCES committee_terms(id) ON DELETE SET NULL,   -- the term elected / completed
    expected INTEGER,                                     -- 应到会有选举权的党员
    present INTEGER,                                      -- 实到会有选举权的党员
    seats INTEGER,                                        -- 应选名额
    method TEXT NOT NULL DEFAULT 'secret',                -- 无记名投票
    secretary_approved_on TEXT,                           -- 书记/副书记 报上级批准 (date of the approval)
    secretary_approval_ref TEXT,
    members_filed_on TEXT,                                -- 委员 报上级备案
    members_filing_ref TEXT,
    notes TEXT
);

CREATE TABLE election_candidates (
    id INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    position INTEGER NOT NULL DEFAULT 0,
    votes_for INTEGER,                                    -- 赞成票
    votes_against INTEGER,
    abstain INTEGER,
    elected INTEGER,                                      -- 1 当选, 0 未当选, null = as the rule gives
    role TEXT CHECK (role IN ('secretary', 'deputy', 'organization', 'propaganda', 'discipline', 'member')),
    notes TEXT
);
CREATE INDEX election_candidates_election ON election_candidates(election_id);

-- A seat that fell vacant during a term, and the 补选 that filled it.
CREATE TABLE committee_vacancies (
    id INTEGER PRIMARY KEY,
    term_id INTEGER NOT NULL REFERENCES committee_terms(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('secretary', 'deputy', 'organization', 'propaganda', 'discipline', 'member')),
    member_id INTEGER REFERENCES members(id),             -- who left the seat
    arose_on TEXT NOT NULL,
    reason TEXT,
    filled_by INTEGER REFERENCES elections(id) ON DELETE SET NULL,
    filled_on TEXT,
    notes TEXT
);
CREATE INDEX committee_vacancies_term ON committee_vacancies(term_id);
