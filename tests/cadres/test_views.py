"""Pages: scope (简阳's officer cannot see 大邑's cadres; health officer, auditor, public refused), audited
reads, edit re-check with override, approval, bilingual bad input with nothing saved."""

import pytest
from django.urls import reverse

from countybridge.cadres.models import Cadre, ExchangePlan, PlanStatus, RecruitmentQuota, RuleSetVersion
from countybridge.cadres.services import plan_run
from countybridge.core.models import AuditEvent

from .conftest import AS_OF

pytestmark = pytest.mark.django_db
JIANYANG, DAYI = "510185", "510129"


@pytest.fixture
def plan(cadre_round, org_officer):
    return plan_run(actor=org_officer, as_of=AS_OF, time_limit_s=10, workers=2)


def _pages(plan, cadre):
    return [
        reverse("cadres:index"),
        reverse("cadres:cadre_detail", args=[cadre.pk]),
        reverse("cadres:position_list"),
        reverse("cadres:plan_list"),
        reverse("cadres:plan_detail", args=[plan.pk]),
        reverse("cadres:rules"),
        reverse("cadres:quotas"),
    ]


def test_outsiders_are_refused_everywhere(client, make_user, make_org, plan):
    cadre = Cadre.objects.first()
    outsiders = [
        make_user("department_officer", domain="health"),
        make_user("auditor"),
        make_user("public"),
        make_user("institution_staff", organisation=make_org(JIANYANG)),
    ]
    for user in outsiders:
        client.force_login(user)
        for url in _pages(plan, cadre):
            assert client.get(url).status_code == 403, (user.role, url)
        for url in (reverse("cadres:plan_edit", args=[plan.pk]), reverse("cadres:plan_approve", args=[plan.pk]),
                    reverse("cadres:plan_start"), reverse("cadres:training_add", args=[cadre.pk])):  # fmt: skip
            assert client.post(url, {"remove": "x"}).status_code == 403
    client.logout()
    assert client.get(reverse("cadres:index")).status_code == 302


def test_county_officer_sees_own_county_only_and_read_only(client, make_user, plan):
    dayi = Cadre.objects.filter(region__code=DAYI).first()
    assert dayi is not None
    jianyang_officer = make_user("county_officer", county=JIANYANG)
    client.force_login(jianyang_officer)
    page = client.get(reverse("cadres:index"))
    assert page.status_code == 200 and DAYI not in {c.region.code for c in page.context["page"]}
    assert client.get(reverse("cadres:cadre_detail", args=[dayi.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="read_sensitive", object_id=str(dayi.pk)).exists()
    positions = client.get(reverse("cadres:position_list")).context["page"]
    assert {p.region.code for p in positions} <= {JIANYANG}

    officer = make_user("county_officer", county=DAYI)
    client.force_login(officer)
    shown = {c.region.code for c in client.get(reverse("cadres:index")).context["page"]}
    assert shown == {DAYI}
    assert client.get(reverse("cadres:cadre_detail", args=[dayi.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="read_sensitive", object_id=str(dayi.pk), actor=officer).exists()
    detail = client.get(reverse("cadres:plan_detail", args=[plan.pk]))
    assert detail.status_code == 200 and not detail.context["editable"]
    for m in detail.context["moves"]:
        assert DAYI in (m.from_position.region.code, m.to_position.region.code)
    for m in detail.context["unplaced"]:
        assert Cadre.objects.get(code=m["cadre_id"]).region.code == DAYI
    assert client.post(reverse("cadres:plan_approve", args=[plan.pk])).status_code == 403
    assert client.post(reverse("cadres:plan_edit", args=[plan.pk]), {"remove": "x"}).status_code == 403
    assert client.post(reverse("cadres:plan_start"), {}).status_code == 403
    assert client.post(reverse("cadres:rules"), {}).status_code == 403
    assert client.post(reverse("cadres:quotas"), {}).status_code == 403
    assert {q.region.code for q in client.get(reverse("cadres:quotas")).context["quotas"]} == {DAYI}


def test_officer_edits_with_recheck_and_approves(client, org_officer, plan):
    client.force_login(org_officer)
    assert client.get(reverse("cadres:plan_detail", args=[plan.pk])).status_code == 200
    from .test_services import _breaking_pair

    cadre_code, position_code = _breaking_pair(plan)
    url = reverse("cadres:plan_edit", args=[plan.pk])
    before = plan.moves.count()
    response = client.post(url, {"action": "add", "cadre": cadre_code, "position": position_code})
    assert response.status_code == 400
    text = response.content.decode()
    assert "position_not_open" in text or "rule_violated" in text
    assert plan.moves.count() == before
    response = client.post(url, {"action": "add", "cadre": "NOPE", "position": position_code})
    assert response.status_code == 400 and "No cadre" in response.content.decode()
    response = client.post(url, {"remove": cadre_code})
    assert response.status_code == 400 and plan.moves.count() == before
    assert client.post(reverse("cadres:plan_approve", args=[plan.pk])).status_code == 302
    assert ExchangePlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


def test_rules_page_bad_input_bilingual_nothing_saved(client, org_officer):
    client.force_login(org_officer)
    assert client.get(reverse("cadres:rules")).status_code == 200
    form = {"min_tenure_before_move.years": "3", "age_limit.max_age": "abc", "team_batch_cap.numerator": "1",
            "team_batch_cap.denominator": "0", "balance_directions.max_difference": "5",
            "balance_directions.max_difference_pct": "10"}  # fmt: skip
    response = client.post(reverse("cadres:rules"), form)
    assert response.status_code == 400 and "must be a number" in response.content.decode()
    form["age_limit.max_age"] = "57"
    response = client.post(reverse("cadres:rules"), form)
    assert response.status_code == 400 and "denominator" in response.content.decode()
    assert RuleSetVersion.objects.count() == 1
    form["team_batch_cap.denominator"] = "3"
    assert client.post(reverse("cadres:rules"), form).status_code == 302
    assert RuleSetVersion.objects.get(version=2).rules


def test_quota_page_bad_input(client, make_user):
    admin = make_user("city_admin")
    client.force_login(admin)
    bad = {"region": JIANYANG, "year": "2025", "kind": "xuandiao", "planned": "5", "filled": "9"}
    response = client.post(reverse("cadres:quotas"), bad)
    assert response.status_code == 400 and "exceed" in response.content.decode()
    assert not RecruitmentQuota.objects.exists()
    bad["filled"] = "3"
    assert client.post(reverse("cadres:quotas"), bad).status_code == 302
    assert RecruitmentQuota.objects.get().filled == 3


def test_plan_start_queues_job_and_refuses_bad_params(
    client, org_officer, django_capture_on_commit_callbacks
):
    client.force_login(org_officer)
    response = client.post(reverse("cadres:plan_start"), {"time_limit": "abc"})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("cadres:plan_start"), {"time_limit": "5"})
    assert response.status_code == 302


def test_pages_in_chinese_and_english(client, org_officer, plan):
    client.force_login(org_officer)
    url = reverse("cadres:plan_detail", args=[plan.pk])
    assert "拟交流人选" in client.get(url).content.decode()
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Proposed moves" in client.get(url).content.decode()


def test_list_pages_pin_their_query_counts(client, org_officer, plan, django_assert_max_num_queries):
    client.force_login(org_officer)
    for url in (reverse("cadres:index"), reverse("cadres:position_list"), reverse("cadres:plan_list"),
                reverse("cadres:plan_detail", args=[plan.pk]), "/api/cadres/cadres?page_size=200",
                f"/api/cadres/plans/{plan.pk}"):  # fmt: skip
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
