-- 0002 meetings: 三会一课 and organisational life (RULES.md §1; CONTRACT.md meeting kinds and `meetings[]`).
-- One meeting may count as several kinds; attendance is taken from the roster as it stood on the meeting date;
-- after 定稿 a change is a dated amendment kept beside the original. Attachments are insert-only (BLOBs are not
-- in the audit images): removing one sets `deleted_at`.

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,              -- 会议日期
    start_time TEXT,                 -- "14:30"
    end_time TEXT,
    place TEXT,
    host_id INTEGER REFERENCES members(id),      -- 主持人
    recorder_id INTEGER REFERENCES members(id),  -- 记录人
    group_id INTEGER REFERENCES party_groups(id),  -- 党小组 (党小组会)
    topic TEXT,                      -- 会议主题
    lecturer TEXT,                   -- 授课人 (党课)
    lecture_title TEXT,              -- 党课题目
    minutes TEXT,                    -- 会议内容（概要）
    leftover TEXT,                   -- 遗留问题
    observers TEXT,                  -- 列席 who are not on the roster (上级党委联系人 …)
    notes TEXT,
    entered_on TEXT NOT NULL,        -- 录入日期 (补记 when late)
    finalized_on TEXT                -- 定稿日期; null = draft
);
CREATE INDEX meetings_date ON meetings(date);

CREATE TABLE meeting_kinds (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('assembly', 'committee', 'group', 'lecture', 'theme_day', 'org_life',
                                       'appraisal', 'talk')),
    UNIQUE (meeting_id, kind)
);

CREATE TABLE meeting_items (         -- 议题, with the minutes of that item
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    minutes TEXT                     -- 讨论情况
);
CREATE INDEX meeting_items_meeting ON meeting_items(meeting_id, seq);

CREATE TABLE meeting_speeches (      -- 发言要点: who spoke on an item and the gist
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES meeting_items(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    speaker_id INTEGER REFERENCES members(id),
    speaker_name TEXT,               -- for speakers not on the roster
    gist TEXT NOT NULL
);
CREATE INDEX meeting_speeches_item ON meeting_speeches(item_id, seq);

CREATE TABLE meeting_decisions (     -- 决议/决定 and 表决情况
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    item_seq INTEGER,                -- the 议题 it belongs to (1-based), if any
    text TEXT NOT NULL,
    method TEXT,                     -- show_of_hands 举手 | ballot 无记名投票 | roll_call 口头 | consensus 一致同意（未表决）
    yes INTEGER,
    no INTEGER,
    abstain INTEGER,
    written INTEGER,                 -- 书面意见（赞成）of absent voters, counted (RULES.md §1.2)
    passed INTEGER                   -- the outcome recorded: 1 通过, 0 未通过, null = recorded as adopted
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id, seq);

CREATE TABLE meeting_attendance (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    status TEXT NOT NULL CHECK (status IN ('present', 'leave', 'absent', 'observer')),
    reason TEXT,
    category TEXT CHECK (category IN ('full', 'probationary')),  -- as of the meeting date (预备党员: no vote)
    UNIQUE (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id);

CREATE TABLE meeting_excluded (      -- not counted in 应到 (RULES.md §1.2), with the reason
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    reason TEXT NOT NULL,
    UNIQUE (meeting_id, member_id)
);

CREATE TABLE meeting_amendments (    -- changes after 定稿: dated, the original kept in `before`
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    amended_on TEXT NOT NULL,
    field TEXT NOT NULL,             -- what changed (English key, e.g. "place", "decisions")
    before TEXT,
    after TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX meeting_amendments_meeting ON meeting_amendments(meeting_id, id);

CREATE TABLE meeting_makeups (       -- 补学 follow-up for an absentee
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    done_on TEXT,                    -- ticked off
    note TEXT,
    UNIQUE (meeting_id, member_id)
);

CREATE TABLE meeting_attachments (   -- photos, the scanned signed sign-in sheet; insert-only, soft delete
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    kind TEXT NOT NULL DEFAULT 'photo' CHECK (kind IN ('photo', 'sign_in', 'other')),
    name TEXT NOT NULL,
    mime TEXT,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    added_on TEXT NOT NULL,
    deleted_at TEXT,
    data BLOB NOT NULL,
    thumbnail BLOB
);
CREATE INDEX meeting_attachments_meeting ON meeting_attachments(meeting_id);

CREATE TABLE planned_meetings (      -- 计划: date and topic, for reminders
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    kinds TEXT NOT NULL,             -- comma-separated kind codes
    topic TEXT,
    group_id INTEGER REFERENCES party_groups(id),
    notes TEXT
);

-- Full-text search over topics, minutes and decisions (trigram: Chinese without a word splitter).
-- Untracked (`_` prefix): kept in sync by db/meetings.py inside the same operations.
CREATE VIRTUAL TABLE _meetings_fts USING fts5(meeting_id UNINDEXED, field UNINDEXED, body, tokenize='trigram');

CREATE TABLE _meetings_fts_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    op_id INTEGER NOT NULL           -- the last operation the index reflects (undo makes it stale)
);
