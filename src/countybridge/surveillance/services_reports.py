"""Case report use cases: submit (idempotent), correct (订正), withdraw (退卡). One transaction each, audited.

- Submission is keyed by the client's `client_report_id` (UUID): the database's unique constraint decides, so
  a report uploaded twice — a retry after a lost answer, an offline queue flushing again, eight parallel
  requests — is stored once, and the caller gets the stored report back (`created=False`).
- The deadline is set from the rules in force on the diagnosis date (`selectors_catalogue.classification_on`)
  and the clock starts at the diagnosis hour; a report received after it is marked late.
- The same patient (by keyed hash of the document) and disease reported again within
  `DUPLICATE_WINDOW` — typically by a second institution — is flagged: `duplicate_of` points to the first
  report, and `selectors_reports.case_counts` counts the pair once.
- A correction or a withdrawal adds a version; no card is ever overwritten. A correction may carry
  `expected_version`: when the report changed in between, it is refused (409) instead of silently replacing
  the other change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from countybridge.core import audit, crypto
from countybridge.core.access import role_of
from countybridge.core.identifiers import mask_id
from countybridge.core.models import AuditEvent, Organisation, Person, Role
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import deadlines
from .access_reports import can_submit_for, require_report_writer
from .models import CaseReport, CaseReportVersion, Disease, DiseaseKind
from .reports_validation import validate_card

DUPLICATE_WINDOW = dt.timedelta(days=30)


class ReportConflict(Exception):
    """The request cannot be applied to the report as it now stands (409)."""

    def __init__(self, code: str, message_zh: str, message_en: str, report: CaseReport | None = None):
        super().__init__(message_en)
        self.code, self.message_zh, self.message_en, self.report = code, message_zh, message_en, report


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: enough to recognise a card in a list, not to identify a person."""
    name = (name or "").strip()
    return (name[0] + "*" * (len(name) - 1)) if len(name) > 1 else "*"


def patient_key(id_type: str, id_number: str) -> str:
    """The same keyed hash as core.Person's, so a report finds the registered person without plaintext."""
    return crypto.keyed_hash(f"{id_type}:{id_number}")


def _enc(value: str) -> str:
    return crypto.encrypt(value) if value else ""


def _dec(value: str) -> str:
    return crypto.decrypt(value) if value else ""


def version_card(version: CaseReportVersion) -> dict[str, Any]:
    """A version's card as plain values (decrypted): for corrections, which start from the last card."""
    return {
        "card_number": version.card_number,
        "patient_name": _dec(version.patient_name_encrypted),
        "guardian_name": _dec(version.guardian_name_encrypted),
        "id_type": version.id_type,
        "id_number": _dec(version.id_number_encrypted),
        "sex": version.sex,
        "birth_date": version.birth_date,
        "age_value": version.age_value,
        "age_unit": version.age_unit,
        "workplace": version.workplace,
        "phone": _dec(version.phone_encrypted),
        "patient_origin": version.patient_origin,
        "township_code": version.township.code if version.township_id else "",
        "address": _dec(version.address_encrypted),
        "population_group": version.population_group,
        "population_group_other": version.population_group_other,
        "case_classification": version.case_classification,
        "chronicity": version.chronicity,
        "disease": version.disease.code,
        "disease_subtype": version.disease_subtype,
        "other_disease_text": version.other_disease_text,
        "onset_date": version.onset_date,
        "diagnosed_at": version.diagnosed_at,
        "death_date": version.death_date,
        "outbreak_related": version.outbreak_related,
        "reporting_doctor": version.reporting_doctor,
        "reporter_phone": version.reporter_phone,
        "filled_date": version.filled_date,
        "remarks": version.remarks,
    }


def _version(
    report: CaseReport, number: int, kind: str, clean: dict, actor, reason: str = ""
) -> CaseReportVersion:
    token = getattr(actor, "token", None)
    return CaseReportVersion(
        report=report,
        version=number,
        kind=kind,
        card_number=clean["card_number"],
        patient_name_encrypted=_enc(clean["patient_name"]),
        guardian_name_encrypted=_enc(clean["guardian_name"]),
        id_type=clean["id_type"],
        id_number_encrypted=_enc(clean["id_number"]),
        id_number_masked=mask_id(clean["id_number"]),
        sex=clean["sex"],
        birth_date=clean["birth_date"],
        age_value=clean["age_value"],
        age_unit=clean["age_unit"],
        workplace=clean["workplace"],
        phone_encrypted=_enc(clean["phone"]),
        patient_origin=clean["patient_origin"],
        township=clean["township"],
        address_encrypted=_enc(clean["address"]),
        population_group=clean["population_group"],
        population_group_other=clean["population_group_other"],
        case_classification=clean["case_classification"],
        chronicity=clean["chronicity"],
        disease=clean["disease"],
        disease_subtype=clean["disease_subtype"],
        other_disease_text=clean["other_disease_text"],
        onset_date=clean["onset_date"],
        diagnosed_at=clean["diagnosed_at"],
        death_date=clean["death_date"],
        outbreak_related=clean["outbreak_related"],
        reporting_doctor=clean["reporting_doctor"],
        reporter_phone=clean["reporter_phone"],
        filled_date=clean["filled_date"],
        remarks=clean["remarks"],
        reason=reason[:300],
        created_by=actor if getattr(actor, "pk", None) and token is None else None,
        api_token=token,
        actor_username=actor.get_username() if actor is not None else "",
    )


