"""Report deadlines (《传染病信息报告管理规范》 2015, and the 2026 edition as far as published). Pure: no Django.

2 hours for 甲类, for 乙类 managed as 甲类 (肺炭疽, SARS …), for diseases whose period row says 2 hours
(脊髓灰质炎, 人感染高致病性禽流感 under the 2015 rules), for new or unexplained diseases and for any case
reported as part of an outbreak; 24 hours otherwise. The clock starts at the diagnosis hour (the card records
年月日时, so minutes are dropped).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

URGENT_HOURS = 2
ROUTINE_HOURS = 24


@dataclass(frozen=True)
class Classification:
    """A disease's status on one date: what `selectors_catalogue.classification_on` returns."""

    disease_code: str
    legal_class: str  # "A", "B", "C" or "other"
    managed_as_a: bool
    report_hours: int
    name_zh: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None

    @property
    def is_statutory(self) -> bool:
        return self.legal_class in {"A", "B", "C"}


def deadline_hours(
    classification: Classification, *, outbreak: bool = False, unexplained: bool = False
) -> int:
    if (
        outbreak
        or unexplained
        or classification.legal_class == "A"
        or classification.managed_as_a
        or classification.report_hours <= URGENT_HOURS
    ):
        return URGENT_HOURS
    return classification.report_hours or ROUTINE_HOURS


def clock_start(diagnosed_at: dt.datetime) -> dt.datetime:
    return diagnosed_at.replace(minute=0, second=0, microsecond=0)


def deadline_at(diagnosed_at: dt.datetime, hours: int) -> dt.datetime:
    """The time by which the network report is due (timezone-aware in, aware out)."""
    return clock_start(diagnosed_at) + dt.timedelta(hours=hours)


def is_late(reported_at: dt.datetime, due: dt.datetime) -> bool:
    return reported_at > due
