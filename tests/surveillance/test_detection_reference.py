"""EARS C1/C2/C3 and CUSUM (Rossi) against R `surveillance` 1.20.3 on its shipped data sets."""

import pytest

from .reference import DATASETS, METHODS, compare, load


@pytest.fixture(scope="module", params=DATASETS)
def reference(request):
    return load(request.param)


@pytest.mark.parametrize("method", METHODS)
def test_matches_r(reference, method):
    max_rel, alarm_mismatches, nan_mismatches = compare(method, reference)
    assert nan_mismatches == 0  # bounds missing exactly where R has none
    assert max_rel <= 1e-6
    assert alarm_mismatches == 0


def test_reference_covers_iso_week_53():
    # salmNewport runs 2004-W02 … 2014-W07: both 53-week ISO years (2004, 2009) are in the data and the
    # methods above treat week 53 as one more period, as R does.
    weeks = load("salmNewport")["iso_week"]
    assert "2004-W53" in weeks and "2009-W53" in weeks
