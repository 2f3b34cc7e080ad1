"""发展党员: the 25 steps and the checks D01–D29 of RULES.md §3, as pure functions over plain dataclasses.

Nothing here touches the ledger. `db.development` builds a `Person` from its records (with the roster facts the
checks need: what each 培养联系人/入党介绍人 was on the day they were chosen) and turns `Breach`es into findings.

Months are counted as the calendar does (db.dates.add_months: 31 January + 1 month = 28/29 February). "X before
Y" allows the same day unless RULES.md says otherwise (D03: 积极分子 strictly after the application).

Split by concern: steps (the 25 steps and stages), model (the inputs), timeline (derived dates), checks (D01–D29)
and clocks (when each step is due); every name is re-exported here, so `from db.rules import development` reads
as before.
"""

from db.dates import add_months, add_years, fmt_zh  # noqa: F401 - part of this module's surface before the split
from db.rules.development.checks import (  # noqa: F401 - re-exported
    _standing_problems,
    _training_problem,
    checks,
    extension_problem,
)
from db.rules.development.clocks import (  # noqa: F401 - re-exported
    Clock,
    clock,
    next_step,
    open_steps,
    prerequisites_missing,
)
from db.rules.development.model import (  # noqa: F401 - re-exported
    APPROVER_KINDS,
    FAILING_CONCLUSIONS,
    Breach,
    Extension,
    Person,
    Practice,
    Standing,
    Step,
    Vote,
    approver_kind,
    conclusion_fails,
)
from db.rules.development.steps import (  # noqa: F401 - re-exported
    BY_KEY,
    LEVELS,
    PREREQS,
    REPEATABLE,
    RULE_TITLES,
    STAGE_LABELS,
    STAGE_TITLES,
    STAGES,
    STEP_KEYS,
    STEPS,
    StepDef,
    severity_of,
)
from db.rules.development.timeline import (  # noqa: F401 - re-exported
    as_of_view,
    derive_stage,
    evaluation_windows,
    probation_end,
    probation_start,
)

__all__ = [
    "APPROVER_KINDS",
    "BY_KEY",
    "Breach",
    "Clock",
    "Extension",
    "FAILING_CONCLUSIONS",
    "LEVELS",
    "PREREQS",
    "Person",
    "Practice",
    "REPEATABLE",
    "RULE_TITLES",
    "STAGES",
    "STAGE_LABELS",
    "STAGE_TITLES",
    "STEPS",
    "STEP_KEYS",
    "Standing",
    "Step",
    "StepDef",
    "Vote",
    "_standing_problems",
    "_training_problem",
    "add_months",
    "add_years",
    "approver_kind",
    "as_of_view",
    "checks",
    "clock",
    "conclusion_fails",
    "derive_stage",
    "evaluation_windows",
    "extension_problem",
    "fmt_zh",
    "next_step",
    "open_steps",
    "prerequisites_missing",
    "probation_end",
    "probation_start",
    "severity_of",
]
