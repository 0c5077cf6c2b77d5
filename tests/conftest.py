"""Shared fixtures: keys, the region hierarchy loaded once per session, and one user per role."""

import base64
import os

import pytest

os.environ.setdefault("COUNTYBRIDGE_ID_KEY", base64.urlsafe_b64encode(b"k" * 32).decode())
os.environ.setdefault("COUNTYBRIDGE_HASH_KEY", "test-hash-key")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret")
os.environ["COUNTYBRIDGE_ENV_FILE"] = "/nonexistent"  # tests never read the developer's var/dev.env


def pytest_configure(config):
    # Test flushes must pass the audit log's append-only triggers; only the test run may do this.
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self, **options):
        from django.db import connections

        from countybridge.core.audit_maintenance import maintenance_mode

        with maintenance_mode(connections[options.get("database", "default")]):
            return original(self, **options)

    flush.Command.handle = handle


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from countybridge.core.services import regions_load

        regions_load()


def _is_transactional(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    by_marker = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return "live_server" in names or "transactional_db" in names or bool(by_marker)


def _ensure_regions():
    from countybridge.core.models import Region
    from countybridge.core.services import regions_load

    if not Region.objects.exists():
        regions_load()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Transactional and live-server tests flush every table, including the regions the session loaded
    once; load them again afterwards so that later tests, whatever their order, still find them."""
    yield
    if _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _ensure_regions()


@pytest.fixture
def regions_loaded(transactional_db):
    """For a transactional test: the regions, whatever ran before."""
    _ensure_regions()


@pytest.fixture
def region(db):
    from countybridge.core.models import Region

    return lambda code: Region.objects.get(code=code)


@pytest.fixture
def make_user(db):
    from countybridge.core.models import Region, User

    counter = {"n": 0}

    def make(
        role: str, *, county: str | None = None, organisation=None, domain: str = "", person=None, **extra
    ):
        counter["n"] += 1
        user = User.objects.create_user(
            username=f"{role}{counter['n']}",
            password="demo-password-123",
            role=role,
            region=Region.objects.get(code=county) if county else None,
            organisation=organisation,
            domain=domain,
            person=person,
            **extra,
        )
        return user

    return make


@pytest.fixture
def make_org(db):
    from countybridge.core.models import Organisation, Region

    def make(county: str, kind: str = "hospital", name: str | None = None, **fields):
        defaults = {
            "hospital": dict(hospital_level=2, hospital_grade="甲", beds=300),
            "school": dict(school_stages=["primary"], seats=900),
            "primary_care": dict(primary_care_type="township_hc"),
        }.get(kind, {})
        defaults.update(fields)
        return Organisation.objects.create(
            kind=kind,
            name=name or f"{county}-{kind}-{Organisation.objects.count()}",
            region=Region.objects.get(code=county),
            **defaults,
        )

    return make


@pytest.fixture
def make_person(db):
    import datetime as dt

    from countybridge.core.identifiers import make_resident_id
    from countybridge.core.models import Region
    from countybridge.core.services import person_register

    counter = {"n": 0}

    def make(county: str, actor=None, organisation=None, name: str = "张三"):
        from countybridge.core.models import User

        counter["n"] += 1
        actor = (
            actor
            or User.objects.filter(role="city_admin").first()
            or User.objects.create_user(username="admin-for-people", password="x" * 12, role="city_admin")
        )
        number = make_resident_id(
            county, dt.date(1980, 1, 1) + dt.timedelta(days=counter["n"]), 2 * counter["n"] + 1
        )
        return person_register(
            actor=actor,
            data={
                "id_number": number,
                "name": name,
                "region": Region.objects.get(code=county),
                "organisation": organisation,
            },
        )

    return make
