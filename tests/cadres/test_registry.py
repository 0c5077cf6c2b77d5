"""Registry writes (services): cadres linked to people, career posts, assessments, relatives, positions;
bilingual refusal of bad input with nothing saved; scope; an entered relative reaches the planner."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from countybridge.cadres import convert
from countybridge.cadres import services_registry as registry
from countybridge.cadres.models import Assessment, Cadre, CareerPost, Position, Relative
from countybridge.cadres.planning import check_plan, explain_pair
from countybridge.core.identifiers import make_resident_id
from countybridge.core.models import AuditEvent, Person, Region
from countybridge.core.services.errors import ServiceValidationError

from .conftest import AS_OF

pytestmark = pytest.mark.django_db
JIANYANG = "510185"


def cadre_data(**over):
    data = {"code": "GB-T1", "name": "李明", "birth_date": "1980-05-01", "home_region": "510129",
            "work_start": "2002-07-01", "grassroots_years": "6", "fields": "industry, grassroots",
            "level": "处级副职", "years_at_level": "4", "years_one_level_down": "5", "posts_at_level": "1",
            "posts_one_level_down": "2", "region": JIANYANG}  # fmt: skip
    return data | over


def position_data(**over):
    data = {"code": "P-T1", "title": "副县长", "unit_name": "简阳市人民政府", "unit_type": "county",
            "region": JIANYANG, "level": "处级副职", "function": "government", "team": "JY-gov",
            "is_chief": "", "is_open": "1", "required_fields": "", "preferred_fields": "industry"}  # fmt: skip
    return data | over


def assert_bilingual(exc, code):
    problems = {p.code: p for p in exc.value.problems}
    assert code in problems, problems
    assert problems[code].message_zh and problems[code].message_en
    assert problems[code].message_zh != problems[code].message_en


def test_create_cadre_registers_the_person_in_one_transaction(org_officer):
    number = make_resident_id(JIANYANG, dt.date(1980, 5, 1), 11)
    person_data = {"id_number": number, "region": Region.objects.get(code=JIANYANG)}
    cadre = registry.cadre_create(actor=org_officer, data=cadre_data(), person_data=person_data)
    assert cadre.person.name == "李明" and cadre.person.birth_date == dt.date(1980, 5, 1)
    assert cadre.fields == ["grassroots", "industry"] and cadre.region.code == JIANYANG
    assert AuditEvent.objects.filter(
        object_type__icontains="cadre", object_id=str(cadre.pk), action="create"
    ).exists()


def test_create_cadre_for_existing_person_and_bad_input(org_officer, make_person):
    person = make_person(JIANYANG, name="王芳")
    with pytest.raises(ServiceValidationError) as exc:
        registry.cadre_create(actor=org_officer, person=person,
                              data=cadre_data(birth_date="1970-01-01", level="局长", work_start="1960-01-01"))  # fmt: skip
    assert_bilingual(exc, "mismatch")
    assert_bilingual(exc, "unknown")
    assert_bilingual(exc, "order")
    assert not Cadre.objects.exists()
    cadre = registry.cadre_create(actor=org_officer, person=person,
                                  data=cadre_data(name="王芳", birth_date=person.birth_date.isoformat()))  # fmt: skip
    assert cadre.person_id == person.pk
    # a refused person registration leaves no person and no cadre behind
    before = Person.objects.count()
    with pytest.raises(ServiceValidationError):
        registry.cadre_create(actor=org_officer, data=cadre_data(code="GB-T2"),
                              person_data={"id_number": "123", "region": person.region})  # fmt: skip
    assert Person.objects.count() == before and Cadre.objects.count() == 1


@pytest.mark.parametrize(
    "role,extra",
    [("county_officer", {"county": JIANYANG}), ("department_officer", {"domain": "health"}), ("auditor", {}),
     ("public", {})],
)  # fmt: skip
def test_registry_writes_refuse_outside_the_organisation_line(make_user, org_officer, role, extra):
    user = make_user(role, **extra)
    cadre = registry.cadre_create(actor=org_officer, data=cadre_data())
    position = registry.position_create(actor=org_officer, data=position_data())
    calls = [
        lambda: registry.cadre_create(actor=user, data=cadre_data(code="X")),
        lambda: registry.cadre_update(actor=user, cadre=cadre, data=cadre_data()),
        lambda: registry.career_add(
            actor=user, cadre=cadre, data={"title": "x", "level": "处级副职", "start": "2020-01-01"}
        ),  # fmt: skip
        lambda: registry.assessment_set(actor=user, cadre=cadre, year=2024, grade="优秀"),
        lambda: registry.relative_add(actor=user, cadre=cadre, relative_code="X", kinship="spouse"),
        lambda: registry.position_create(actor=user, data=position_data(code="P-X")),
        lambda: registry.position_update(actor=user, position=position, data=position_data()),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Cadre.objects.count() == 1 and Position.objects.count() == 1 and not CareerPost.objects.exists()


def test_career_posts_dates_and_single_current_post(org_officer):
    cadre = registry.cadre_create(actor=org_officer, data=cadre_data())
    position = registry.position_create(actor=org_officer, data=position_data(is_open=""))
    with pytest.raises(ServiceValidationError) as exc:
        registry.career_add(actor=org_officer, cadre=cadre, data={"position": position.code, "level": "处级副职",
                            "start": "2020-01-01", "end": "2019-01-01"})  # fmt: skip
    assert_bilingual(exc, "order")
    assert not CareerPost.objects.exists()
    first = registry.career_add(actor=org_officer, cadre=cadre,
                                data={"position": position.code, "level": "处级副职", "start": "2020-01-01"})  # fmt: skip
    assert first.title.startswith("简阳市人民政府")
    with pytest.raises(ServiceValidationError) as exc:
        registry.career_add(actor=org_officer, cadre=cadre,
                            data={"title": "另一职务", "level": "处级副职", "start": "2021-01-01"})  # fmt: skip
    assert_bilingual(exc, "two_current")
    assert CareerPost.objects.count() == 1
    registry.career_update(actor=org_officer, post=first, data={"position": position.code, "level": "处级副职",
                           "start": "2020-01-01", "end": "2023-01-01"})  # fmt: skip
    registry.career_add(actor=org_officer, cadre=cadre,
                        data={"title": "另一职务", "level": "处级正职", "start": "2023-01-02"})  # fmt: skip
    assert CareerPost.objects.filter(cadre=cadre, end__isnull=True).count() == 1


def test_position_held_by_someone_else_and_bad_position_input(org_officer):
    a = registry.cadre_create(actor=org_officer, data=cadre_data())
    b = registry.cadre_create(actor=org_officer, data=cadre_data(code="GB-T2"))
    position = registry.position_create(actor=org_officer, data=position_data())
    registry.career_add(
        actor=org_officer, cadre=a, data={"position": "P-T1", "level": "处级副职", "start": "2020-01-01"}
    )
    with pytest.raises(ServiceValidationError) as exc:
        registry.career_add(actor=org_officer, cadre=b, data={"position": "P-T1", "level": "处级副职",
                            "start": "2020-01-01"})  # fmt: skip
    assert_bilingual(exc, "held")
    with pytest.raises(ServiceValidationError) as exc:
        registry.position_create(actor=org_officer, data=position_data(code="P-T2", function="magic",
                                 unit_type="moon", reports_to="NOPE", region="999999"))  # fmt: skip
    assert {"unknown"} == {p.code for p in exc.value.problems}
    assert {p.field for p in exc.value.problems} == {"function", "unit_type", "reports_to", "region"}
    child = registry.position_create(actor=org_officer, data=position_data(code="P-T2", reports_to="P-T1"))
    with pytest.raises(ServiceValidationError) as exc:
        registry.position_update(
            actor=org_officer, position=position, data=position_data(reports_to=child.code)
        )
    assert_bilingual(exc, "cycle")
    assert Position.objects.get(pk=position.pk).reports_to_id is None


def test_assessments_and_relatives_use_the_engine_tables(org_officer):
    a = registry.cadre_create(actor=org_officer, data=cadre_data())
    b = registry.cadre_create(actor=org_officer, data=cadre_data(code="GB-T2"))
    with pytest.raises(ServiceValidationError) as exc:
        registry.assessment_set(actor=org_officer, cadre=a, year=2024, grade="A+")
    assert_bilingual(exc, "unknown")
    registry.assessment_set(actor=org_officer, cadre=a, year=2024, grade="称职")
    registry.assessment_set(actor=org_officer, cadre=a, year=2024, grade="优秀")
    assert list(Assessment.objects.values_list("grade", flat=True)) == ["优秀"]
    for code, kinship, problem in (("GB-T2", "cousin_of_friend", "unknown"), ("NOPE", "spouse", "unknown"),
                                   ("GB-T1", "spouse", "self")):  # fmt: skip
        with pytest.raises(ServiceValidationError) as exc:
            registry.relative_add(actor=org_officer, cadre=a, relative_code=code, kinship=kinship)
        assert_bilingual(exc, problem)
    assert not Relative.objects.exists()
    row = registry.relative_add(actor=org_officer, cadre=a, relative_code=b.code, kinship="sibling")
    with pytest.raises(ServiceValidationError) as exc:
        registry.relative_add(actor=org_officer, cadre=a, relative_code=b.code, kinship="spouse")
    assert_bilingual(exc, "duplicate")
    registry.relative_remove(actor=org_officer, relative=row)
    assert not Relative.objects.exists()


def _eligible_pair(cadres, positions, rules):
    for q in (p for p in positions if p.open):
        for c in cadres:
            if not explain_pair(c.id, q.id, cadres, positions, rules, as_of=AS_OF):
                return c, q
    raise AssertionError("the demo round has no eligible pair")


def test_an_entered_relative_reaches_the_next_plan(cadre_round, org_officer):
    """A relative entered through the registry, serving in the target post's unit, blocks the move."""
    rules = convert.ruleset_of(None)
    cadres, positions = convert.engine_cadres(), convert.engine_positions()
    a, q = _eligible_pair(cadres, positions, rules)
    target = Position.objects.get(code=q.id)
    registry.position_create(actor=org_officer, data=position_data(
        code="P-KIN", unit_name=target.unit_name, region=target.region.code, unit_type=target.unit_type,
        team="", is_open="", function="general"))  # fmt: skip
    b = registry.cadre_create(actor=org_officer, data=cadre_data(code="GB-KIN", region=target.region.code))
    registry.career_add(actor=org_officer, cadre=b, data={"position": "P-KIN", "level": "处级副职",
                        "start": "2024-01-01"})  # fmt: skip
    before = check_plan(
        [(a.id, q.id)], convert.engine_cadres(), convert.engine_positions(), rules, as_of=AS_OF
    )
    assert not [f for f in before.violations if f.code == "kinship_avoidance"]
    registry.relative_add(actor=org_officer, cadre=Cadre.objects.get(code=a.id), relative_code="GB-KIN",
                          kinship="sibling")  # fmt: skip
    cadres, positions = convert.engine_cadres(), convert.engine_positions()
    report = check_plan([(a.id, q.id)], cadres, positions, rules, as_of=AS_OF)
    kin = [f for f in report.violations if f.code == "kinship_avoidance"]
    assert kin and set(kin[0].cadre_ids) == {a.id, "GB-KIN"} and "亲属回避" in kin[0].message_zh
    found = explain_pair(a.id, q.id, cadres, positions, rules, as_of=AS_OF)
    assert [f.code for f in found] == ["kinship_avoidance"]


