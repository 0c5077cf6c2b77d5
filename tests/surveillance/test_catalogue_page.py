"""The catalogue page: the lists on any date for readers; detection settings edited by CDC officers."""

import pytest

from countybridge.surveillance.models import Disease
from tests.support import signed_in

URL = "/surveillance/catalogue/"


def test_lists_on_a_date(diseases, make_user):
    client = signed_in(make_user("county_officer", county="510129"))
    html = client.get(URL + "?on=2021-06-01").content.decode()
    assert "新型冠状病毒感染的肺炎" in html and "猴痘" not in html
    current = client.get(URL + "?on=2026-01-01").content.decode()
    assert "猴痘" in current and "人感染新亚型流感" in current
    assert 'name="detection_params"' not in current  # a county officer reads only


def test_cdc_officer_saves_settings_and_bad_json_is_refused(diseases, make_user):
    client = signed_in(make_user("department_officer", domain="cdc"))
    ok = client.post(
        URL, {"disease": "mumps", "detection_method": "ears-c2", "detection_params": '{"baseline": 7}'}
    )
    assert ok.status_code == 302 and Disease.objects.get(code="mumps").detection_method == "ears-c2"
    bad = client.post(URL, {"disease": "mumps", "detection_method": "cusum", "detection_params": "{k: 1"})
    assert bad.status_code == 422 and "参数不是有效的 JSON" in bad.content.decode()
    out_of_range = client.post(
        URL,
        {
            "disease": "mumps",
            "detection_method": "cidars-percentile",
            "detection_params": '{"percentile": 0}',
        },
    )
    assert out_of_range.status_code == 422 and "Out of range" in out_of_range.content.decode()
    assert Disease.objects.get(code="mumps").detection_method == "ears-c2"


@pytest.mark.parametrize(
    "role, extra", [("county_officer", {"county": "510185"}), ("department_officer", {"domain": "health"})]
)
def test_others_cannot_save(diseases, make_user, role, extra):
    response = signed_in(make_user(role, **extra)).post(
        URL, {"disease": "mumps", "detection_method": "fixed", "detection_params": "{}"}
    )
    assert response.status_code == 403
    assert Disease.objects.get(code="mumps").detection_method == "cidars-percentile"


def test_auditor_refused(diseases, make_user):
    assert signed_in(make_user("auditor")).get(URL).status_code == 403
