-- 0013 园区 items of issue #19, items 3–5 (RULES-EXT.md §16.3, §16.4; all LOCAL practice except the anchors):
-- 党员先锋岗/示范岗/责任区/突击队 designations, the year's 工作计划/年度总结/书记述职 drafts built from the records,
-- and 星级/考核 self-assessment schemes (as data) with the year's checks.

-- A designation (YQ09–YQ12): a 岗 or 区 held by one or more members from a date, until it ends or is 摘牌.
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('pioneer', 'model', 'area', 'commando')),  -- 先锋岗/示范岗/责任区/突击队
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),    -- 岗位或区域名称
    scope TEXT,                                           -- 范围：车间、产线、项目、楼层…
    duty TEXT,                                            -- 职责
    pledge TEXT,                                          -- 承诺 (设岗定责、承诺践诺)
    starts_on TEXT NOT NULL,                              -- 挂牌
    ends_on TEXT,                                         -- 到期 or 摘牌
    end_reason TEXT,                                      -- 摘牌原因 (when ended early)
    notes TEXT
);
CREATE TABLE post_members (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (post_id, member_id)
);
CREATE INDEX post_members_member ON post_members(member_id);

-- The year's 工作计划 (plan), 年度总结 (summary) and 书记述职提纲 (report): sections of facts taken from the records
-- (JSON, each fact with its source) and the secretary's own text; finalised = frozen.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('plan', 'summary', 'report')),
    title TEXT NOT NULL,
    sections TEXT NOT NULL,                               -- JSON list of {key, heading, facts[], text}
    built_on TEXT NOT NULL,                               -- the day the facts were taken
    finalized_on TEXT,
    UNIQUE (year, kind)
);

-- A 星级/考核 scheme (YQ13–YQ16): items with points and how each is evidenced, as data per issuer and year.
CREATE TABLE scorecard_schemes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    year INTEGER NOT NULL,
    issuer TEXT,                                          -- 发布单位 (the upper 党委)
    source TEXT,
    example INTEGER NOT NULL DEFAULT 0,                   -- 1: 示例，非正式标准
    stars TEXT,                                           -- JSON [{stars, min_score}]
    notes TEXT,
    UNIQUE (name, year)
);
CREATE TABLE scorecard_items (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES scorecard_schemes(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    points TEXT NOT NULL,                                 -- decimal, "10"
    evidence TEXT NOT NULL DEFAULT 'manual',              -- one of the computable evidence kinds, or manual
    params TEXT,                                          -- JSON parameters of the evidence kind
    standard TEXT,                                        -- 评分规则 as the issuer wrote it
    UNIQUE (scheme_id, key)
);
-- The secretary's manual checks (and notes on computed items) for a year.
CREATE TABLE scorecard_checks (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES scorecard_schemes(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    met INTEGER,                                          -- manual: 1 met, 0 not met, NULL not checked
    score TEXT,                                           -- manual partial score (decimal), NULL = full when met
    evidence TEXT,                                        -- 佐证材料
    checked_on TEXT,
    UNIQUE (scheme_id, year, item_key)
);
