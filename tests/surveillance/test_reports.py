"""Case report services: deadlines, idempotent submission, duplicates across institutions, versions."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from countybridge.core import crypto
from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError
from countybridge.surveillance.models import CaseReport, CaseReportVersion
from countybridge.surveillance.selectors_reports import case_counts, report_get, report_list
from countybridge.surveillance.services_reports import (
    ReportConflict,
    case_report_correct,
    case_report_submit,
    case_report_withdraw,
)


@pytest.fixture
def staff(make_user, clinics):
    return {key: make_user("institution_staff", organisation=org) for key, org in clinics.items()}


def test_submit_stores_card_encrypted_and_masked(diseases, staff, card):
    data = card()
    report, created = case_report_submit(actor=staff["jianyang"], data=data)
    assert created and report.region.code == "510185" and report.legal_class == "B"
    assert report.patient_name_masked == "王**"
    assert report.id_number_masked.startswith("510185") and "*" in report.id_number_masked
    version = report.versions.get()
    assert version.kind == "initial" and data["id_number"] not in version.id_number_encrypted
    assert crypto.decrypt(version.id_number_encrypted) == data["id_number"]
    assert "王小明" not in version.patient_name_encrypted
    assert AuditEvent.objects.filter(object_type="surveillance.CaseReport", action="create").count() == 1


def test_deadline_24h_for_measles_2h_for_cholera_sars_pulmonary_anthrax_and_outbreaks(diseases, staff, card):
    diagnosed = timezone.localtime().replace(minute=37) - dt.timedelta(hours=1)
    when = diagnosed.strftime("%Y-%m-%dT%H:%M")
    cases = [
        ({"disease": "measles"}, 24),
        ({"disease": "cholera"}, 2),
        ({"disease": "sars"}, 2),
        ({"disease": "anthrax", "disease_subtype": "pulmonary"}, 2),
        ({"disease": "anthrax", "disease_subtype": "cutaneous"}, 24),
        ({"disease": "measles", "outbreak_related": True}, 2),
        ({"disease": "unexplained", "other_disease_text": "聚集性不明原因发热"}, 2),
    ]
    for changes, hours in cases:
        report, _ = case_report_submit(actor=staff["jianyang"], data=card(diagnosed_at=when, **changes))
        assert report.deadline_hours == hours, changes
        start = diagnosed.replace(minute=0, second=0, microsecond=0)
        assert report.deadline_at == start + dt.timedelta(hours=hours)
        assert not report.is_late


def test_late_report_is_marked(diseases, staff, card):
    diagnosed = timezone.localtime() - dt.timedelta(hours=5)
    report, _ = case_report_submit(
        actor=staff["jianyang"], data=card(disease="cholera", diagnosed_at=diagnosed.isoformat())
    )
    assert report.is_late
    assert list(report_list(user=staff["jianyang"], late=True)) == [report]


def test_classification_by_diagnosis_date_covid_in_2022_was_class_a_managed(diseases, staff, card):
    report, _ = case_report_submit(
        actor=staff["jianyang"],
        data=card(
            disease="covid19",
            diagnosed_at="2022-12-30T10:00",
            onset_date="2022-12-28",
            filled_date="2022-12-30",
        ),
    )
    assert report.managed_as_a and report.deadline_hours == 2 and report.is_late
    later, _ = case_report_submit(actor=staff["jianyang"], data=card(disease="covid19"))
    assert not later.managed_as_a and later.deadline_hours == 24


def test_same_client_id_twice_is_stored_once(diseases, staff, card):
    data = card()
    first, created = case_report_submit(actor=staff["jianyang"], data=data)
    again, created_again = case_report_submit(actor=staff["jianyang"], data=dict(data))
    assert created and not created_again and again.pk == first.pk
    assert CaseReport.objects.count() == 1 and CaseReportVersion.objects.count() == 1


def test_client_id_of_another_institution_is_a_conflict(diseases, staff, card):
    data = card()
    case_report_submit(actor=staff["jianyang"], data=data)
    with pytest.raises(ReportConflict):
        case_report_submit(actor=staff["dayi"], data=dict(data))
    assert CaseReport.objects.count() == 1


def test_same_patient_from_two_institutions_flagged_and_counted_once(diseases, staff, card):
    data = card()
    first, _ = case_report_submit(actor=staff["jianyang"], data=data)
    second_card = card(id_number=data["id_number"], client_report_id=str(uuid.uuid4()))
    second, _ = case_report_submit(actor=staff["jianyang2"], data=second_card)
    assert second.duplicate_of_id == first.pk and first.duplicate_of_id is None
    other_disease, _ = case_report_submit(
        actor=staff["jianyang2"], data=card(id_number=data["id_number"], disease="mumps")
    )
    assert other_disease.duplicate_of_id is None
    today = timezone.localdate()
    counts = case_counts(
        ["measles", "mumps"], ["510185", "510129"], start=today - dt.timedelta(days=2), end=today
    )
    assert counts.series == [
        ("measles", "510185"),
        ("measles", "510129"),
        ("mumps", "510185"),
        ("mumps", "510129"),
    ]
    assert counts.counts.shape == (4, 3) and counts.counts.dtype.kind == "i"
    assert counts.counts[0, -1] == 1 and counts.counts[2, -1] == 1 and counts.counts.sum() == 2
    # withdrawing the first makes the duplicate the counted one
    case_report_withdraw(actor=staff["jianyang"], report=first, reason="重复报告")
    second.refresh_from_db()
    assert second.duplicate_of_id is None
    assert case_counts("measles", "510185", start=today, end=today).counts.tolist() == [[1]]


def test_weekly_counts_use_iso_weeks(diseases, staff, card):
    case_report_submit(actor=staff["jianyang"], data=card())
    today = timezone.localdate()
    counts = case_counts("measles", ["510185"], period="week", start=today - dt.timedelta(days=20), end=today)
    iso = today.isocalendar()
    assert counts.periods[-1] == f"{iso.year}-W{iso.week:02d}"
    assert counts.first_day.weekday() == 0 and counts.counts[0, -1] == 1 and counts.counts.sum() == 1
    onset = case_counts(
        "measles", "510185", start=today - dt.timedelta(days=10), end=today, date_field="onset"
    )
    assert onset.counts.sum() == 1 and onset.counts[0, -1] == 0  # the onset was days earlier


def test_correction_keeps_history(diseases, staff, card):
    report, _ = case_report_submit(actor=staff["jianyang"], data=card(case_classification="suspected"))
    corrected = case_report_correct(
        actor=staff["jianyang"],
        report=report,
        changes={"case_classification": "confirmed"},
        reason="实验室确诊",
        expected_version=1,
    )
    assert corrected.current_version == 2 and corrected.case_classification == "confirmed"
    kinds = list(report.versions.order_by("version").values_list("kind", "case_classification"))
    assert kinds == [("initial", "suspected"), ("correction", "confirmed")]
    # a stale correction is refused rather than silently replacing the other one
    with pytest.raises(ReportConflict) as exc:
        case_report_correct(
            actor=staff["jianyang"],
            report=report,
            changes={"case_classification": "clinical"},
            reason="x2",
            expected_version=1,
        )
    assert exc.value.code == "version_conflict"
    corrected = case_report_correct(
        actor=staff["jianyang"], report=report, changes={"disease": "rubella"}, reason="订正病名"
    )
    assert corrected.disease.code == "rubella" and corrected.legal_class == "C"
    assert report.versions.count() == 3
    withdrawn = case_report_withdraw(actor=staff["jianyang"], report=report, reason="误报")
    assert withdrawn.status == "withdrawn" and report.versions.count() == 4
    assert report.versions.get(version=4).kind == "withdrawal"
    with pytest.raises(ReportConflict):
        case_report_correct(actor=staff["jianyang"], report=report, changes={"remarks": "x"}, reason="again")


def test_versions_cannot_be_overwritten(diseases, staff, card):
    report, _ = case_report_submit(actor=staff["jianyang"], data=card())
    version = report.versions.get()
    version.remarks = "changed"
    with pytest.raises(ValueError):
        version.save()
    with pytest.raises(ValueError):
        version.delete()


def test_malformed_card_rejected_with_bilingual_problems_and_nothing_stored(diseases, staff, card):
    data = card(
        id_number="510185199001011234",
        disease="no-such",
        onset_date="2026-13-01",
        diagnosed_at="tomorrow",
        population_group="astronaut",
    )
    del data["reporting_doctor"]
    with pytest.raises(ServiceValidationError) as exc:
        case_report_submit(actor=staff["jianyang"], data=data)
    fields = {p.field for p in exc.value.problems}
    assert {
        "id_number",
        "disease",
        "onset_date",
        "diagnosed_at",
        "population_group",
        "reporting_doctor",
    } <= fields
    assert all(p.message_zh and p.message_en for p in exc.value.problems)
    id_problem = next(p for p in exc.value.problems if p.field == "id_number")
    assert id_problem.value != data["id_number"] and "*" in id_problem.value  # never echoed in full
    assert CaseReport.objects.count() == 0 and CaseReportVersion.objects.count() == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"onset_date": "2099-01-01"}, "onset_date"),
        (
            {
                "disease": "mpox",
                "diagnosed_at": "2023-09-01T10:00",
                "onset_date": "2023-08-30",
                "filled_date": "2023-09-01",
            },
            "disease",
        ),
        ({"disease": "viral_hepatitis"}, "disease_subtype"),
        ({"id_number": "510185201801011236", "birth_date": ""}, "guardian_name"),
        ({"population_group": "other"}, "population_group_other"),
        ({"client_report_id": "not-a-uuid"}, "client_report_id"),
    ],
)
def test_card_rules(diseases, staff, card, changes, field):
    from countybridge.core.identifiers import make_resident_id

    if field == "guardian_name":
        changes["id_number"] = make_resident_id("510185", dt.date(2018, 1, 1), 12)
    with pytest.raises(ServiceValidationError) as exc:
        case_report_submit(actor=staff["jianyang"], data=card(**changes))
    assert field in {p.field for p in exc.value.problems}
    assert CaseReport.objects.count() == 0


def test_scope(diseases, staff, card, make_user):
    mine, _ = case_report_submit(actor=staff["jianyang"], data=card())
    dayi_report, _ = case_report_submit(actor=staff["dayi"], data=card())
    dayi_officer = make_user("county_officer", county="510129")
    assert list(report_list(user=dayi_officer)) == [dayi_report]
    with pytest.raises(Exception) as exc:
        report_get(user=dayi_officer, pk=mine.pk)
    assert "Http404" in type(exc.value).__name__
    assert list(report_list(user=staff["jianyang2"])) == []  # another clinic of the same county
    cdc = make_user("department_officer", domain="cdc")
    assert report_list(user=cdc).count() == 2
    for user in (
        make_user("department_officer", domain="education"),
        make_user("auditor"),
        make_user("public"),
    ):
        with pytest.raises(PermissionDenied):
            report_list(user=user)
    # a clinic cannot report for, correct or withdraw another clinic's reports
    with pytest.raises(PermissionDenied):
        case_report_submit(actor=staff["jianyang"], data=card(organisation_id=staff["dayi"].organisation_id))
    with pytest.raises(PermissionDenied):
        case_report_withdraw(actor=staff["jianyang"], report=dayi_report, reason="不是我的")
    with pytest.raises(PermissionDenied):
        case_report_submit(actor=dayi_officer, data=card(organisation_id=staff["jianyang"].organisation_id))


def test_detail_read_is_audited(diseases, staff, card):
    report, _ = case_report_submit(actor=staff["jianyang"], data=card())
    report_get(user=staff["jianyang"], pk=report.pk, purpose="test")
    assert AuditEvent.objects.filter(action="read_sensitive", object_id=str(report.pk)).count() == 1


def test_a_resumed_sync_creates_no_duplicates(diseases, staff, card):
    """An offline queue that uploaded part of its cards, lost the link and starts over from the beginning."""
    cards = [card() for _ in range(60)]
    for data in cards[:25]:
        case_report_submit(actor=staff["jianyang"], data=data)
    results = [case_report_submit(actor=staff["jianyang"], data=dict(data)) for data in cards]
    assert [created for _, created in results] == [False] * 25 + [True] * 35
    assert CaseReport.objects.count() == 60 and CaseReportVersion.objects.count() == 60


def test_correcting_the_first_report_to_another_disease_releases_its_duplicate(diseases, staff, card):
    data = card()
    first, _ = case_report_submit(actor=staff["jianyang"], data=data)
    second, _ = case_report_submit(actor=staff["jianyang2"], data=card(id_number=data["id_number"]))
    assert second.duplicate_of_id == first.pk
    case_report_correct(
        actor=staff["jianyang"], report=first, changes={"disease": "rubella"}, reason="订正病名"
    )
    second.refresh_from_db()
    assert second.duplicate_of_id is None  # the measles case now counts through the second report
    today = timezone.localdate()
    assert case_counts(["measles", "rubella"], "510185", start=today, end=today).counts.tolist() == [[1], [1]]


def test_report_links_the_registered_person(diseases, staff, card, make_person):
    person = make_person("510185")

    number = crypto.decrypt(person.id_number_encrypted)
    report, _ = case_report_submit(actor=staff["jianyang"], data=card(id_number=number))
    assert report.person == person