def _mirror(report: CaseReport, clean: dict) -> None:
    """Copy the card's key fields and the deadline under the rules of its diagnosis date onto the report."""
    classification = clean["classification"]
    hours = deadlines.deadline_hours(
        classification,
        outbreak=clean["outbreak_related"],
        unexplained=clean["disease"].kind == DiseaseKind.UNEXPLAINED,
    )
    report.disease = clean["disease"]
    report.disease_subtype = clean["disease_subtype"]
    report.case_classification = clean["case_classification"]
    report.diagnosed_at = clean["diagnosed_at"]
    report.onset_date = clean["onset_date"]
    report.township = clean["township"]
    report.outbreak_related = clean["outbreak_related"]
    report.legal_class = classification.legal_class
    report.managed_as_a = classification.managed_as_a
    report.deadline_hours = hours
    report.deadline_at = deadlines.deadline_at(clean["diagnosed_at"], hours)
    report.is_late = deadlines.is_late(report.reported_at, report.deadline_at)
    report.patient_key = patient_key(clean["id_type"], clean["id_number"])
    report.patient_name_masked = mask_name(clean["patient_name"])
    report.id_number_masked = mask_id(clean["id_number"])
    report.person = Person.objects.filter(id_type=clean["id_type"], id_number_hash=report.patient_key).first()


def _flag_duplicate(report: CaseReport) -> None:
    """Link `report` to the first active report of the same patient and disease within the window."""
    first = (
        CaseReport.objects.filter(
            patient_key=report.patient_key,
            disease=report.disease,
            status=CaseReport.Status.ACTIVE,
            duplicate_of__isnull=True,
            diagnosed_at__gte=report.diagnosed_at - DUPLICATE_WINDOW,
            diagnosed_at__lte=report.diagnosed_at + DUPLICATE_WINDOW,
        )
        .exclude(pk=report.pk)
        .filter(
            Q(reported_at__lt=report.reported_at)
            | (
                Q(reported_at=report.reported_at, pk__lt=report.pk)
                if report.pk
                else Q(reported_at=report.reported_at)
            )
        )
        .order_by("reported_at", "pk")
        .first()
    )
    report.duplicate_of = first


def _release_duplicates(report: CaseReport) -> int:
    """Reports linked to `report` as duplicates count through the earliest of them from now on."""
    duplicates = list(CaseReport.objects.filter(duplicate_of=report).order_by("reported_at", "pk"))
    if duplicates:
        head, rest = duplicates[0], duplicates[1:]
        CaseReport.objects.filter(pk=head.pk).update(duplicate_of=None)
        CaseReport.objects.filter(pk__in=[d.pk for d in rest]).update(duplicate_of=head)
    return len(duplicates)


def _resolve_organisation(actor, data: dict) -> Organisation:
    organisation_id = data.get("organisation_id")
    if role_of(actor) == Role.INSTITUTION_STAFF:
        if organisation_id not in (None, "", actor.organisation_id):
            raise PermissionDenied("institution staff report for their own institution only")
        return actor.organisation
    if organisation_id in (None, ""):
        raise ServiceValidationError(
            [
                FieldProblem(
                    "organisation_id", "", "须指定报告单位", "Name the reporting institution", "required"
                )
            ]
        )
    organisation = Organisation.objects.select_related("region").filter(pk=organisation_id).first()
    if organisation is None:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "organisation_id",
                    str(organisation_id),
                    "报告单位不存在",
                    "No such institution",
                    "unknown",
                )
            ]
        )
    if not can_submit_for(actor, organisation):
        raise PermissionDenied("the institution is outside the actor's scope")
    return organisation


def case_report_submit(*, actor, data: dict[str, Any], request=None) -> tuple[CaseReport, bool]:
    """Store a new report, or return the one already stored under the same `client_report_id`.

    Returns (report, created). Raises ServiceValidationError (every problem at once, nothing stored),
    PermissionDenied, or ReportConflict when the id belongs to another institution's report."""
    require_report_writer(actor)
    organisation = _resolve_organisation(actor, data)
    problems, clean = validate_card(data)
    existing = None
    if clean.get("client_report_id"):
        existing = CaseReport.objects.filter(client_report_id=clean["client_report_id"]).first()
    if existing is not None:
        return _existing(existing, organisation), False
    if problems:
        raise ServiceValidationError(problems)
    try:
        with transaction.atomic():
            return _create(actor, organisation, clean, request), True
    except IntegrityError:
        # a parallel upload of the same id won the unique constraint; this one wrote nothing
        existing = CaseReport.objects.filter(client_report_id=clean["client_report_id"]).first()
        if existing is None:
            raise
        return _existing(existing, organisation), False


