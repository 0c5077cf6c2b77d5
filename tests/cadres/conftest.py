import datetime as dt

import pytest

AS_OF = dt.date(2025, 3, 1)


@pytest.fixture
def cadre_round(db):
    """A small synthetic round (60 cadres, 20 open posts) written into the database."""
    from countybridge.cadres.demo import load_cadres_demo

    return load_cadres_demo(n_cadres=60, n_open=20, seed=3, as_of=AS_OF)


@pytest.fixture
def org_officer(make_user):
    return make_user("department_officer", domain="organisation")
