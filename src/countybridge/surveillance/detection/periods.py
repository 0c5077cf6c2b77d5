"""Period labels of weekly series: ISO 8601 weeks ("2020-W53"), checked to be consecutive.

The weekly methods work on period indexes (R's methods do the same), so a 53-week ISO year is simply one
more period: what matters is that the labels follow each other without gaps, duplicates or weeks that do
not exist (2021-W53). Week 53 exists in years whose 28 December falls in week 53.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from ._common import DetectionInputError

_LABEL = re.compile(r"^(\d{4})-?W(\d{2})$")


def _monday(label: str) -> dt.date:
    match = _LABEL.match(str(label).strip())
    if match is None:
        raise DetectionInputError(
            "week_label",
            f"周次格式应为 YYYY-Www: {label!r}",
            f"A week label must look like YYYY-Www: {label!r}",
        )
    year, week = int(match.group(1)), int(match.group(2))
    weeks_in_year = dt.date(year, 12, 28).isocalendar().week
    if not 1 <= week <= weeks_in_year:
        raise DetectionInputError(
            "week_missing",
            f"{year}年只有{weeks_in_year}个ISO周: {label!r}",
            f"ISO year {year} has {weeks_in_year} weeks: {label!r}",
        )
    return dt.date.fromisocalendar(year, week, 1)


def iso_week_periods(labels) -> np.ndarray:
    """0-based period indexes of consecutive ISO week labels; a gap or a repeat is an error."""
    mondays = [_monday(label) for label in labels]
    for i in range(1, len(mondays)):
        if (mondays[i] - mondays[i - 1]).days != 7:
            raise DetectionInputError(
                "week_gap",
                f"周次不连续: {labels[i - 1]} 之后是 {labels[i]}",
                f"Weeks are not consecutive: {labels[i - 1]} is followed by {labels[i]}",
            )
    return np.arange(len(mondays))
