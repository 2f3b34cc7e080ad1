-- 0006 organisational life with its results (RULES-EXT.md §8–§10; issue #17): the year's 民主评议 with each
-- member's 等次 and the decision it rests on, 谈心谈话 records, 学时 entered by hand (meeting hours are computed
-- from attendance, not stored) with per-year exemptions, and the 组织生活会 查摆问题 with their 整改.

-- The year's 民主评议党员 (MP01, MP02, MP04): one per year, linked to its 党员大会 and, where combined, the
-- 组织生活会.
CREATE TABLE appraisals (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE,
    started_on TEXT,                                      -- 开展评议日期
    held_on TEXT NOT NULL,                                -- 民主测评 (the 党员大会) / 结束评议日期
    assembly_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,   -- 党员大会 (MP02)
    org_life_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,   -- combined 组织生活会 (MP04)
    plan TEXT,                                            -- 方案
    notes TEXT
);

-- Each member's part in it (MP03, MP05, MP08, MP09).
CREATE TABLE appraisal_results (
    id INTEGER PRIMARY KEY,
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    participation TEXT NOT NULL DEFAULT 'rated'
        CHECK (participation IN ('rated', 'probationary', 'elsewhere', 'absent')),
    place TEXT,                                           -- 流入地党组织 (elsewhere)
    reason TEXT,                                          -- why not taking part (absent)
    self_review TEXT,                                     -- 个人自评
    peer_review TEXT,                                     -- 党员互评 意见 summary
    votes_excellent INTEGER,                              -- 民主测评 votes per 等次
    votes_qualified INTEGER,
    votes_basic INTEGER,
    votes_unqualified INTEGER,
    grade TEXT CHECK (grade IN ('excellent', 'qualified', 'basic', 'unqualified')),
    decision_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,   -- 支委会/党员大会 评定意见 (MP03)
    feedback_on TEXT,                                     -- 反馈本人
    follow_up TEXT,                                       -- 帮助改进 / 教育转化 (MP07)
    UNIQUE (appraisal_id, member_id)
);
CREATE INDEX appraisal_results_member ON appraisal_results(member_id);

-- 谈心谈话 (TX01, TX05, TX07): who talked with whom; the category (支委-支委, 支委-党员, 党员-党员) follows from
-- the seats on the day.
CREATE TABLE talks (
    id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL,
    talker_id INTEGER NOT NULL REFERENCES members(id),    -- 谈话人
    member_id INTEGER NOT NULL REFERENCES members(id),    -- 谈话对象
    kind TEXT NOT NULL DEFAULT 'routine' CHECK (kind IN ('routine', 'reminder', 'trigger')),
    trigger TEXT,                                         -- 六必谈 reason (kind = trigger)
    mode TEXT NOT NULL DEFAULT 'in_person' CHECK (mode IN ('in_person', 'phone', 'online')),
    topic TEXT,                                           -- 主要内容
    suggestions TEXT,                                     -- 意见建议
    follow_up TEXT,                                       -- 后续措施
    CHECK (talker_id <> member_id)
);
CREATE INDEX talks_date ON talks(held_on);

-- 学时 from outside the branch's meetings (XS01–XS06): 集中培训, 网络培训, 自学…
CREATE TABLE study_records (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    held_on TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    form TEXT NOT NULL DEFAULT 'central' CHECK (form IN ('central', 'collective', 'online', 'self')),
    organizer TEXT,                                       -- 上级党委/党校/本支部/平台
    hours TEXT NOT NULL,                                  -- decimal, "4.0"
    evidence TEXT                                         -- 签到表/证书/截图
);
CREATE INDEX study_records_member ON study_records(member_id, held_on);

-- A member's exemption from the 学时 target for a year (RULES-EXT §13.2 JG06: 年老体弱、身患重病…).
CREATE TABLE study_exemptions (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    year INTEGER NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    UNIQUE (member_id, year)
);

-- 组织生活会 查摆问题 and 整改: a member's (or, member null, the committee's) problem, the measure, due, closure.
CREATE TABLE rectifications (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,   -- the 组织生活会
    member_id INTEGER REFERENCES members(id),             -- null = 支委会（班子）
    found_on TEXT NOT NULL,
    problem TEXT NOT NULL CHECK (length(trim(problem)) > 0),
    measure TEXT,                                         -- 整改措施
    due_on TEXT,                                          -- 整改时限
    closed_on TEXT,                                       -- 整改完成
    evidence TEXT                                         -- 佐证
);
CREATE INDEX rectifications_due ON rectifications(due_on);
