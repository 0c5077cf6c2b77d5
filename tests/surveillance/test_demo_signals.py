# ruff: noqa: F811  (fixtures imported from signal_support are used as test arguments)
"""Demo signals: the detection run over the demo weeks with a synthetic response timeline; seeded,
a rerun adds nothing, the reset removes exactly the demo signals."""

import datetime as dt

from django.utils import timezone

from countybridge.surveillance.demo_signals import signals_demo_load, signals_demo_reset
from countybridge.surveillance.models import Signal

from .signal_support import AS_OF, DAYI, JIANYANG, add_cases, diseases  # noqa: F401


def _outcomes():
    return list(Signal.objects.order_by("disease__code", "region__code", "period").values_list(
        "period", "status", "level", "verified_at", "detected_at"))  # fmt: skip


def test_demo_signals_are_seeded_idempotent_and_reset(diseases):
    for offset in (0, 3, 9):
        add_cases(diseases["cholera"], JIANYANG, AS_OF - dt.timedelta(days=offset))
        add_cases(diseases["dysentery"], DAYI, AS_OF - dt.timedelta(days=offset), 2)
    today = AS_OF + dt.timedelta(days=1)
    first = signals_demo_load(seed=7, days=14, today=today)
    assert first["signals"] == Signal.objects.count() > 0
    assert first["concluded"] + first["escalated_overdue"] <= first["signals"]
    for signal in Signal.objects.all():
        assert timezone.localtime(signal.detected_at).date() == signal.period_end + dt.timedelta(days=1)
        assert signal.job_id == "demo"
        if signal.verified_at:
            assert signal.verified_at > signal.detected_at and signal.events.count() >= 2
        else:
            assert signal.level == "city" and signal.auto_escalated  # long past its deadline
    outcomes = _outcomes()
    assert signals_demo_load(seed=7, days=14, today=today)["signals"] == 0
    assert _outcomes() == outcomes
    signals_demo_reset()
    assert Signal.objects.count() == 0
    signals_demo_load(seed=7, days=14, today=today)
    assert [o[:3] for o in _outcomes()] == [o[:3] for o in outcomes]  # same seed, same outcomes
