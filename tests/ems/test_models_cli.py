"""`countybridge ems simulate`: per-county figures printed, runs stored, unknown scenario refused."""

import io

import pytest
from django.core.management.base import CommandError

from countybridge.ems import cli_simulate
from countybridge.ems.models import AnalysisRun, DemandPoint


def test_simulate_prints_each_county_and_stores_runs(dayi, jianyang):
    DemandPoint.objects.update(call_rate=2000)
    out = io.StringIO()

    class Writer:
        def write(self, text):
            out.write(text + "\n")

    runs = cli_simulate.handle(scenario="基线", days=3, seed=4, replications=3, stdout=Writer())
    text = out.getvalue()
    assert "大邑县" in text and "简阳市" in text and "[" in text  # confidence intervals
    assert len(runs) == 2 and AnalysisRun.objects.filter(kind="simulate").count() == 2
    again = cli_simulate.handle(
        scenario="基线", county="510129", days=3, seed=4, replications=3, stdout=Writer()
    )
    assert again[0].result["summary"] == runs[0].result["summary"]  # same seed, same figures


def test_unknown_scenario_refused(db):
    with pytest.raises(CommandError):
        cli_simulate.handle(scenario="nope", stdout=io.StringIO())


def test_countybridge_ems_simulate_command(dayi):
    from django.core.management import call_command

    DemandPoint.objects.update(call_rate=2000)
    out = io.StringIO()
    call_command("ems", "simulate", "--scenario", "基线", "--days", "2", "--seed", "5", "--replications", "2",
                 stdout=out)  # fmt: skip
    assert "大邑县" in out.getvalue() and AnalysisRun.objects.filter(kind="simulate").count() == 1
    with pytest.raises(CommandError):
        call_command("ems", "simulate", "--scenario", "基线", "--days", "0", stdout=io.StringIO())
