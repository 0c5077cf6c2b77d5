"""Talent endpoints (/api/talent/…): the same selectors and services as the pages. Rows outside the caller's
scope answer 404 like missing ones; auditors are refused (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Body, Query, Router, Schema, Status
from ninja import Field as F

from countybridge.core import access
from countybridge.core.models import Organisation, Region, Role

from . import match, selectors, services, services_recruitment
from . import models as m

router = Router(tags=["talent"])
READERS = access.REGISTRY_ROLES | {Role.PUBLIC}


def reader(request):
    if access.role_of(request.auth) not in READERS:
        raise PermissionDenied("talent data is not for this role")
    return request.auth


class CertificationIn(Schema):
    talent: int
    evidence: dict[str, Any] = {}
    documents: list[str] = []
    claimed_item: str = ""


class DecideIn(Schema):
    approve: bool
    cls: str = ""
    note: str = ""


class PositionIn(Schema):
    employer: int
    name: str
    field: str = ""
    min_degree: str = "none"
    majors: list[str] = []
    min_title: str = "none"
    min_years: int = F(0, ge=0, le=60)
    responsibilities_text: str = ""
    skills_text: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    benefits: str = ""
    flexible_hire: str = ""


class ApplyIn(Schema):
    talent: int | None = None


class ConsumeIn(Schema):
    application: int


class RankParams(Schema):
    k: int = F(10, ge=1, le=100)


def _application_out(a: m.CertificationApplication) -> dict:
    return {
        "id": a.pk,
        "talent": a.talent_id,
        "county": a.region.code,
        "status": a.status,
        "decision": a.decision,
        "officer_note": a.officer_note,
    }


def _position_out(p: m.Position) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "employer": p.employer_id,
        "county": p.region.code,
        "field": p.field,
        "min_degree": p.min_degree,
        "min_title": p.min_title,
        "min_years": p.min_years,
        "salary_min": p.salary_min,
        "salary_max": p.salary_max,
        "flexible_hire": p.flexible_hire,
        "is_open": p.is_open,
    }


@router.get("/talent/talents", summary="Talents in your scope (public users: their own)")
def list_talents(request):
    rows = selectors.scoped(m.TalentProfile, reader(request)).select_related("region", "person")[:200]
    return [
        {
            "id": t.pk,
            "name": t.person.name,
            "county": t.region.code,
            "degree": t.degree,
            "title": t.title,
            "major": t.major,
            "field": t.field,
        }
        for t in rows
    ]


@router.post("/talent/certifications", response={201: dict}, summary="Submit a certification application")
def submit_certification(request, payload: CertificationIn):
    talent = selectors.get(m.TalentProfile, reader(request), payload.talent)
    app = services.certification_submit(
        actor=request.auth,
        talent=talent,
        evidence=payload.evidence,
        documents=payload.documents,
        claimed_item=payload.claimed_item,
        request=request,
    )
    return Status(201, _application_out(app))


@router.get("/talent/certifications/{pk}", summary="An application and its decision")
def get_certification(request, pk: int):
    return _application_out(selectors.get(m.CertificationApplication, reader(request), pk))


@router.post("/talent/certifications/{pk}/evaluate", summary="Evaluate against the county's rule set")
def evaluate_certification(request, pk: int):
    app = selectors.get(m.CertificationApplication, reader(request), pk)
    return _application_out(
        services.certification_evaluate(actor=request.auth, application=app, request=request)
    )


@router.post("/talent/certifications/{pk}/decide", summary="Officer's decision after manual review")
def decide_certification(request, pk: int, payload: DecideIn):
    app = selectors.get(m.CertificationApplication, reader(request), pk)
    app = services.certification_decide(
        actor=request.auth,
        application=app,
        approve=payload.approve,
        cls=payload.cls,
        note=payload.note,
        request=request,
    )
    return _application_out(app)


@router.put(
    "/talent/rulesets/{county}", response={201: dict}, summary="Store a new version of a county's rule set"
)
def put_ruleset(request, county: str, payload: Body[dict[str, Any]]):
    user = reader(request)
    region = Region.objects.filter(code=county).first()
    if region is None:
        from django.http import Http404

        raise Http404
    row = services.ruleset_save(actor=user, region=region, data=payload, request=request)
    return Status(201, {"county": county, "version": row.version})


@router.get("/talent/positions", summary="Open positions (officers: all in scope)")
def list_positions(request):
    return [_position_out(p) for p in selectors.open_positions(reader(request))[:200]]


@router.post("/talent/positions", response={201: dict}, summary="Publish a position")
def create_position(request, payload: PositionIn):
    user = reader(request)
    employer = access.scope_queryset(Organisation.objects.all(), user).filter(pk=payload.employer).first()
    if employer is None:
        raise PermissionDenied("employer outside your scope")
    data = payload.dict() | {"employer": employer}
    return Status(
        201, _position_out(services_recruitment.position_save(actor=user, data=data, request=request))
    )


@router.get("/talent/positions/{pk}/candidates", summary="Ranked candidates with explanations")
def position_candidates(request, pk: int, params: Query[RankParams]):
    user = reader(request)
    access.require_registry_access(user)
    position = selectors.get(m.Position, user, pk)
    result, rows = match.rank_talents_for(position, user, params.k)
    return {
        "eligible": result.eligible_count,
        "excluded": result.excluded_count,
        "excluded_by_requirement": result.excluded_by_requirement,
        "matches": [{"talent": t.pk, "name": t.person.name} | match.explanation_dict(mt) for t, mt in rows],
    }


@router.get("/talent/talents/{pk}/positions", summary="Ranked positions for a talent")
def talent_positions(request, pk: int, params: Query[RankParams]):
    user = reader(request)
    talent = selectors.get(m.TalentProfile, user, pk)
    result, rows = match.rank_positions_for(talent, user, params.k)
    return {
        "eligible": result.eligible_count,
        "excluded": result.excluded_count,
        "matches": [{"position": p.pk, "name": p.name} | match.explanation_dict(mt) for p, mt in rows],
    }


@router.post(
    "/talent/positions/{pk}/apply", response={201: dict}, summary="Apply (public) or recommend (officer)"
)
def apply(request, pk: int, payload: ApplyIn):
    user = reader(request)
    position = selectors.open_positions(user).filter(pk=pk).first()
    if position is None:
        from django.http import Http404

        raise Http404
    talent = selectors.get(m.TalentProfile, user, payload.talent) if payload.talent else None
    app = services_recruitment.job_apply(actor=user, position=position, talent=talent, request=request)
    return Status(201, {"id": app.pk, "position": position.pk, "talent": app.talent_id, "status": app.status})


@router.get("/talent/applications", summary="Job applications (public users: only their own)")
def list_applications(request):
    rows = selectors.scoped(m.JobApplication, reader(request)).select_related("position")[:200]
    return [
        {
            "id": a.pk,
            "position": a.position_id,
            "position_name": a.position.name,
            "talent": a.talent_id,
            "status": a.status,
        }
        for a in rows
    ]


@router.post("/talent/quotas/{pk}/consume", response={201: dict}, summary="Use a programme place")
def consume_quota(request, pk: int, payload: ConsumeIn):
    user = reader(request)
    quota = selectors.get(m.Quota, user, pk)
    application = selectors.get(m.JobApplication, user, payload.application)
    services_recruitment.quota_consume(actor=user, quota=quota, application=application, request=request)
    return Status(201, {"quota": quota.pk, "used": quota.uses.count(), "places": quota.places})


class TalentIn(Schema):
    person: int
    employer: int | None = None
    degree: str = "none"
    major: str = ""
    title: str = "none"
    field: str = ""
    years_experience: int = 0
    skills_text: str = ""
    achievements: list[str] = []
    awards: list[Any] = []


@router.post(
    "/talent/talents", response={201: dict}, summary="Create a talent profile for a registered person"
)
def create_talent(request, payload: TalentIn):
    from countybridge.core.models import Person

    user = reader(request)
    access.require_registry_access(user)
    person = access.scope_queryset(Person.objects.all(), user).filter(pk=payload.person).first()
    if person is None:
        from django.http import Http404

        raise Http404
    employer = None
    if payload.employer:
        employer = access.scope_queryset(Organisation.objects.all(), user).filter(pk=payload.employer).first()
        if employer is None:
            raise PermissionDenied("employer outside your scope")
    data = payload.dict() | {"employer": employer}
    talent = services.talent_create(actor=user, person=person, data=data, request=request)
    return Status(201, {"id": talent.pk, "county": talent.region.code})


class StatusIn(Schema):
    status: str
    note: str = ""


@router.patch("/talent/applications/{pk}", summary="Record an application's outcome")
def set_application_status(request, pk: int, payload: StatusIn):
    user = reader(request)
    app = selectors.get(m.JobApplication, user, pk)
    app = services_recruitment.job_application_set_status(
        actor=user, application=app, status=payload.status, note=payload.note, request=request
    )
    return {"id": app.pk, "status": app.status}


class AllocateIn(Schema):
    programme: str
    year: int
    places: int
    floor: int = 0
    requests: list[dict[str, Any]]


@router.post("/talent/quotas/allocate", response={201: dict}, summary="Allocate programme places (stored)")
def allocate(request, payload: AllocateIn):
    result, rows = services_recruitment.quota_allocate(
        actor=reader(request),
        programme=payload.programme,
        year=payload.year,
        places=payload.places,
        floor=payload.floor,
        requests=payload.requests,
        request=request,
    )
    return Status(201, result.to_dict() | {"quotas": [q.pk for q in rows]})


from . import api_alliance, api_selfcert  # noqa: E402, F401  (add their routes to this router)