def test_career_overlap_level_mismatch_and_one_file_per_person(org_officer, make_person):
    cadre = registry.cadre_create(actor=org_officer, data=cadre_data())
    registry.position_create(actor=org_officer, data=position_data())
    post = registry.career_add(
        actor=org_officer, cadre=cadre, data={"position": "P-T1", "start": "2020-01-01"}
    )
    assert post.level == "处级副职"  # taken from the position
    with pytest.raises(ServiceValidationError) as exc:
        registry.career_add(actor=org_officer, cadre=cadre, data={"title": "旧职务", "level": "科级正职",
                            "start": "2018-01-01", "end": "2021-06-30"})  # fmt: skip
    assert_bilingual(exc, "overlap")
    registry.career_add(actor=org_officer, cadre=cadre, data={"title": "旧职务", "level": "科级正职",
                        "start": "2015-01-01", "end": "2020-01-01"})  # fmt: skip
    with pytest.raises(ServiceValidationError) as exc:
        registry.career_update(actor=org_officer, post=post, data={"position": "P-T1", "level": "处级正职",
                               "start": "2020-01-01"})  # fmt: skip
    assert_bilingual(exc, "mismatch")
    assert CareerPost.objects.get(pk=post.pk).level == "处级副职" and CareerPost.objects.count() == 2
    person = make_person(JIANYANG, name="王芳")
    born = person.birth_date.isoformat()
    registry.cadre_create(actor=org_officer, person=person, data=cadre_data(code="GB-P1", birth_date=born))
    with pytest.raises(ServiceValidationError) as exc:
        registry.cadre_create(
            actor=org_officer, person=person, data=cadre_data(code="GB-P2", birth_date=born)
        )
    assert_bilingual(exc, "duplicate")
    assert not Cadre.objects.filter(code="GB-P2").exists()


def test_a_held_position_keeps_its_level(org_officer):
    cadre = registry.cadre_create(actor=org_officer, data=cadre_data())
    position = registry.position_create(actor=org_officer, data=position_data())
    registry.career_add(actor=org_officer, cadre=cadre, data={"position": "P-T1", "start": "2020-01-01"})
    with pytest.raises(ServiceValidationError) as exc:
        registry.position_update(actor=org_officer, position=position, data=position_data(level="处级正职"))
    assert_bilingual(exc, "held")
    assert Position.objects.get(pk=position.pk).level == "处级副职"
    registry.position_update(actor=org_officer, position=position, data=position_data(title="常务副县长"))
    assert Position.objects.get(pk=position.pk).title == "常务副县长"
