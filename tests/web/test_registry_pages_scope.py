"""Page-level scope for every registry page in core/urls.py: the view refuses what the role may not see."""

import pytest
from django.urls import reverse

from countybridge.core.models import AuditEvent


@pytest.fixture
def world(make_user, make_org, make_person):
    jianyang_org = make_org("510185", name="简阳市测试医院")
    dayi_org = make_org("510129", name="大邑县测试医院")
    return {
        "jianyang_org": jianyang_org,
        "dayi_org": dayi_org,
        "jianyang_person": make_person("510185", name="简阳居民", organisation=jianyang_org),
        "dayi_person": make_person("510129", name="大邑居民", organisation=dayi_org),
        "jianyang_officer": make_user("county_officer", county="510185"),
    }


def _pages(world):
    j, d = world["jianyang_person"], world["dayi_person"]
    return [
        ("get", reverse("core:region_list")),
        ("get", reverse("core:region_detail", args=["510185"])),
        ("get", reverse("core:organisation_list")),
        ("get", reverse("core:organisation_detail", args=[world["jianyang_org"].pk])),
        ("get", reverse("core:person_list")),
        ("get", reverse("core:person_detail", args=[j.pk])),
        ("get", reverse("core:person_detail", args=[d.pk])),
        ("post", reverse("core:person_reveal", args=[j.pk])),
    ]


@pytest.mark.parametrize("role", ["auditor", "public"])
def test_auditor_and_public_get_403_on_every_registry_page(client, make_user, world, role):
    client.force_login(make_user(role))
    for method, url in _pages(world):
        data = {"reason": "核对身份信息"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, url
        assert "无权访问" in response.content.decode()
    assert not AuditEvent.objects.filter(action__in=["unmask", "read_sensitive"]).exists()


def test_anonymous_is_sent_to_login(client, world):
    for method, url in _pages(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_county_officer_sees_own_county(client, world):
    client.force_login(world["jianyang_officer"])
    for method, url in _pages(world):
        if method == "get" and str(world["dayi_person"].pk) not in url.split("/"):
            assert client.get(url).status_code == 200, url
    listing = client.get(reverse("core:organisation_list")).content.decode()
    assert "简阳市测试医院" in listing and "大邑县测试医院" not in listing
    people = client.get(reverse("core:person_list")).content.decode()
    assert "简阳居民" in people and "大邑居民" not in people


def test_county_officer_gets_404_for_other_county(client, world):
    client.force_login(world["jianyang_officer"])
    org = client.get(reverse("core:organisation_detail", args=[world["dayi_org"].pk]))
    assert org.status_code == 404
    assert "大邑县测试医院" not in org.content.decode()
    person = client.get(reverse("core:person_detail", args=[world["dayi_person"].pk]))
    assert person.status_code == 404
    reveal = client.post(
        reverse("core:person_reveal", args=[world["dayi_person"].pk]), {"reason": "核对身份信息"}
    )
    assert reveal.status_code == 404
    assert not AuditEvent.objects.filter(action="unmask").exists()
    # filtering by the other county's code does not widen the scope
    listing = client.get(reverse("core:organisation_list"), {"region": "510129"}).content.decode()
    assert "大邑县测试医院" not in listing


def test_institution_staff_sees_only_own_institution(client, make_user, world):
    client.force_login(make_user("institution_staff", organisation=world["jianyang_org"]))
    assert client.get(reverse("core:organisation_detail", args=[world["jianyang_org"].pk])).status_code == 200
    assert client.get(reverse("core:organisation_detail", args=[world["dayi_org"].pk])).status_code == 404


@pytest.mark.parametrize("reason", ["", "  ", "看"])
def test_unmask_without_reason_is_refused(client, world, reason):
    client.force_login(world["jianyang_officer"])
    person = world["jianyang_person"]
    response = client.post(reverse("core:person_reveal", args=[person.pk]), {"reason": reason}, follow=True)
    body = response.content.decode()
    assert "须说明理由" in body and "A reason is required" in body
    assert person.id_number_masked in body
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_unmask_with_reason_shows_number_and_is_audited(client, world):
    from countybridge.core import crypto

    officer = world["jianyang_officer"]
    client.force_login(officer)
    person = world["jianyang_person"]
    response = client.post(reverse("core:person_reveal", args=[person.pk]), {"reason": "核对转诊患者身份"})
    assert response.status_code == 200
    assert crypto.decrypt(person.id_number_encrypted) in response.content.decode()
    row = AuditEvent.objects.get(action="unmask")
    assert row.actor == officer and row.object_id == str(person.pk) and row.reason == "核对转诊患者身份"
    assert row.region_code == "510185"


def test_reveal_needs_post(client, world):
    client.force_login(world["jianyang_officer"])
    assert client.get(reverse("core:person_reveal", args=[world["jianyang_person"].pk])).status_code == 405
