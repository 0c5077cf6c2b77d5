"""Cadre API, registry writes: create/edit cadres, career posts, assessments, relatives and positions.

The operations hang on api.py's router (same paths as the reads, so POST and GET of /cadres share one URL);
api.py imports this module at its end. The services refuse everyone but the organisation department and the
city administrator (403); bad input is a 422 with every problem in Chinese and English and nothing saved."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Schema, Status

from countybridge.core import selectors as core_selectors
from countybridge.core.models import Region, RegionLevel
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from . import selectors, services
from . import services_registry as registry
from .api import CadreDetailOut, PositionOut, get_cadre, router
from .models import CareerPost, Relative
from .views_registry import cadre_initial, position_initial

Value = str | float | int | bool | list[str] | None


class PersonIn(Schema):
    id_type: str = "resident_id"
    id_number: str


class CadreIn(Schema):
    code: Value = None
    name: Value = None
    birth_date: Value = None
    home_region: Value = None
    work_start: Value = None
    grassroots_years: Value = None
    fields: Value = None
    level: Value = None
    years_at_level: Value = None
    years_one_level_down: Value = None
    posts_at_level: Value = None
    posts_one_level_down: Value = None
    region: Value = None
    person_id: int | None = None
    person: PersonIn | None = None


class CareerIn(Schema):
    position: Value = None
    title: Value = None
    level: Value = None
    start: Value = None
    end: Value = None
    consecutive_terms: Value = None


class AssessmentIn(Schema):
    year: Value = None
    grade: str = ""


class TrainingIn(Schema):
    title: Value = None
    year: Value = None
    hours: Value = None


class RelativeIn(Schema):
    relative: str = ""
    kinship: str = ""


class PositionIn(Schema):
    code: Value = None
    title: Value = None
    unit: Value = None
    unit_name: Value = None
    unit_type: Value = None
    region: Value = None
    level: Value = None
    is_chief: Value = None
    function: Value = None
    team: Value = None
    reports_to: Value = None
    required_fields: Value = None
    preferred_fields: Value = None
    is_open: Value = None


def _editable_cadre(request, pk: int):
    selectors.require_edit(request.auth)
    cadre = selectors.cadre_list(user=request.auth).filter(pk=pk).first()
    if cadre is None:
        raise Http404("no such cadre")
    return cadre


def _person(request, payload: CadreIn):
    """An existing person (within the officer's registry scope) or the data to register one now."""
    if payload.person_id is not None:
        person = core_selectors.person_list(user=request.auth).filter(pk=payload.person_id).first()
        if person is None:
            raise ServiceValidationError([FieldProblem("person_id", str(payload.person_id), "未找到该登记人员",
                                                       "No registered person with this id", "unknown")])  # fmt: skip
        return person, None
    if payload.person is None:
        return None, None
    region = Region.objects.filter(code=str(payload.region or ""), level=RegionLevel.COUNTY).first()
    return None, {"id_type": payload.person.id_type, "id_number": payload.person.id_number, "region": region}


@router.post("/cadres", response={201: CadreDetailOut}, summary="Create a cadre (organisation department)")
def create_cadre(request, payload: CadreIn):
    selectors.require_edit(request.auth)
    person, person_data = _person(request, payload)
    data = payload.dict(exclude={"person_id", "person"})
    cadre = registry.cadre_create(actor=request.auth, data=data, person=person, person_data=person_data,
                                  request=request)  # fmt: skip
    return Status(201, get_cadre(request, cadre.pk))


@router.patch("/cadres/{pk}", response=CadreDetailOut, summary="Change a cadre's fields (only those sent)")
def update_cadre(request, pk: int, payload: CadreIn):
    cadre = _editable_cadre(request, pk)
    data = cadre_initial(cadre) | payload.dict(exclude_unset=True, exclude={"person_id", "person"})
    registry.cadre_update(actor=request.auth, cadre=cadre, data=data, request=request)
    return get_cadre(request, pk)


@router.post("/cadres/{pk}/career", response={201: CadreDetailOut}, summary="Add a career post")
def add_career(request, pk: int, payload: CareerIn):
    cadre = _editable_cadre(request, pk)
    registry.career_add(actor=request.auth, cadre=cadre, data=payload.dict(), request=request)
    return Status(201, get_cadre(request, pk))


@router.patch(
    "/cadres/{pk}/career/{post_pk}", response=CadreDetailOut, summary="Edit a career post (e.g. end it)"
)
def update_career(request, pk: int, post_pk: int, payload: CareerIn):
    cadre = _editable_cadre(request, pk)
    post = CareerPost.objects.filter(cadre=cadre, pk=post_pk).select_related("position").first()
    if post is None:
        raise Http404("no such career post")
    current: dict[str, Any] = {
        f: getattr(post, f) for f in ("title", "level", "start", "end", "consecutive_terms")
    }
    current["position"] = post.position.code if post.position_id else ""
    registry.career_update(actor=request.auth, post=post, request=request,
                           data=current | payload.dict(exclude_unset=True))  # fmt: skip
    return get_cadre(request, pk)


@router.post("/cadres/{pk}/assessments", response={201: CadreDetailOut}, summary="Record a year's assessment")
def add_assessment(request, pk: int, payload: AssessmentIn):
    cadre = _editable_cadre(request, pk)
    registry.assessment_set(actor=request.auth, cadre=cadre, year=payload.year, grade=payload.grade,
                            request=request)  # fmt: skip
    return Status(201, get_cadre(request, pk))


@router.post("/cadres/{pk}/training", response={201: CadreDetailOut}, summary="Add a training record (hours)")
def add_training(request, pk: int, payload: TrainingIn):
    cadre = _editable_cadre(request, pk)
    services.training_add(actor=request.auth, cadre=cadre, title=payload.title, year=payload.year,
                          hours=payload.hours, request=request)  # fmt: skip
    return Status(201, get_cadre(request, pk))


@router.post(
    "/cadres/{pk}/relatives", response={201: CadreDetailOut}, summary="Declare a relative (kinship code)"
)
def add_relative(request, pk: int, payload: RelativeIn):
    cadre = _editable_cadre(request, pk)
    registry.relative_add(actor=request.auth, cadre=cadre, relative_code=payload.relative,
                          kinship=payload.kinship, request=request)  # fmt: skip
    return Status(201, get_cadre(request, pk))


@router.delete(
    "/cadres/{pk}/relatives/{rel_pk}", response=CadreDetailOut, summary="Remove a declared relative"
)
def remove_relative(request, pk: int, rel_pk: int):
    cadre = _editable_cadre(request, pk)
    row = Relative.objects.filter(cadre=cadre, pk=rel_pk).first()
    if row is None:
        raise Http404("no such relative")
    registry.relative_remove(actor=request.auth, relative=row, request=request)
    return get_cadre(request, pk)


@router.delete(
    "/cadres/{pk}/records/{kind}/{row_pk}",
    response=CadreDetailOut,
    summary="Strike a career post, assessment or training record entered in error (reason required)",
)
def remove_record(request, pk: int, kind: str, row_pk: int, reason: str = ""):
    cadre = _editable_cadre(request, pk)
    registry.record_remove(
        actor=request.auth, cadre=cadre, kind=kind, pk=row_pk, reason=reason, request=request
    )
    return get_cadre(request, pk)


@router.post("/positions", response={201: PositionOut}, summary="Create a position (organisation department)")
def create_position(request, payload: PositionIn):
    selectors.require_edit(request.auth)
    return Status(201, registry.position_create(actor=request.auth, data=payload.dict(), request=request))


@router.patch("/positions/{pk}", response=PositionOut, summary="Change a position's fields (only those sent)")
def update_position(request, pk: int, payload: PositionIn):
    selectors.require_edit(request.auth)
    position = selectors.position_list(user=request.auth).filter(pk=pk).first()
    if position is None:
        raise Http404("no such position")
    data = position_initial(position) | payload.dict(exclude_unset=True)
    return registry.position_update(actor=request.auth, position=position, data=data, request=request)
