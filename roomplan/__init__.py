"""roomplan: can a jobcenter hold its citizen interviews without being overheard?

The public API; every number the CLI and the app show is reachable from here.
"""

from roomplan.plan import (
    Plan,
    PlanError,
    Problem,
    load_plan,
    plan_bytes,
    save_plan,
    validate,
)

__version__ = "0.1.0"

__all__ = [
    "Plan",
    "PlanError",
    "Problem",
    "__version__",
    "load_plan",
    "plan_bytes",
    "save_plan",
    "validate",
]
