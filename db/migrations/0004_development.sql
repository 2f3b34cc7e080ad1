-- 0004 development: 发展党员 — applicants and the 25 steps of RULES.md §3.1 with their dates, actors and facts.
-- One row per applicant; one row per recorded step (the repeatable 考察 steps have one row each, numbered by seq).
-- meeting_id points into db.meetings' table when the step was taken from a meeting record; it is a plain integer
-- (no foreign key) so this area does not depend on the meetings schema.

CREATE TABLE applicants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    gender TEXT CHECK (gender IN ('male', 'female')),
    ethnicity TEXT,
    birth_date TEXT,
    id_number TEXT,
    education TEXT,
    job TEXT,                        -- 工作岗位
    occupation TEXT,                 -- 职业 (党内统计 category code, as members.occupation)
    frontline INTEGER NOT NULL DEFAULT 0,  -- 生产工作一线
    phone TEXT,
    leaving_on TEXT,                 -- 预计离开本单位日期 (D14)
    stage TEXT NOT NULL DEFAULT 'applicant'
        CHECK (stage IN ('applicant', 'activist', 'candidate', 'probationary', 'full', 'stopped')),
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,  -- once on the roster (支部大会 接收)
    stopped_on TEXT,                 -- 终止 date
    stop_reason TEXT,
    ext_decided_on TEXT,             -- 延长预备期: 支部大会 decision (once, D27)
    ext_months INTEGER,
    ext_approved_on TEXT,            -- 上级党委 approval of the extension
    ext_reason TEXT,
    ext_override TEXT,               -- reason given when D27 was overridden
    notes TEXT
);
CREATE INDEX applicants_member ON applicants(member_id);

CREATE TABLE applicant_steps (
    id INTEGER PRIMARY KEY,
    applicant_id INTEGER NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    step TEXT NOT NULL CHECK (step IN (
        'applied', 'talked', 'activist', 'activist_filed', 'contacts_assigned', 'evaluations',
        'candidate', 'candidate_filed', 'sponsors_assigned', 'political_review', 'training',
        'committee_review', 'pre_review', 'volunteer_form', 'branch_vote', 'upper_talk', 'approved',
        'approval_filed', 'assigned_to_group', 'oath', 'probation_evaluations', 'full_application',
        'full_vote', 'full_approved', 'archived')),
    seq INTEGER NOT NULL DEFAULT 0,  -- 0 for single steps; 1, 2, ... for evaluations / probation_evaluations
    date TEXT NOT NULL,
    actor TEXT,                      -- who did it: 谈话人, 审批党委, ...
    facts TEXT,                      -- JSON object of the step's facts (member_ids, vote counts, hours, ...)
    meeting_id INTEGER,              -- the meeting record it was taken from (db.meetings), if any
    override_codes TEXT,             -- block rules passed by an explicit override, comma separated
    override_reason TEXT,            -- the reason the secretary gave for the override
    UNIQUE (applicant_id, step, seq)
);
CREATE INDEX applicant_steps_applicant ON applicant_steps(applicant_id, step);
