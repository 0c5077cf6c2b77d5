"""The talent demo loader: synthetic talents, positions and applications on top of the core demo; reset."""

import pytest

from countybridge.core.demo.loader import demo_load, demo_reset
from countybridge.talent import match
from countybridge.talent.demo import talent_demo_load, talent_demo_reset
from countybridge.talent.models import JobApplication, Position, TalentProfile


@pytest.mark.django_db
def test_demo_loads_matches_and_resets():
    demo_load(seed=11, scale=0.2)
    counts = talent_demo_load(seed=11, scale=0.2)
    assert counts["talents"] >= 20 and counts["positions"] >= 5
    assert TalentProfile.objects.filter(is_synthetic=True).count() == counts["talents"]
    assert JobApplication.objects.exists()
    assert talent_demo_load(seed=11, scale=0.2) == {}  # loaded once
    position = Position.objects.first()
    result = match.index().rank_talents(match.engine_position(position), k=5)
    assert result.eligible_count + result.excluded_count >= 0
    talent_demo_reset()
    demo_reset()
    assert not TalentProfile.objects.exists() and not Position.objects.exists()
