"""Login through the form: success is audited, failures are audited, and repeated failures lock (django-axes)."""

import pytest
from django.conf import settings
from django.urls import reverse

from countybridge.core.models import AuditEvent

PASSWORD = "demo-password-123"  # the make_user fixture's password


@pytest.fixture
def officer(make_user):
    return make_user("county_officer", county="510185")


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_login_form_logs_in_and_is_audited(client, officer):
    response = _login(client, officer.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AuditEvent.objects.filter(action="login", actor=officer, ip_address="10.1.2.3").exists()


def test_wrong_password_shows_the_form_again_and_is_audited(client, officer):
    response = _login(client, officer.username, "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    row = AuditEvent.objects.get(action="login_failed")
    assert row.object_repr == officer.username and row.ip_address == "10.1.2.3"
    assert row.actor is None


def test_sixth_attempt_is_locked_out_even_with_the_right_password(client, officer):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(4):
        response = _login(client, officer.username, "wrong-password")
        assert response.status_code == 200
        assert 'name="password"' in response.content.decode()
    _login(client, officer.username, "wrong-password")  # the fifth failure reaches the limit
    response = _login(client, officer.username, PASSWORD)
    assert response.status_code in (403, 429)
    body = response.content.decode()
    assert "登录失败次数过多" in body and "Too many failed logins" in body
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", object_repr=officer.username).count() >= 5
    assert not AuditEvent.objects.filter(action="login", actor=officer).exists()


def test_lockout_page_in_english_too(client, officer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _attempt in range(6):
        response = _login(client, officer.username, "wrong-password")
    body = response.content.decode()
    assert "Too many failed logins" in body and "登录失败次数过多" in body
