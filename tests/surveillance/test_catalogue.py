"""The disease catalogue: classification by the rules in force on a date, deadlines, officers' edits."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied

from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError
from countybridge.surveillance import deadlines
from countybridge.surveillance.models import Disease, DiseaseClassification
from countybridge.surveillance.selectors_catalogue import (
    classification_on,
    diseases_reportable_on,
    statutory_counts_on,
)
from countybridge.surveillance.services_catalogue import (
    DATA_FILE,
    catalogue_load,
    classification_announce,
    disease_update,
)

D = dt.date


@pytest.mark.parametrize(
    "on, expected",
    [
        (D(2005, 6, 1), {"A": 2, "B": 25, "C": 10}),  # 2004 law
        (D(2008, 6, 1), {"A": 2, "B": 25, "C": 11}),  # + 手足口病
        (D(2010, 6, 1), {"A": 2, "B": 26, "C": 11}),  # + 甲型H1N1 (乙)
        (D(2014, 6, 1), {"A": 2, "B": 26, "C": 11}),  # 39: H7N9 in, H1N1 merged into influenza
        (D(2021, 6, 1), {"A": 2, "B": 27, "C": 11}),  # 40 with COVID-19
        (D(2024, 6, 1), {"A": 2, "B": 28, "C": 11}),  # 41 with mpox
        (D(2025, 9, 1), {"A": 2, "B": 27, "C": 11}),  # 2025 law: 40
    ],
)
def test_statutory_list_size_by_date(diseases, on, expected):
    assert statutory_counts_on(on) == expected


def test_current_law_lists_exactly_the_forty(diseases):
    on = D(2026, 3, 1)
    names = set(diseases_reportable_on(on, kinds=("notifiable",)).values_list("name_zh", flat=True))
    assert len(names) == 40
    assert "人感染新亚型流感" in names and "猴痘" in names
    assert "人感染高致病性禽流感" not in names and "人感染H7N9禽流感" not in names
    # SFTS is monitored "参照乙类", never a statutory class
    assert classification_on("sfts", on).legal_class == "other"


def test_classification_follows_the_diagnosis_date(diseases):
    covid_2021 = classification_on("covid19", D(2021, 5, 1))
    assert covid_2021.legal_class == "B" and covid_2021.managed_as_a
    assert covid_2021.name_zh == "新型冠状病毒感染的肺炎"
    assert "2020年第1号" in covid_2021.source
    covid_2023 = classification_on("covid19", D(2023, 1, 8))  # 甲类 measures lifted that day
    assert not covid_2023.managed_as_a and covid_2023.name_zh == "新型冠状病毒感染"
    assert classification_on("covid19", D(2019, 12, 1)) is None
    assert classification_on("mpox", D(2023, 9, 19)) is None
    assert classification_on("mpox", D(2023, 9, 20)).legal_class == "B"
    assert classification_on("hpai", D(2012, 1, 1)).managed_as_a
    assert not classification_on("hpai", D(2014, 1, 1)).managed_as_a
    assert classification_on("hpai", D(2025, 9, 1)) is None
    assert classification_on("novel_flu", D(2025, 8, 31)) is None
    assert classification_on("novel_flu", D(2025, 9, 1)).legal_class == "B"


def test_managed_as_class_a_and_deadline_hours(diseases):
    on = D(2026, 3, 1)
    sars = classification_on("sars", on)
    assert sars.legal_class == "B" and sars.managed_as_a and deadlines.deadline_hours(sars) == 2
    anthrax = classification_on("anthrax", on)
    assert not anthrax.managed_as_a and deadlines.deadline_hours(anthrax) == 24
    pulmonary = classification_on("anthrax", on, subtype="pulmonary")
    assert pulmonary.managed_as_a and deadlines.deadline_hours(pulmonary) == 2
    assert deadlines.deadline_hours(classification_on("cholera", on)) == 2
    measles = classification_on("measles", on)
    assert deadlines.deadline_hours(measles) == 24
    assert deadlines.deadline_hours(measles, outbreak=True) == 2
    assert deadlines.deadline_hours(classification_on("hfmd", on)) == 24
    assert deadlines.deadline_hours(classification_on("unexplained", on)) == 2


def test_deadline_clock_starts_at_the_diagnosis_hour():
    tz = dt.timezone(dt.timedelta(hours=8))
    diagnosed = dt.datetime(2026, 3, 1, 9, 47, tzinfo=tz)
    assert deadlines.deadline_at(diagnosed, 2) == dt.datetime(2026, 3, 1, 11, 0, tzinfo=tz)
    assert deadlines.deadline_at(diagnosed, 24) == dt.datetime(2026, 3, 2, 9, 0, tzinfo=tz)
    assert deadlines.is_late(
        dt.datetime(2026, 3, 1, 11, 1, tzinfo=tz), dt.datetime(2026, 3, 1, 11, tzinfo=tz)
    )


def test_every_disease_has_a_known_method_and_the_file_is_versioned(diseases):
    doc = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert doc["version"] and len(doc["diseases"]) == len(diseases)
    methods = {d.detection_method for d in diseases.values()}
    assert methods <= {
        "",
        "fixed",
        "cidars-percentile",
        "ears-c1",
        "ears-c2",
        "ears-c3",
        "cusum",
        "farrington-flexible",
        "farrington",
    }
    assert diseases["dysentery"].detection_params["percentile"] == 90
    assert diseases["influenza"].detection_params["percentile"] == 80
    assert diseases["plague"].detection_method == "fixed"
    kinds = {d.kind for d in diseases.values()}
    assert {"notifiable", "syndrome", "monitored", "unexplained"} <= kinds


def test_loading_twice_changes_nothing(diseases):
    before = DiseaseClassification.objects.count()
    assert catalogue_load()["loaded"] is False
    assert DiseaseClassification.objects.count() == before


def test_cdc_officer_edits_detection_with_audit(diseases, make_user):
    officer = make_user("department_officer", domain="cdc")
    measles = diseases["measles"]
    updated = disease_update(
        actor=officer,
        disease=measles,
        data={"detection_method": "ears-c2", "detection_params": {"baseline": 7, "alpha": 0.01}},
    )
    assert updated.detection_method == "ears-c2"
    event = AuditEvent.objects.get(object_type="surveillance.Disease", object_id=str(measles.pk))
    assert event.details["before"]["detection_method"] == "cidars-percentile"
    assert event.details["after"]["detection_params"] == {"baseline": 7, "alpha": 0.01}


def test_officer_edit_survives_a_new_catalogue_edition(diseases, make_user, tmp_path):
    officer = make_user("city_admin")
    disease_update(
        actor=officer,
        disease=diseases["mumps"],
        data={"detection_method": "cusum", "detection_params": {"k": 1.0, "h": 2.0}},
    )
    doc = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    doc["version"] = "test.2"
    path = tmp_path / "diseases.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert catalogue_load(path=path)["loaded"] is True
    assert Disease.objects.get(code="mumps").detection_method == "cusum"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"detection_method": "magic"}, "detection_method"),
        (
            {"detection_method": "cidars-percentile", "detection_params": {"percentile": 150}},
            "detection_params.percentile",
        ),
        (
            {"detection_method": "cidars-percentile", "detection_params": {"years_back": 2.5}},
            "detection_params.years_back",
        ),
        ({"detection_method": "fixed", "detection_params": {"window": 3}}, "detection_params.window"),
        ({"detection_method": "ears-c1", "detection_params": {"alpha": "0.1"}}, "detection_params.alpha"),
        ({"code": "x"}, "code"),
    ],
)
def test_bad_detection_settings_are_refused_and_nothing_saved(diseases, make_user, data, field):
    officer = make_user("department_officer", domain="cdc")
    with pytest.raises(ServiceValidationError) as exc:
        disease_update(actor=officer, disease=diseases["measles"], data=data)
    problem = next(p for p in exc.value.problems if p.field == field)
    assert problem.message_zh and problem.message_en
    measles = Disease.objects.get(code="measles")
    assert measles.detection_method == "cidars-percentile" and measles.updated_by is None


@pytest.mark.parametrize(
    "role, extra",
    [("department_officer", {"domain": "health"}), ("county_officer", {"county": "510185"}), ("auditor", {})],
)
def test_only_cdc_and_city_admin_edit(diseases, make_user, role, extra):
    user = make_user(role, **extra)
    with pytest.raises(PermissionDenied):
        disease_update(actor=user, disease=diseases["measles"], data={"detection_method": "fixed"})


def test_announced_change_keeps_earlier_cases_on_old_rules(diseases, make_user):
    officer = make_user("department_officer", domain="cdc")
    classification_announce(
        actor=officer,
        disease=diseases["varicella"],
        valid_from=D(2027, 1, 1),
        legal_class="C",
        report_hours=24,
        source="假设公告 2026年第X号 (test)",
    )
    assert classification_on("varicella", D(2026, 12, 31)).legal_class == "other"
    assert classification_on("varicella", D(2027, 1, 1)).legal_class == "C"
    with pytest.raises(ServiceValidationError):
        classification_announce(
            actor=officer,
            disease=diseases["varicella"],
            valid_from=D(2026, 1, 1),
            legal_class="B",
            source="too early",
        )
