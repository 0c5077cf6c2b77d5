"""Outbreak detection on count time series: pure numpy, no Django, each method reproducing its reference.

Every method takes counts as a 1-D array (periods) or a 2-D array (series × periods, evaluated all at once)
and returns a `DetectionResult` (upperbound, alarm, status) of the same shape:

- `fixed_threshold`: any single case of a 甲类 or 甲类-managed disease signals at once;
- `ears_c`: EARS C1, C2, C3 as R `surveillance::earsC`;
- `cusum_rossi`: CUSUM with Rossi's transformation as R `surveillance::cusum(trans = "rossi")`;
- `farrington_flexible` / `farrington`: the improved (Noufaily 2013) and classic Farrington methods as
  R `surveillance::farringtonFlexible`;
- `cidars_weekly` / `cidars_daily`: China's moving-percentile method (CIDARS MPM) as the platform
  defines it (facts file § 2).
"""

from ._common import (
    FEW_CASES,
    INSUFFICIENT_HISTORY,
    OK,
    UNDEFINED,
    DetectionInputError,
    DetectionResult,
)
from .cidars import DailyResult, cidars_daily, cidars_weekly
from .cusum import cusum_rossi
from .ears import ears_c
from .farrington_glm import farrington, farrington_flexible
from .fixed import fixed_threshold
from .periods import iso_week_periods
from .spacetime_scan import SpaceTimeCluster, SpaceTimeScanResult, spacetime_permutation_scan

__all__ = [
    "FEW_CASES",
    "INSUFFICIENT_HISTORY",
    "OK",
    "UNDEFINED",
    "DailyResult",
    "DetectionInputError",
    "DetectionResult",
    "cidars_daily",
    "cidars_weekly",
    "cusum_rossi",
    "ears_c",
    "farrington",
    "farrington_flexible",
    "fixed_threshold",
    "iso_week_periods",
    "SpaceTimeCluster",
    "SpaceTimeScanResult",
    "spacetime_permutation_scan",
]
