"""Delegated class-C self-certification by institution staff (/api/talent/self-certifications)."""

from __future__ import annotations

from ninja import Status

from . import models as m
from . import selectors, services_selfcert
from .api import CertificationIn, _application_out, reader, router


@router.post(
    "/talent/self-certifications",
    response={201: dict},
    summary="Certify class C under your organisation's delegated quota (institution staff)",
)
def self_certify(request, payload: CertificationIn):
    talent = selectors.get(m.TalentProfile, reader(request), payload.talent)
    app = services_selfcert.self_certify(
        actor=request.auth,
        talent=talent,
        evidence=payload.evidence,
        documents=payload.documents,
        claimed_item=payload.claimed_item,
        request=request,
    )
    return Status(201, _application_out(app) | {"self_certified": app.decision["self_certified"]})


@router.get("/talent/talents/{pk}/self-certification-quota", summary="Delegated quotas for a talent")
def self_cert_quota(request, pk: int):
    talent = selectors.get(m.TalentProfile, reader(request), pk)
    return {"delegations": services_selfcert.quota_status(talent)}
