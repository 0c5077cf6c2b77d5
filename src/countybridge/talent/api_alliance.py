"""Talent endpoints for the service alliance, events and benefits, on the same router as api.py."""

from __future__ import annotations

from ninja import Schema, Status

from . import models as m
from . import selectors, services_alliance
from .api import reader, router


@router.get("/talent/service-requests", summary="Service-alliance requests and satisfaction per county")
def service_requests(request):
    qs = selectors.scoped(m.ServiceRequest, reader(request))
    return {
        "requests": [
            {
                "id": x.pk,
                "kind": x.kind,
                "status": x.status,
                "deadline": x.deadline,
                "station": x.station_id,
                "satisfaction": x.satisfaction,
            }
            for x in qs[:200]
        ],
        "by_county": services_alliance.satisfaction_by_county(qs),
    }


@router.get("/talent/events", summary="Fairs, competitions and SOE project lists")
def events(request):
    qs = selectors.public_listing(m.Event, reader(request))
    return [
        {"id": e.pk, "kind": e.kind, "title": e.title, "date": e.date, "county": e.region_id}
        for e in qs[:200]
    ]


class BenefitIn(Schema):
    cls: str
    kind: str
    terms: str
    amount: float | None = None
    source_doc: str
    valid_from: str
    valid_to: str | None = None


@router.get("/talent/benefits", summary="Benefits per class with their source documents")
def list_benefits(request):
    return [
        {
            "id": b.pk,
            "class": b.cls,
            "kind": b.kind,
            "terms": b.terms,
            "amount": b.amount,
            "source_doc": b.source_doc,
            "valid_from": b.valid_from,
            "valid_to": b.valid_to,
        }
        for b in selectors.benefits(reader(request))
    ]


@router.post("/talent/benefits", response={201: dict}, summary="Record a benefit (city administrators)")
def create_benefit(request, payload: BenefitIn):
    b = services_alliance.benefit_save(actor=reader(request), data=payload.dict(), request=request)
    return Status(201, {"id": b.pk})


class ServiceRequestIn(Schema):
    kind: str
    deadline: str
    note: str = ""


@router.post(
    "/talent/service-requests", response={201: dict}, summary="A talent asks the alliance for a service"
)
def submit_service_request(request, payload: ServiceRequestIn):
    sr = services_alliance.service_request_submit(
        actor=reader(request),
        kind=payload.kind,
        deadline=payload.deadline,
        note=payload.note,
        request=request,
    )
    return Status(201, {"id": sr.pk, "station": sr.station_id, "status": sr.status})


@router.post("/talent/events/{pk}/sign-up", response={201: dict}, summary="Sign up for an event (talents)")
def sign_up(request, pk: int):
    user = reader(request)
    event = selectors.public_listing(m.Event, user).filter(pk=pk).first()
    if event is None:
        from django.http import Http404

        raise Http404
    signup = services_alliance.event_sign_up(actor=user, event=event, request=request)
    return Status(201, {"id": signup.pk})
