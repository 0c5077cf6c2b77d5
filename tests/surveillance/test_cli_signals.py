# ruff: noqa: F811  (fixtures imported from signal_support are used as test arguments)
"""`countybridge surveillance escalate` / `surveillance signals`: idempotent from the shell, bad dates refused
in both languages."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from countybridge.surveillance.models import Signal

from .signal_support import AS_OF, JIANYANG, add_cases, diseases  # noqa: F401


def _run(*args) -> str:
    out = io.StringIO()
    call_command("surveillance", *args, stdout=out)
    return out.getvalue()


def test_signals_then_escalate_from_the_shell(diseases):
    add_cases(diseases["cholera"], JIANYANG, AS_OF)
    first = _run("signals", "--frequency", "day", "--as-of", AS_OF.isoformat(), "--periods", "2")
    assert "1 new signals" in first and "新信号 1 个" in first
    assert "0 new signals" in _run("signals", "--as-of", AS_OF.isoformat(), "--periods", "2")
    assert Signal.objects.count() == 1
    Signal.objects.update(deadline_at=timezone.now() - dt.timedelta(minutes=5))
    assert "1 overdue signals escalated" in _run("escalate")
    assert "0 overdue signals escalated" in _run("escalate")
    assert Signal.objects.get().level == "city"


def test_bad_date_is_refused(diseases):
    with pytest.raises(CommandError) as err:
        _run("signals", "--as-of", "2026-02-30")
    assert "YYYY-MM-DD" in str(err.value) and "日期格式" in str(err.value)
    assert Signal.objects.count() == 0
