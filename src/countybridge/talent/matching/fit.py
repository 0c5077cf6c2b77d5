"""Structured fit components, vectorised: each maps arrays of candidates to values in [0, 1].

Written once for both directions: in rank_talents the talent side is an array and the position side a
scalar, in rank_positions the reverse; numpy broadcasting makes the same formula serve both.
"""

from __future__ import annotations

import numpy as np

EXPERIENCE_SCALE_YEARS = 5.0  # years beyond the minimum at which the experience value reaches 1 - 1/e
PAIRED_LOCATION_VALUE = 0.6  # a talent in the paired district is nearly local for joint recruitment
RELATED_MAJOR_VALUE = 0.6  # admitted through the family of a listed major, not named
ANY_MAJOR_VALUE = 0.5  # position accepts any major: neutral


def level_surplus(have, need) -> np.ndarray:
    """Degree or title levels above the minimum; two levels or more count fully."""
    return np.clip((np.asarray(have, dtype=np.float64) - need) / 2.0, 0.0, 1.0)


def experience(years, min_years) -> np.ndarray:
    """Years beyond the minimum, saturating: the first extra years matter most."""
    surplus = np.maximum(np.asarray(years, dtype=np.float64) - min_years, 0.0)
    return 1.0 - np.exp(-surplus / EXPERIENCE_SCALE_YEARS)


def location(county, query_county: int, paired_codes: np.ndarray) -> np.ndarray:
    """1 in the same county, PAIRED_LOCATION_VALUE in a paired district, else 0 (unknown place: 0)."""
    county = np.asarray(county)
    same = (county == query_county) & (county >= 0)
    paired = np.isin(county, paired_codes) & (county >= 0)
    return np.where(same, 1.0, np.where(paired, PAIRED_LOCATION_VALUE, 0.0))


def same_label(codes, query_code: int) -> np.ndarray:
    codes = np.asarray(codes)
    return ((codes == query_code) & (codes >= 0)).astype(np.float64)


def salary(expected, band_max) -> np.ndarray:
    """1 when the expectation fits under the band's top (or either is unknown), falling to 0 at twice it."""
    expected = np.asarray(expected, dtype=np.float64)
    band_max = np.asarray(band_max, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        over = (expected - band_max) / band_max
    value = np.clip(1.0 - over, 0.0, 1.0)
    unknown = np.isnan(expected) | np.isnan(band_max) | (band_max <= 0)
    return np.where(unknown | (expected <= band_max), 1.0, value)
