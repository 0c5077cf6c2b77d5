"""`countybridge talent …` commands and the expert-circuit schedule job."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from countybridge.core.jobs.runner import execute
from countybridge.core.jobs.services import job_start
from countybridge.talent import services as s
from countybridge.talent.models import CountyDemand, ExpertGroup, Quota, ServiceRecord
from countybridge.talent.services_alliance import record_feedback

from .conftest import ALL_DOCS, DAYI, JIANYANG, SECOND_PRIZE


def run(*args):
    out = io.StringIO()
    call_command("talent", *args, stdout=out)
    return out.getvalue()


def test_certify_command_prints_decision(officers, make_talent, capsys):
    app = s.certification_submit(
        actor=officers[JIANYANG], talent=make_talent(), evidence=SECOND_PRIZE, documents=ALL_DOCS
    )
    run("certify", "--application", str(app.pk), "--as-of", "2024-06-01")
    printed = capsys.readouterr().out
    assert "certified" in printed and "JY-B-ST-07" in printed and "2023-B-sci_tech-07" in printed
    with pytest.raises(CommandError):
        run("certify", "--application", "999999")
    with pytest.raises(CommandError):  # a county officer of another county
        run(
            "--user",
            officers[DAYI].username,
            "certify",
            "--application",
            str(
                s.certification_submit(
                    actor=officers[JIANYANG], talent=make_talent(name="乙"), evidence={}, documents=[]
                ).pk
            ),
        )


def test_match_and_allocate_commands(officers, make_talent, make_position, capsys):
    position = make_position(min_degree="doctor")
    make_talent(name="博士甲", degree="doctor")
    run("match", "--position", str(position.pk), "-k", "5")
    assert "博士甲" in capsys.readouterr().out
    make_position(county=DAYI)
    run("allocate", "--places", "10", "--floor", "2")
    assert JIANYANG in capsys.readouterr().out and not Quota.objects.exists()
    run(
        "allocate",
        "--places",
        "2",
        "--floor",
        "1",
        "--save",
        "--programme",
        "产业建圈强链",
        "--year",
        "2026",
    )
    assert (
        sum(Quota.objects.values_list("places", flat=True)) == 2
    )  # capped by demand: one open position per employer
    with pytest.raises(CommandError):
        run("allocate", "--places", "1", "--floor", "5")


def test_circuit_schedule_job_writes_records_and_feedback(officers, region):
    days = [str(dt.date(2026, 12, d)) for d in (1, 2, 3)]
    group = ExpertGroup.objects.create(
        name="医疗专家组",
        region=region(JIANYANG),
        base_lat=30.66,
        base_lon=104.06,
        available_days=days,
        max_travel_minutes=400,
        max_days=2,
        members=[{"name": "专家A", "specialties": ["cardiology"]}],
    )
    demand = CountyDemand.objects.create(
        region=region(DAYI),
        topic="心内科义诊",
        specialty="cardiology",
        lat=30.59,
        lon=103.52,
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 3),
    )
    run_ = job_start(
        actor=officers["admin"], kind="talent.circuit_schedule", params={"time_limit": 5}, enqueue=False
    )
    execute(run_.pk)
    run_.refresh_from_db()
    assert run_.status == "succeeded", run_.error if hasattr(run_, "error") else run_.result
    record = ServiceRecord.objects.get()
    assert record.group == group and record.demand == demand and record.region == demand.region
    with pytest.raises(PermissionDenied):
        record_feedback(actor=officers[JIANYANG], record=record, rating=5, feedback="好")  # 大邑's record
    record_feedback(actor=officers[DAYI], record=record, rating=5, feedback="好")
    record.refresh_from_db()
    assert record.done and record.rating == 5
