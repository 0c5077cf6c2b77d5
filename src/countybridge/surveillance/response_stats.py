"""Time-to-verification figures of signals and period labels: pure Python and numpy, no Django.

For a set of signals, with `hours` the detection → conclusion time of each concluded one:
- `median_hours`, `p90_hours`: median and 90th percentile (type 7, numpy's default) of `hours`;
- `share_within_deadline`: the signals concluded by their deadline over the signals whose outcome on that
  question is known (concluded, or still pending past the deadline). Pending signals not yet due are left
  out of the share: they can still make it. This is the yardstick CIDARS reports as "% responded within 24 h".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class SignalTiming:
    detected_at: dt.datetime
    deadline_at: dt.datetime
    verified_at: dt.datetime | None


@dataclass(frozen=True)
class VerificationFigures:
    signals: int
    concluded: int
    pending: int
    overdue: int
    median_hours: float | None
    p90_hours: float | None
    share_within_deadline: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def verification_figures(timings: Iterable[SignalTiming], *, now: dt.datetime) -> VerificationFigures:
    rows = list(timings)
    hours = [(t.verified_at - t.detected_at).total_seconds() / 3600.0 for t in rows if t.verified_at]
    within = sum(1 for t in rows if t.verified_at is not None and t.verified_at <= t.deadline_at)
    overdue = sum(1 for t in rows if t.verified_at is None and now > t.deadline_at)
    known = len(hours) + overdue
    arr = np.asarray(hours, dtype=np.float64)
    return VerificationFigures(
        signals=len(rows),
        concluded=len(hours),
        pending=len(rows) - len(hours),
        overdue=overdue,
        median_hours=round(float(np.median(arr)), 2) if hours else None,
        p90_hours=round(float(np.percentile(arr, 90)), 2) if hours else None,
        share_within_deadline=round(within / known, 4) if known else None,
    )


def day_label(day: dt.date) -> str:
    return day.isoformat()


def week_label(monday: dt.date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_full_week_monday(as_of: dt.date) -> dt.date:
    """Monday of the last ISO week that has ended on or before `as_of` (a Sunday closes its own week)."""
    monday = week_monday(as_of)
    return monday if as_of.weekday() == 6 else monday - dt.timedelta(days=7)
