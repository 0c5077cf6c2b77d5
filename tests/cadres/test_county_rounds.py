"""A county's own exchange round under its own rule set, run by the county's organisation officers only,
and promotion figures derived from the recorded career."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from countybridge.cadres import convert
from countybridge.cadres.models import Cadre, CareerPost, ExchangePlan, Position, RuleSetVersion
from countybridge.cadres.services import plan_approve, plan_edit, plan_run, ruleset_update
from countybridge.core.jobs.runner import execute
from countybridge.core.models import Region
from countybridge.core.services.errors import ServiceValidationError
from tests.support import assert_error, signed_in

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def _busiest_county() -> Region:
    """The county city with the most open posts in the synthetic round (so its round can move someone)."""
    counts = {}
    for p in Position.objects.filter(is_open=True, region__is_county_city=True).select_related("region"):
        counts[p.region] = counts.get(p.region, 0) + 1
    return max(counts, key=counts.get)


@pytest.fixture
def county(cadre_round):
    return _busiest_county()


@pytest.fixture
def county_org_officer(make_user, county):
    return make_user("county_officer", county=county.code, domain="organisation")


def test_county_rule_set_starts_from_the_city_set_and_leaves_it_alone(
    org_officer, county_org_officer, county
):
    city_v2 = ruleset_update(actor=org_officer, settings={"age_limit": {"max_age": 57}})
    own = ruleset_update(
        actor=county_org_officer, region=county, settings={"min_tenure_before_move": {"years": 4.5}}
    )
    assert own.region == county and own.version == 2  # v1 = the copy of the city-wide set, v2 = the edit
    v1 = RuleSetVersion.objects.get(region=county, version=1)
    assert v1.rules == city_v2.rules and "city-wide v2" in v1.note
    params = {r["code"]: r["params"] for r in own.rules}
    assert params["min_tenure_before_move"]["years"] == 4.5 and params["age_limit"]["max_age"] == 57
    city_params = {r["code"]: r["params"] for r in RuleSetVersion.objects.filter(region=None).first().rules}
    assert city_params["min_tenure_before_move"]["years"] != 4.5


def test_county_round_uses_its_rules_and_stays_in_the_county(county_org_officer, county):
    ruleset_update(actor=county_org_officer, region=county, settings={"age_limit": {"max_age": 58}})
    plan = plan_run(actor=county_org_officer, region=county, as_of=AS_OF, time_limit_s=10, workers=2)
    assert plan.region == county and plan.ruleset.region == county
    moves = list(plan.moves.select_related("from_position", "to_position"))
    assert moves, "the county has open posts and cadres: someone should move"
    assert {m.to_position.region_id for m in moves} | {m.from_position.region_id for m in moves} == {
        county.pk
    }
    assert plan.violations == []


def test_county_plan_edit_refuses_cadres_of_other_rounds(county_org_officer, county):
    plan = plan_run(actor=county_org_officer, region=county, as_of=AS_OF, time_limit_s=5, workers=2)
    outsider = Cadre.objects.exclude(region=county).first()
    open_here = Position.objects.filter(region=county, is_open=True).first()
    with pytest.raises(ServiceValidationError) as err:
        plan_edit(actor=county_org_officer, plan=plan, add=(outsider.code, open_here.code))
    assert err.value.problems[0].field == "cadre"


def test_county_officers_cannot_plan_other_rounds(make_user, county, cadre_round):
    other = Region.objects.filter(is_county_city=True).exclude(pk=county.pk).first()
    officer = make_user("county_officer", county=county.code, domain="organisation")
    no_domain = make_user("county_officer", county=county.code)
    for actor, region in ((officer, other), (officer, None), (no_domain, county)):
        with pytest.raises(PermissionDenied):
            plan_run(actor=actor, region=region, as_of=AS_OF, time_limit_s=1)
        with pytest.raises(PermissionDenied):
            ruleset_update(actor=actor, region=region, settings={"age_limit": {"max_age": 57}})
    assert not ExchangePlan.objects.exists()


def test_other_counties_do_not_see_a_county_round(county_org_officer, county, make_user, org_officer):
    plan = plan_run(actor=county_org_officer, region=county, as_of=AS_OF, time_limit_s=5, workers=2)
    other = Region.objects.filter(is_county_city=True).exclude(pk=county.pk).first()
    outsider = make_user("county_officer", county=other.code, domain="organisation")
    client = signed_in(outsider)
    assert client.get(f"/cadres/plans/{plan.pk}/").status_code == 404
    assert_error(client.get(f"/api/cadres/plans/{plan.pk}"), 404)
    assert client.post(f"/cadres/plans/{plan.pk}/approve/").status_code == 404
    with pytest.raises(PermissionDenied):
        plan_approve(actor=outsider, plan=plan)
    assert signed_in(org_officer).get(f"/api/cadres/plans/{plan.pk}").status_code == 200


def test_county_plan_job_through_api(county_org_officer, county, django_capture_on_commit_callbacks):
    client = signed_in(county_org_officer)
    other = Region.objects.filter(is_county_city=True).exclude(pk=county.pk).first()
    assert_error(
        client.post("/api/cadres/plans", {"county": other.code}, content_type="application/json"), 403
    )
    assert_error(client.post("/api/cadres/plans", {"county": "999999"}, content_type="application/json"), 422)
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post("/api/cadres/plans", {"time_limit": 5}, content_type="application/json")
    assert started.status_code == 202
    run = execute(started.json()["job_id"])
    assert run.status == "succeeded", run.error
    plan = ExchangePlan.objects.get(pk=run.result["plan_id"])
    assert plan.region == county


def test_rules_api_and_page_per_county(county_org_officer, county):
    client = signed_in(county_org_officer)
    body = client.get("/api/cadres/rules").json()
    assert body["county"] == county.code and body["inherited"] is True
    saved = client.post("/api/cadres/rules", {"settings": {"age_limit": {"max_age": 56}}},
                        content_type="application/json")  # fmt: skip
    assert saved.status_code == 200 and saved.json()["county"] == county.code
    page = client.get("/cadres/rules/")
    assert page.status_code == 200 and "rules-inherited" not in page.content.decode()
    assert "56" in page.content.decode()
    bad = client.post("/cadres/rules/", {"county": county.code, "age_limit.max_age": "old"})
    assert bad.status_code == 400 and RuleSetVersion.objects.filter(region=county).count() == 2


def test_recorded_career_raises_stale_entered_figures(county, cadre_round):
    cadre = Cadre.objects.filter(region=county).first()
    current = cadre.career.get(end__isnull=True)
    Cadre.objects.filter(pk=cadre.pk).update(years_at_level=0, grassroots_years=0, posts_at_level=1)
    # an earlier recorded post at the same level in a county-city unit, six years long
    earlier_start = current.start - dt.timedelta(days=round(6 * 365.25))
    CareerPost.objects.create(cadre=cadre, position=None, title="earlier post", level=current.level,
                              start=earlier_start, end=current.start)  # fmt: skip
    engine = {c.id: c for c in convert.engine_cadres(Cadre.objects.filter(pk=cadre.pk), AS_OF)}[cadre.code]
    held_now = (AS_OF - current.start).days / 365.25
    assert engine.years_at_level == pytest.approx(6 + held_now, abs=0.15)
    assert engine.posts_at_level == 2
    # the current post is in a county-city unit: it counts as grassroots; the title-only post does not
    assert engine.grassroots_years == pytest.approx(held_now, abs=0.15)
