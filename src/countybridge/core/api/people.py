"""People endpoints: masked lists, audited detail reads, registration, and the audited reveal of a number.

Registration is safe to retry: a second request with the same document never creates a second person (the
database's unique constraint on (id_type, id_number_hash) decides, also between parallel requests); it answers
409 `duplicate`, naming the existing record when the caller may see it, so a client that lost the first answer
can carry on with that id.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from ninja import Query, Router, Status

from .. import selectors, services
from ..identifiers import mask_id
from ..services.errors import FieldProblem, ServiceValidationError
from ..services.people import find_person_by_document, validate_person
from .errors import ApiError, field_problem
from .pagination import Page, PageParams, paginate
from .registry import registry_user
from .schemas import PersonFilters, PersonIn, PersonListOut, PersonOut, RevealIn, RevealOut, plain

router = Router(tags=["people"])

NO_STORE = "no-store"  # personal data must not linger in browser or proxy caches


@router.get("/people", response=Page[PersonListOut], summary="List people in your scope (masked numbers)")
def list_people(request, filters: Query[PersonFilters], paging: Query[PageParams], response: HttpResponse):
    user = registry_user(request)
    response["Cache-Control"] = NO_STORE
    return paginate(selectors.person_list(user=user, region_code=filters.region, q=filters.q), paging)


@router.get("/people/{int:pk}", response=PersonOut, summary="One person (masked number; the read is audited)")
def get_person(request, pk: int, response: HttpResponse):
    user = registry_user(request)
    response["Cache-Control"] = NO_STORE
    return selectors.person_get(user=user, pk=pk, request=request, purpose="api")


def _references(user, data: dict) -> dict:
    problems: list[FieldProblem] = []
    for field in ("region", "township"):
        if data.get(field):
            try:
                data[field] = selectors.region_get(data[field])
            except Http404:
                problems.append(
                    FieldProblem(field, data[field], "区划代码不存在", "No region has this code", "unknown")
                )
    organisation_id = data.pop("organisation_id", None)
    if organisation_id is not None:
        try:
            data["organisation"] = selectors.organisation_get(user=user, pk=organisation_id)
        except Http404:
            problems.append(
                FieldProblem(
                    "organisation_id",
                    str(organisation_id),
                    "登记机构不存在或不在您的权限范围内",
                    "No such organisation in your scope",
                    "unknown",
                )
            )
    if problems:
        raise ServiceValidationError(problems)
    # absent, not None: the service fills birth date and sex from a resident ID only when they are absent
    return {k: v for k, v in data.items() if v is not None}


def _duplicate(user, data: dict) -> ApiError:
    _problems, normalised = validate_person(dict(data))
    existing = find_person_by_document(id_type=normalised["id_type"], id_number=normalised["id_number"])
    detail = field_problem(
        "id_number", "该证件号码已登记", "This document number is already registered", "duplicate"
    )
    detail["value"] = mask_id(normalised["id_number"])
    if existing is not None and selectors.person_list(user=user).filter(pk=existing.pk).exists():
        detail.update(existing_id=existing.pk, existing_url=f"/api/core/people/{existing.pk}")
    return ApiError(
        409, "duplicate", "该证件已登记,未重复创建", "Already registered; nothing was created", [detail]
    )


@router.post(
    "/people",
    response={201: PersonOut},
    summary="Register a person (a repeat answers 409, never a duplicate)",
)
def create_person(request, payload: PersonIn, response: HttpResponse):
    user = registry_user(request)
    response["Cache-Control"] = NO_STORE
    data = _references(user, plain(payload.dict()))
    try:
        person = services.person_register(actor=user, data=data, request=request)
    except ServiceValidationError as exc:
        if any(p.code == "duplicate" for p in exc.problems):
            raise _duplicate(user, data) from None
        raise
    return Status(201, person)


@router.post(
    "/people/{int:pk}/reveal",
    response=RevealOut,
    summary="The full document number (reason required; audited)",
)
def reveal_person_id(request, pk: int, payload: RevealIn, response: HttpResponse):
    user = registry_user(request)
    response["Cache-Control"] = NO_STORE
    person = selectors.person_get(user=user, pk=pk, request=request, purpose="reveal")
    number = services.person_reveal_id(actor=user, person=person, reason=payload.reason, request=request)
    return {"id": person.pk, "id_type": person.id_type, "id_number": number}
