"""Fixtures for the surveillance tests: the shipped disease catalogue, loaded per test that asks for it."""

import pytest


@pytest.fixture
def diseases(db):
    from countybridge.surveillance.services_catalogue import catalogue_load

    catalogue_load()
    from countybridge.surveillance.models import Disease

    return {d.code: d for d in Disease.objects.all()}


@pytest.fixture
def card():
    """A valid card (measles, diagnosed two hours ago) as the API or the page would send it."""
    import datetime as dt
    import uuid

    from django.utils import timezone

    from countybridge.core.identifiers import make_resident_id

    counter = {"n": 0}

    def make(**changes):
        counter["n"] += 1
        diagnosed = timezone.localtime() - dt.timedelta(hours=2)
        data = {
            "client_report_id": str(uuid.uuid4()),
            "patient_name": "王小明",
            "id_type": "resident_id",
            "id_number": make_resident_id(
                "510185", dt.date(1990, 1, 1) + dt.timedelta(days=counter["n"]), 11
            ),
            "patient_origin": "county",
            "address": "简阳市射洪坝街道某某路1号",
            "population_group": "farmer",
            "case_classification": "clinical",
            "disease": "measles",
            "onset_date": (diagnosed - dt.timedelta(days=3)).date().isoformat(),
            "diagnosed_at": diagnosed.strftime("%Y-%m-%dT%H:%M"),
            "reporting_doctor": "李医生",
        }
        data.update(changes)
        return data

    return make


@pytest.fixture
def clinics(make_org):
    return {
        "jianyang": make_org("510185", "primary_care", name="简阳市射洪坝社区卫生服务中心"),
        "jianyang2": make_org("510185", "hospital", name="简阳市人民医院"),
        "dayi": make_org("510129", "primary_care", name="大邑县晋原街道社区卫生服务中心"),
    }
