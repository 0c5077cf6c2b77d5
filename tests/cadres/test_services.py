"""Plans over a small DB round, manual edits re-checked with override reasons, approval updates careers."""

import pytest

from countybridge.cadres import convert
from countybridge.cadres.models import (
    CareerPost,
    ExchangePlan,
    PlanMove,
    PlanStatus,
    Position,
    RecruitmentQuota,
)
from countybridge.cadres.planning import check_plan
from countybridge.cadres.services import (
    plan_approve,
    plan_edit,
    plan_run,
    quota_set,
    ruleset_update,
    training_add,
)
from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def _plan(officer):
    return plan_run(actor=officer, as_of=AS_OF, time_limit_s=10, workers=2)


def test_plan_over_db_round_satisfies_check_plan(cadre_round, org_officer):
    plan = _plan(org_officer)
    assert plan.status == PlanStatus.PROPOSED and plan.ruleset.version == 1
    moves = [(m.cadre.code, m.to_position.code) for m in plan.moves.all()]
    assert moves, "the small round should move someone"
    report = check_plan(moves, convert.engine_cadres(), convert.engine_positions(),
                        convert.ruleset_of(plan.ruleset), as_of=AS_OF)  # fmt: skip
    assert report.ok and plan.violations == []
    assert all(m.explanation["fit"] == m.fit for m in plan.moves.all())


def _breaking_pair(plan):
    """A cadre not in the plan and a post that is not open: breaks position_not_open at least."""
    moved = set(plan.moves.values_list("cadre_id", flat=True))
    cadre = CareerPost.objects.filter(end__isnull=True).exclude(cadre_id__in=moved).first().cadre
    target = (
        Position.objects.filter(is_open=False)
        .exclude(pk=cadre.career.get(end__isnull=True).position_id)
        .first()
    )
    return cadre.code, target.code


def test_manual_edit_breaking_a_rule_needs_override(cadre_round, org_officer):
    plan = _plan(org_officer)
    before = plan.moves.count()
    pair = _breaking_pair(plan)
    with pytest.raises(ServiceValidationError) as err:
        plan_edit(actor=org_officer, plan=plan, add=pair)
    problem = err.value.problems[0]
    assert problem.code == "rule_violated" and "（" in problem.message_zh and "(" in problem.message_en
    assert plan.moves.count() == before
    plan_edit(actor=org_officer, plan=plan, add=pair, override_reason="urgent vacancy")
    plan.refresh_from_db()
    assert plan.moves.count() == before + 1 and plan.violations and plan.override_reason == "urgent vacancy"
    event = AuditEvent.objects.filter(object_type="cadres.ExchangePlan", reason="urgent vacancy").get()
    assert event.details["violations"]
    plan_edit(actor=org_officer, plan=plan, remove=pair[0])
    plan.refresh_from_db()
    assert plan.violations == [] and plan.moves.count() == before


def test_edit_bad_input_is_bilingual_and_saves_nothing(cadre_round, org_officer):
    plan = _plan(org_officer)
    before = plan.moves.count()
    for kwargs in ({"add": ("NOPE", "X")}, {"remove": "NOPE"}):
        with pytest.raises(ServiceValidationError) as err:
            plan_edit(actor=org_officer, plan=plan, **kwargs)
        assert err.value.problems[0].message_zh and err.value.problems[0].message_en
    assert plan.moves.count() == before


def test_approval_updates_careers(cadre_round, org_officer):
    plan = _plan(org_officer)
    moves = list(plan.moves.select_related("cadre", "to_position", "from_position"))
    plan_approve(actor=org_officer, plan=plan, effective=AS_OF)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    for m in moves:
        closed = CareerPost.objects.get(cadre=m.cadre, position=m.from_position)
        assert closed.end == AS_OF
        now = CareerPost.objects.get(cadre=m.cadre, end__isnull=True)
        assert now.position == m.to_position and now.start == AS_OF
    with pytest.raises(ServiceValidationError):
        plan_approve(actor=org_officer, plan=plan)


def test_approval_refuses_violations_without_override(cadre_round, org_officer):
    plan = _plan(org_officer)
    cadre_code, position_code = _breaking_pair(plan)
    from countybridge.cadres.models import Cadre

    PlanMove.objects.create(plan=plan, cadre=Cadre.objects.get(code=cadre_code),
                            from_position=CareerPost.objects.get(cadre__code=cadre_code, end__isnull=True).position,
                            to_position=Position.objects.get(code=position_code))  # fmt: skip
    with pytest.raises(ServiceValidationError):
        plan_approve(actor=org_officer, plan=plan)
    assert ExchangePlan.objects.get(pk=plan.pk).status == PlanStatus.PROPOSED
    assert not CareerPost.objects.filter(end=AS_OF).exists()


def test_only_organisation_line_writes(cadre_round, make_user):
    from django.core.exceptions import PermissionDenied

    for user in (make_user("department_officer", domain="health"), make_user("county_officer", county="510185"),
                 make_user("auditor"), make_user("public")):  # fmt: skip
        with pytest.raises(PermissionDenied):
            plan_run(actor=user, as_of=AS_OF, time_limit_s=1)


def test_ruleset_update_versions_and_validates(org_officer):
    v2 = ruleset_update(actor=org_officer, settings={"age_limit": {"max_age": 57}})
    assert v2.version == 2 and any(r["params"].get("max_age") == 57 for r in v2.rules)
    with pytest.raises(ServiceValidationError) as err:
        ruleset_update(actor=org_officer, settings={"age_limit": {"max_age": "old"}})
    assert err.value.problems[0].message_zh and err.value.problems[0].message_en
    from countybridge.cadres.models import RuleSetVersion

    assert RuleSetVersion.objects.count() == 2


def test_quota_and_training_bad_input(org_officer, region, cadre_round):
    from countybridge.cadres.models import Cadre

    q = quota_set(
        actor=org_officer, region=region("510185"), year=2025, kind="xuandiao", planned=10, filled=4
    )
    assert q.filled == 4
    for bad in ({"planned": "x"}, {"filled": 11}, {"kind": "nope"}, {"year": 1800}):
        args = {"year": 2031, "kind": "civil_servant", "planned": 10, "filled": 0} | bad
        with pytest.raises(ServiceValidationError):
            quota_set(actor=org_officer, region=region("510129"), **args)
    assert not RecruitmentQuota.objects.filter(region__code="510129", year__in=[2031, 1800]).exists()
    cadre = Cadre.objects.first()
    with pytest.raises(ServiceValidationError):
        training_add(actor=org_officer, cadre=cadre, title="", year=2024, hours=10)
    with pytest.raises(ServiceValidationError):
        training_add(actor=org_officer, cadre=cadre, title="x", year=2024, hours="many")
    assert training_add(actor=org_officer, cadre=cadre, title="党校", year=2024, hours=40).hours == 40
