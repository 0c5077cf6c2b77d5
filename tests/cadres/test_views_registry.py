"""Registry pages: only the organisation department and the city administrator create or edit; county
officers read only; bad input is shown in Chinese and English with status 400 and nothing saved."""

import pytest
from django.urls import reverse

from countybridge.cadres import services_registry as registry
from countybridge.cadres.models import Assessment, Cadre, CareerPost, Position, Relative

from .test_registry import JIANYANG, cadre_data, position_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(org_officer):
    cadre = registry.cadre_create(actor=org_officer, data=cadre_data())
    other = registry.cadre_create(actor=org_officer, data=cadre_data(code="GB-T2", name="王芳"))
    position = registry.position_create(actor=org_officer, data=position_data())
    post = registry.career_add(actor=org_officer, cadre=cadre, data={"position": "P-T1", "level": "处级副职",
                               "start": "2020-01-01"})  # fmt: skip
    return cadre, other, position, post


def _write_urls(cadre, position, post):
    return [
        ("get", reverse("cadres:cadre_new")),
        ("post", reverse("cadres:cadre_new")),
        ("get", reverse("cadres:cadre_edit", args=[cadre.pk])),
        ("post", reverse("cadres:career_add", args=[cadre.pk])),
        ("get", reverse("cadres:career_edit", args=[cadre.pk, post.pk])),
        ("post", reverse("cadres:assessment_add", args=[cadre.pk])),
        ("post", reverse("cadres:relative_add", args=[cadre.pk])),
        ("get", reverse("cadres:position_new")),
        ("post", reverse("cadres:position_edit", args=[position.pk])),
    ]


@pytest.mark.parametrize(
    "role,extra",
    [("county_officer", {"county": JIANYANG}), ("department_officer", {"domain": "health"}), ("auditor", {}),
     ("public", {})],
)  # fmt: skip
def test_registry_pages_refuse_everyone_else(client, make_user, seeded, role, extra):
    cadre, other, position, post = seeded
    client.force_login(make_user(role, **extra))
    for method, url in _write_urls(cadre, position, post):
        data = cadre_data(code="GB-X") if method == "post" else None
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code in (403, 404), (role, url)
    assert Cadre.objects.count() == 2 and CareerPost.objects.count() == 1 and not Assessment.objects.exists()


def test_county_officer_reads_without_edit_forms(client, make_user, seeded):
    cadre = seeded[0]
    client.force_login(make_user("county_officer", county=JIANYANG))
    page = client.get(reverse("cadres:cadre_detail", args=[cadre.pk])).content.decode()
    assert "李明" in page and 'data-testid="relative-form"' not in page
    assert reverse("cadres:position_new") not in client.get(reverse("cadres:position_list")).content.decode()


