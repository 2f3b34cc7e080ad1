-- 0012 what the park asks of a branch (RULES-EXT.md §16, issue #19 items 1–2; all local practice): the upper
-- committee's 主题党日指导清单 for a year with each month's item planned, carried out, changed or skipped, and the
-- 书记项目 / 党建项目 with their milestones, progress notes (evidence: photos, meetings, figures) and 结项.

-- A year's 主题党日指导清单 (YQ02) as the upper committee issued it.
CREATE TABLE guide_lists (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE,
    issuer TEXT,                                          -- 发布单位 (上级党委)
    title TEXT,                                           -- the sheet's title row
    source TEXT,                                          -- file it was imported from
    imported_on TEXT
);

-- One item of the list: a month's 主题, 内容要点, 参考形式, 时间节点; then what the branch did with it.
CREATE TABLE guide_items (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES guide_lists(id) ON DELETE CASCADE,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    seq INTEGER NOT NULL DEFAULT 1,                       -- several items in one month
    theme TEXT NOT NULL CHECK (length(trim(theme)) > 0),  -- 主题
    points TEXT,                                          -- 内容要点
    forms TEXT,                                           -- 参考形式
    node TEXT,                                            -- 时间节点
    plan_id INTEGER REFERENCES planned_meetings(id) ON DELETE SET NULL,   -- 按清单安排
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,        -- the 主题党日 held
    deviation TEXT CHECK (deviation IN ('changed', 'skipped')),           -- 调整 / 未开展
    reason TEXT,                                          -- why (required with a deviation)
    UNIQUE (list_id, month, seq),
    CHECK (deviation IS NULL OR length(trim(coalesce(reason, ''))) > 0)
);
CREATE INDEX guide_items_meeting ON guide_items(meeting_id);

-- 书记项目 / 党建项目 (YQ05–YQ08): 立项 content, owner, the enterprise goal it serves, 结项.
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'secretary' CHECK (kind IN ('secretary', 'party')),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    owner_id INTEGER REFERENCES members(id),              -- 书记 / 负责人
    goal TEXT,                                            -- 服务的企业发展目标
    tags TEXT,                                            -- YQ08 双融合 tags, "、"-separated
    background TEXT,                                      -- 实施背景
    problem TEXT,                                         -- 拟解决的问题
    measures TEXT,                                        -- 内容措施
    schedule TEXT,                                        -- 工作安排
    expected TEXT,                                        -- 预期成效
    approved_on TEXT,                                     -- 立项日期
    closed_on TEXT,                                       -- 结项日期
    outcome TEXT                                          -- 结项总结
);

-- 预期成效 as measurable targets: what was expected, what was reached at 结项.
CREATE TABLE project_targets (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL DEFAULT 1,
    indicator TEXT NOT NULL CHECK (length(trim(indicator)) > 0),   -- 指标
    expected TEXT,                                        -- 预期
    actual TEXT,                                          -- 实际（结项时）
    met INTEGER CHECK (met IN (0, 1))                     -- 达成 (null = not judged yet)
);

CREATE TABLE project_milestones (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due_on TEXT NOT NULL,
    done_on TEXT,
    notes TEXT
);
CREATE INDEX project_milestones_due ON project_milestones(due_on);

-- 进展: a dated note with its evidence — a milestone it advances, a meeting, a figure for a target, photos.
CREATE TABLE project_progress (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    noted_on TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    milestone_id INTEGER REFERENCES project_milestones(id) ON DELETE SET NULL,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    target_id INTEGER REFERENCES project_targets(id) ON DELETE SET NULL,
    figure TEXT                                           -- the target's value on that day
);

CREATE TABLE project_photos (
    id INTEGER PRIMARY KEY,
    progress_id INTEGER NOT NULL REFERENCES project_progress(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    mime TEXT,
    caption TEXT,
    data BLOB NOT NULL,
    thumbnail BLOB
);
