"""Model constraints, the 'cadres.plan' job, the CLI and the demo loader."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from countybridge.cadres.models import CareerPost, ExchangePlan, RecruitmentQuota
from countybridge.core.models import Person

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_demo_round_is_linked_to_people_and_constrained(cadre_round, region):
    assert cadre_round["cadres"] == 60 and cadre_round["quotas"] > 0
    post = CareerPost.objects.filter(end__isnull=True).first()
    assert post.cadre.person and Person.objects.filter(pk=post.cadre.person_id, is_synthetic=True).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        CareerPost.objects.create(cadre=post.cadre, title="x", level=post.level, start=AS_OF)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecruitmentQuota.objects.create(
            region=region("510185"), year=2030, kind="xuandiao", planned=1, filled=2
        )


def test_cli_plan_json_and_check(cadre_round, capsys):
    call_command("cadres", "plan", "--time-limit", "5", "--as-of", AS_OF.isoformat(), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["moves"] and data["violations"] == [] and data["ruleset_version"] == 1
    call_command("cadres", "check", str(data["plan_id"]))
    assert "OK" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("cadres", "check", "99999")
    with pytest.raises(CommandError):
        call_command("cadres", "plan", "--as-of", "2025-13-40")
    with pytest.raises(CommandError):
        call_command("cadres", "plan", "--time-limit", "-1")


def test_plan_job_runs_and_stores_the_plan(cadre_round, org_officer):
    from countybridge.core.jobs import job_start
    from countybridge.core.jobs.context import JobContext
    from countybridge.core.jobs.registry import get_kind

    run = job_start(actor=org_officer, kind="cadres.plan", params={"time_limit": 5, "as_of": AS_OF.isoformat()},
                    enqueue=False)  # fmt: skip
    result = get_kind("cadres.plan").func(JobContext(run, min_interval=0), **run.params)
    plan = ExchangePlan.objects.get(pk=result["plan_id"])
    assert plan.job_id == run.pk and result["moves"] == plan.moves.count() > 0


def test_demo_loader_is_idempotent_and_resets(cadre_round):
    from countybridge.cadres.demo import load_cadres_demo

    assert load_cadres_demo(n_cadres=60, n_open=20, seed=3, as_of=AS_OF) == {"cadres": 0}
    again = load_cadres_demo(n_cadres=40, n_open=10, seed=4, as_of=AS_OF, reset=True)
    assert again["cadres"] == 40


def test_plan_job_started_by_another_department_stores_nothing(cadre_round, make_user):
    from django.core.exceptions import PermissionDenied

    from countybridge.core.jobs import job_start
    from countybridge.core.jobs.context import JobContext
    from countybridge.core.jobs.registry import get_kind

    health = make_user("department_officer", domain="health")
    run = job_start(actor=health, kind="cadres.plan", params={"time_limit": 2}, enqueue=False)
    with pytest.raises(PermissionDenied):
        get_kind("cadres.plan").func(JobContext(run, min_interval=0), **run.params)
    assert not ExchangePlan.objects.exists()
