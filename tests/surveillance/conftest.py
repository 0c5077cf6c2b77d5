"""Fixtures for the surveillance tests: the shipped disease catalogue, loaded per test that asks for it."""

import pytest


@pytest.fixture
def diseases(db):
    from countybridge.surveillance.services_catalogue import catalogue_load

    catalogue_load()
    from countybridge.surveillance.models import Disease

    return {d.code: d for d in Disease.objects.all()}
