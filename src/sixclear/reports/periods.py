"""Report periods: kept in `sixclear.periods` (reviews and their snapshots use them too)."""

from sixclear.periods import (  # noqa: F401
    NUMBER_RANGE,
    ROMAN,
    Period,
    PeriodKind,
    containing,
    due_date,
    normalise,
    period_errors,
)
