import pytest

from countybridge.core.demo.generator import RegionInfo, generate
from countybridge.core.demo.loader import DEMO_USERS, demo_load, demo_users
from countybridge.core.identifiers import parse_resident_id
from countybridge.core.models import Organisation, Person, User
from countybridge.core.services.people import resolve_region_code

COUNTY = RegionInfo(
    "510129", "大邑县", 515_962, 103.52, 30.59, [("510129001", "晋原街道"), ("510129106", "䢺江镇")]
)


def test_generator_is_reproducible_and_scales():
    a = generate([COUNTY], seed=1)
    b = generate([COUNTY], seed=1)
    assert [o.name for o in a.organisations] == [o.name for o in b.organisations]
    assert [p.id_number for p in a.people] == [p.id_number for p in b.people]
    big = generate([COUNTY], seed=1, scale=4)
    assert len(big.people) == 4 * len(a.people)
    assert len(big.organisations) > 2 * len(a.organisations)


def test_generated_people_have_valid_ids_from_their_county():
    data = generate([COUNTY], seed=7)
    for person in data.people:
        parsed = parse_resident_id(person.id_number)
        assert parsed.address_code == "510129"


def test_institutions_sized_from_ratios():
    data = generate([COUNTY], seed=3)
    hospitals = [o for o in data.organisations if o.kind == "hospital"]
    # 3.55 hospitals per 100,000 → about 18 for 大邑 (±15%)
    assert 15 <= len(hospitals) <= 21
    assert hospitals[0].name == "大邑县人民医院" and hospitals[0].fields["hospital_level"] == 3
    clinics = [o for o in data.organisations if o.fields.get("primary_care_type") == "village_clinic"]
    assert all(c.township == "510129106" for c in clinics)  # only towns (镇) have village clinics
    assert any("䢺" in o.name for o in data.organisations)


@pytest.mark.django_db
def test_loader_writes_synthetic_records_and_one_login_per_role():
    counts = demo_load(seed=11, scale=0.2)
    assert Organisation.objects.filter(is_synthetic=True).count() == counts["organisations"]
    assert Person.objects.filter(is_synthetic=True).count() == counts["people"]
    jianyang = Person.objects.filter(region__code="510185")
    # older 简阳 residents carry the pre-2016 code 512081, which resolves to today's 510185
    assert jianyang.filter(id_number_masked__startswith="512081").exists()
    assert resolve_region_code("512081").code == "510185"
    demo_users()
    roles = set(User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).values_list("role", flat=True))
    assert roles == {
        "city_admin",
        "department_officer",
        "county_officer",
        "institution_staff",
        "auditor",
        "public",
    }
    staff = User.objects.get(username="jianyang_hospital")
    assert staff.organisation.name == "简阳市人民医院"


@pytest.mark.django_db
def test_home_overview_counts_each_institution_once(make_org):
    from countybridge.core.selectors import county_city_overview

    # two hospitals and one school in 大邑, whose 11 townships must not multiply the counts
    make_org("510129", "hospital", hospital_level=2)
    make_org("510129", "hospital", hospital_level=3)
    make_org("510129", "hospital", hospital_level=1)
    make_org("510129", "school")
    row = next(r for r in county_city_overview()["counties"] if r["code"] == "510129")
    assert (row["secondary_hospitals"], row["schools"], row["townships"]) == (2, 1, 11)


@pytest.mark.django_db
def test_reset_and_reload_keeps_one_login_per_role():
    from countybridge.core.demo.loader import demo_reset

    demo_load(seed=5, scale=0.1)
    demo_users()
    demo_reset()
    assert not Organisation.objects.filter(is_synthetic=True).exists()
    demo_load(seed=5, scale=0.1)
    demo_users()
    assert User.objects.get(username="jianyang_hospital").organisation.name == "简阳市人民医院"
