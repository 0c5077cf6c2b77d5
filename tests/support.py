"""Helpers shared by the page and API tests."""

from django.test import Client


def signed_in(user, **kwargs) -> Client:
    """A test client logged in as `user` (kwargs go to Client, e.g. enforce_csrf_checks)."""
    client = Client(**kwargs)
    client.force_login(user)
    return client


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The API's one error body: JSON, both languages, a details list, and the expected code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["message_zh"] and error["message_en"] and isinstance(error["details"], list)
    if code:
        assert error["code"] == code
    return error