def _existing(report: CaseReport, organisation: Organisation) -> CaseReport:
    if report.organisation_id != organisation.pk:
        raise ReportConflict(
            "client_report_id_taken",
            "该客户端报告编号已被其他单位的报告使用",
            "This client report id belongs to another institution's report",
        )
    return report


def _create(actor, organisation: Organisation, clean: dict, request) -> CaseReport:
    # one submitter at a time per disease decides which of two reports of a patient came first
    Disease.objects.select_for_update().filter(pk=clean["disease"].pk).first()
    now = timezone.now()
    report = CaseReport(
        client_report_id=clean["client_report_id"],
        organisation=organisation,
        region_id=organisation.region_id,
        reported_at=now,
        report_date=timezone.localtime(now).date(),
        recorded_at=clean.get("recorded_at"),
    )
    _mirror(report, clean)
    _flag_duplicate(report)
    report.save(force_insert=True)
    _version(report, 1, CaseReportVersion.Kind.INITIAL, clean, actor).save(force_insert=True)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=report,
        request=request,
        details={
            "disease": report.disease.code,
            "deadline_hours": report.deadline_hours,
            "late": report.is_late,
            "duplicate_of": report.duplicate_of_id,
        },
    )
    return report


def _locked(report: CaseReport, actor) -> CaseReport:
    require_report_writer(actor)
    locked = CaseReport.objects.select_for_update().select_related("disease").get(pk=report.pk)
    if not can_submit_for(actor, locked.organisation):
        raise PermissionDenied("the report is outside the actor's scope")
    if locked.status == CaseReport.Status.WITHDRAWN:
        raise ReportConflict(
            "withdrawn", "该报告已退卡,不能再修改", "The report was withdrawn and cannot change", locked
        )
    return locked


def _require_reason(reason: str) -> str:
    if len((reason or "").strip()) < 2:
        raise ServiceValidationError(
            [FieldProblem("reason", reason or "", "须填写订正或退卡原因", "Give the reason", "required")]
        )
    return reason.strip()


@transaction.atomic
def case_report_correct(
    *,
    actor,
    report: CaseReport,
    changes: dict[str, Any],
    reason: str,
    expected_version: int | None = None,
    request=None,
) -> CaseReport:
    """A correction (订正报告): the last card with `changes` applied, stored as a new version."""
    locked = _locked(report, actor)
    reason = _require_reason(reason)
    if expected_version is not None and expected_version != locked.current_version:
        raise ReportConflict(
            "version_conflict",
            f"报告已被修改(当前为第{locked.current_version}版),请刷新后重新订正",
            f"The report changed since you loaded it (now version {locked.current_version}); reload and retry",
            locked,
        )
    forbidden = sorted(set(changes) & {"client_report_id", "organisation_id", "recorded_at"})
    if forbidden:
        raise ServiceValidationError(
            [
                FieldProblem(k, "", "订正时不能修改此字段", "This field cannot be corrected", "read_only")
                for k in forbidden
            ]
        )
    last = locked.versions.select_related("disease", "township").order_by("-version").first()
    card = {**version_card(last), **changes}
    problems, clean = validate_card(card, require_client_id=False)
    if problems:
        raise ServiceValidationError(problems)
    before = {"disease": locked.disease.code, "case_classification": locked.case_classification}
    identity = (locked.patient_key, locked.disease_id)
    locked.current_version += 1
    _mirror(locked, clean)
    if (locked.patient_key, locked.disease_id) != identity:
        _release_duplicates(locked)  # its duplicates were of the patient and disease it no longer names
    _flag_duplicate(locked)
    locked.save()
    _version(locked, locked.current_version, CaseReportVersion.Kind.CORRECTION, clean, actor, reason).save(
        force_insert=True
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=locked,
        request=request,
        reason=reason,
        details={
            "version": locked.current_version,
            "changed": sorted(changes),
            "before": before,
            "after": {"disease": locked.disease.code, "case_classification": locked.case_classification},
        },
    )
    return locked


@transaction.atomic
def case_report_withdraw(*, actor, report: CaseReport, reason: str, request=None) -> CaseReport:
    """A withdrawal (退卡): a last version records it; the report stops counting. Reports that were linked
    to it as duplicates now count through the earliest of them."""
    locked = _locked(report, actor)
    reason = _require_reason(reason)
    last = locked.versions.order_by("-version").first()
    locked.current_version += 1
    locked.status = CaseReport.Status.WITHDRAWN
    locked.save()
    copy = CaseReportVersion.objects.get(pk=last.pk)  # the card stays as it was; only kind and reason change
    token = getattr(actor, "token", None)
    copy.pk = None
    copy.version, copy.kind, copy.reason = (
        locked.current_version,
        CaseReportVersion.Kind.WITHDRAWAL,
        reason[:300],
    )
    copy.created_by = actor if getattr(actor, "pk", None) and token is None else None
    copy.api_token, copy.actor_username, copy.created_at = token, actor.get_username(), timezone.now()
    copy.save(force_insert=True)
    relinked = _release_duplicates(locked)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=locked,
        request=request,
        reason=reason,
        details={"version": locked.current_version, "withdrawn": True, "relinked": relinked},
    )
    return locked