def test_officer_creates_and_edits_through_pages(client, org_officer, make_person, seeded):
    cadre, other, position, post = seeded
    client.force_login(org_officer)
    assert client.get(reverse("cadres:cadre_new")).status_code == 200
    person = make_person(JIANYANG, name="赵敏")
    response = client.post(reverse("cadres:cadre_new"), cadre_data(code="GB-NEW", name="赵敏", person_id=person.pk,
                           birth_date=person.birth_date.isoformat()))  # fmt: skip
    new = Cadre.objects.get(code="GB-NEW")
    assert response.status_code == 302 and new.person_id == person.pk
    edit = reverse("cadres:cadre_edit", args=[cadre.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, cadre_data(grassroots_years="9")).status_code == 302
    assert Cadre.objects.get(pk=cadre.pk).grassroots_years == 9
    detail = client.get(reverse("cadres:cadre_detail", args=[cadre.pk])).content.decode()
    assert 'data-testid="relative-form"' in detail and "sibling" in detail
    assert client.post(reverse("cadres:relative_add", args=[cadre.pk]),
                       {"relative": "GB-T2", "kinship": "spouse"}).status_code == 302  # fmt: skip
    rel = Relative.objects.get(cadre=cadre)
    assert "王芳" in client.get(reverse("cadres:cadre_detail", args=[cadre.pk])).content.decode()
    assert client.post(reverse("cadres:relative_remove", args=[cadre.pk, rel.pk])).status_code == 302
    assert not Relative.objects.exists()
    assert client.post(reverse("cadres:assessment_add", args=[cadre.pk]),
                       {"year": "2024", "grade": "优秀"}).status_code == 302  # fmt: skip
    edit_post = reverse("cadres:career_edit", args=[cadre.pk, post.pk])
    assert client.get(edit_post).status_code == 200
    response = client.post(edit_post, {"position": "P-T1", "level": "处级副职", "start": "2020-01-01",
                                       "end": "2024-12-31", "consecutive_terms": "1"})  # fmt: skip
    assert response.status_code == 302 and CareerPost.objects.get(pk=post.pk).end is not None
    assert client.get(reverse("cadres:position_new")).status_code == 200
    response = client.post(reverse("cadres:position_new"), position_data(code="P-NEW", reports_to="P-T1"))
    assert response.status_code == 302 and Position.objects.get(code="P-NEW").reports_to_id == position.pk
    assert client.get(reverse("cadres:position_edit", args=[position.pk])).status_code == 200


def test_bad_input_on_pages_is_bilingual_and_saves_nothing(client, org_officer, seeded):
    cadre, other, position, post = seeded
    client.force_login(org_officer)
    response = client.post(
        reverse("cadres:relative_add", args=[cadre.pk]), {"relative": "GB-T2", "kinship": "bff"}
    )
    assert response.status_code == 400 and not Relative.objects.exists()
    page = response.content.decode()
    assert "不在代码表中" in page and "Unknown kinship code" in page
    response = client.post(reverse("cadres:career_add", args=[cadre.pk]),
                           {"title": "又一职务", "level": "处级副职", "start": "2022-01-01"})  # fmt: skip
    assert response.status_code == 400 and CareerPost.objects.count() == 1
    assert "already holds a current post" in response.content.decode()
    response = client.post(reverse("cadres:career_edit", args=[cadre.pk, post.pk]),
                           {"position": "P-T1", "level": "处级副职", "start": "2020-01-01", "end": "2019-01-01"})  # fmt: skip
    assert response.status_code == 400 and CareerPost.objects.get(pk=post.pk).end is None
    assert "任职结束日期早于开始日期" in response.content.decode()
    response = client.post(
        reverse("cadres:cadre_new"), cadre_data(code="GB-BAD", level="部长", birth_date="x")
    )
    assert response.status_code == 400 and not Cadre.objects.filter(code="GB-BAD").exists()
    response = client.post(reverse("cadres:position_new"), position_data(code="P-BAD", function="magic"))
    assert response.status_code == 400 and not Position.objects.filter(code="P-BAD").exists()


def test_new_cadre_page_registers_the_person(client, org_officer):
    import datetime as dt

    from countybridge.core.identifiers import make_resident_id

    client.force_login(org_officer)
    number = make_resident_id(JIANYANG, dt.date(1980, 5, 1), 31)
    response = client.post(reverse("cadres:cadre_new"), cadre_data(code="GB-PG", id_number=number))
    assert response.status_code == 302
    assert Cadre.objects.get(code="GB-PG").person.region.code == JIANYANG
    response = client.post(reverse("cadres:cadre_new"), cadre_data(code="GB-PG2", person_id="999999"))
    assert response.status_code == 400 and "No registered person" in response.content.decode()
    assert not Cadre.objects.filter(code="GB-PG2").exists()


def test_registry_pages_in_chinese_and_english(client, org_officer, seeded):
    from django.conf import settings

    client.force_login(org_officer)
    page = client.get(reverse("cadres:cadre_new")).content.decode()
    assert "新增干部" in page and "保存干部信息" in page and "亲属" not in page
    detail = client.get(reverse("cadres:cadre_detail", args=[seeded[0].pk])).content.decode()
    assert "登记亲属" in detail and "新增任职经历" in detail and "保存考核结果" in detail
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("cadres:position_new")).content.decode()
    assert "New position" in page and "Save position" in page
