"""The module links of the navigation lead to the working pages of each module."""

import pytest

from tests.support import signed_in

pytestmark = pytest.mark.django_db


def _modules(client) -> set[str]:
    return {m["url"] for m in client.get("/").context["nav_modules"]}


def test_surveillance_link_depends_on_the_role(make_user, make_org):
    clinic = make_user("institution_staff", organisation=make_org("510185"))
    officer = make_user("county_officer", county="510129")
    assert "/surveillance/reports/new/" in _modules(signed_in(clinic))
    officer_links = _modules(signed_in(officer))
    assert "/surveillance/signals/" in officer_links and "/surveillance/reports/new/" not in officer_links
    assert signed_in(officer).get("/surveillance/signals/").status_code == 200
