"""Fixed threshold (固定阈值法): CIDARS's rule for rare or severe diseases (plague, cholera, SARS, polio, human
infection with a new influenza subtype, pulmonary anthrax, …): any single case signals at once.

alarm = count ≥ threshold (default 1); upperbound = threshold − 1, so that alarm ⇔ count > upperbound
holds as for the other methods (counts are whole numbers). Every period is evaluated: no history needed.
"""

from __future__ import annotations

import numpy as np

from ._common import OK, DetectionInputError, as_counts, finish


def fixed_threshold(counts, *, threshold: int = 1):
    """Signal every period whose count reaches `threshold` (1: any single case)."""
    if int(threshold) != threshold or threshold < 1:
        raise DetectionInputError(
            "fixed_threshold",
            f"固定阈值应为不小于1的整数: {threshold}",
            f"The fixed threshold must be a whole number ≥ 1: {threshold}",
        )
    x, one_d = as_counts(counts)
    upperbound = np.full(x.shape, float(threshold) - 1.0)
    return finish(upperbound, x > upperbound, np.full(x.shape, OK, dtype=np.int8), one_d)
