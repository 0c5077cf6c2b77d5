"""Fixtures shared by the core job tests (pages and API)."""

import pytest

from countybridge.core import jobs

JIANYANG, DAYI = "510185", "510129"


@pytest.fixture
def officers(make_user):
    return {
        "admin": make_user("city_admin"),
        "jianyang": make_user("county_officer", county=JIANYANG),
        "dayi": make_user("county_officer", county=DAYI),
    }


@pytest.fixture
def jianyang_run(officers):
    return jobs.job_start(
        actor=officers["jianyang"], kind="core.registry_integrity", params={}, enqueue=False
    )
