"""Fixtures of the talent app tests: talents, positions and officers in 简阳 and 大邑."""

import datetime as dt

import pytest

JIANYANG, DAYI = "510185", "510129"
ALL_DOCS = [
    "id_document",
    "degree_certificate",
    "award_certificate",
    "programme_letter",
    "employment_contract",
    "social_insurance_record",
    "title_certificate",
    "employer_licence",
]
SECOND_PRIZE = {
    "degree": "博士",
    "awards": [{"code": "natural_science_2nd", "rank": 1, "year": 2021}],
    "annual_income": "约30万",
}
AS_OF = dt.date(2024, 6, 1)


@pytest.fixture
def officers(make_user):
    return {
        JIANYANG: make_user("county_officer", county=JIANYANG),
        DAYI: make_user("county_officer", county=DAYI),
        "admin": make_user("city_admin"),
        "auditor": make_user("auditor"),
    }


@pytest.fixture
def make_talent(make_person, officers):
    from countybridge.talent.services import talent_create

    def make(county=JIANYANG, name="李四", **data):
        person = make_person(county, name=name)
        defaults = {
            "degree": "doctor",
            "major": "计算机科学与技术",
            "title": "intermediate",
            "years_experience": 5,
            "skills_text": "机器学习 数据分析 Python",
        }
        defaults.update(data)
        return talent_create(actor=officers["admin"], person=person, data=defaults)

    return make


@pytest.fixture
def make_position(make_org, officers):
    from countybridge.talent.services_recruitment import position_save

    def make(county=JIANYANG, employer=None, **data):
        employer = employer or make_org(county, kind="employer")
        defaults = {
            "name": "数据工程师",
            "min_degree": "master",
            "min_years": 2,
            "skills_text": "机器学习 Python",
            "responsibilities_text": "数据分析 平台建设",
            "salary_min": 8000,
            "salary_max": 15000,
        }
        defaults.update(data)
        return position_save(actor=officers["admin"], data={"employer": employer, **defaults})

    return make
