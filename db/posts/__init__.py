"""党员先锋岗 / 示范岗 / 责任区 / 突击队 (RULES-EXT.md §16.3, YQ09–YQ13): dated designations on the roster —
members, kind, post or area, 职责, 承诺, 挂牌 from–to, 摘牌 with a reason.

model.py        the `Post` record, kinds and the pure rules (active on a day, in a year)
store.py        reading, SavePost (validated), EndPost (摘牌), DeletePost
interchange.py  the `posts` section
"""

from __future__ import annotations

from db.posts import interchange  # importing it registers the section
from db.posts.model import KIND_LABELS, KINDS, Post
from db.posts.store import (
    delete_post,
    end_post,
    get_post,
    list_posts,
    posts_of_member,
    posts_of_year,
    save_post,
    validate,
)

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "Post",
    "delete_post",
    "end_post",
    "get_post",
    "interchange",
    "list_posts",
    "posts_of_member",
    "posts_of_year",
    "save_post",
    "validate",
]
