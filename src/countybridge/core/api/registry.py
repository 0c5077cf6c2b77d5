"""Registry endpoints: regions and organisations. Scope comes from the same selectors as the pages, writes
go through the same services; an organisation outside the caller's scope answers 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Query, Router, Status

from .. import access, selectors, services
from ..services.errors import FieldProblem, ServiceValidationError
from .pagination import Page, PageParams, paginate
from .schemas import (
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    RegionDetailOut,
    RegionFilters,
    RegionOut,
    plain,
)

router = Router(tags=["registries"])


def registry_user(request):
    """The caller, if its role may use the registries at all (auditors and public users may not)."""
    access.require_registry_access(request.auth)
    return request.auth


# ---------------------------------------------------------------- regions


@router.get("/regions", response=Page[RegionOut], summary="List regions")
def list_regions(request, filters: Query[RegionFilters], paging: Query[PageParams]):
    """Reference data, the same for every registry role: every current region unless filtered by `level`."""
    registry_user(request)
    regions = selectors.region_list(
        level=filters.level.value if filters.level else None,
        county_cities_only=filters.county_cities_only,
        include_former=filters.include_former,
    )
    return paginate(regions, paging)


@router.get(
    "/regions/{code}", response=RegionDetailOut, summary="One region with its townships and former codes"
)
def get_region(request, code: str):
    registry_user(request)
    return selectors.region_get(code)  # townships and former codes come through the related managers


# ---------------------------------------------------------------- organisations


# fields a PATCH may not set to null (the table has no NULL for them)
NOT_NULL = (
    "kind",
    "name",
    "region",
    "address",
    "ownership",
    "hospital_grade",
    "departments",
    "has_emergency_department",
    "school_stages",
    "school_tier",
    "industry",
    "domain",
    "is_synthetic",
)


def resolve_references(user, data: dict[str, Any]) -> dict[str, Any]:
    """Codes and ids in the input -> rows, each checked against the caller's scope; unknown ones are field
    errors (422), so a reference outside the scope reads the same as a missing one."""
    problems: list[FieldProblem] = [
        FieldProblem(field, "null", "此项不能为空值(null)", "This field cannot be null", "null")
        for field in NOT_NULL
        if field in data and data[field] is None
    ]
    for field in ("region", "township"):
        if data.get(field):
            try:
                data[field] = selectors.region_get(data[field])
            except Http404:
                problems.append(
                    FieldProblem(field, data[field], "区划代码不存在", "No region has this code", "unknown")
                )
    if "parent_id" in data:
        parent_id = data.pop("parent_id")
        data["parent"] = None
        if parent_id is not None:
            try:
                data["parent"] = selectors.organisation_get(user=user, pk=parent_id)
            except Http404:
                problems.append(
                    FieldProblem(
                        "parent_id",
                        str(parent_id),
                        "上级机构不存在或不在您的权限范围内",
                        "No such parent organisation in your scope",
                        "unknown",
                    )
                )
    if problems:
        raise ServiceValidationError(problems)
    # blank, not NULL, in the table: "no primary-care type" and "no credit code" (NULL keeps codes unique)
    if "primary_care_type" in data and data["primary_care_type"] is None:
        data["primary_care_type"] = ""
    if "credit_code" in data and not (data["credit_code"] or "").strip():
        data["credit_code"] = None
    return data


@router.get("/organisations", response=Page[OrganisationOut], summary="List organisations in your scope")
def list_organisations(request, filters: Query[OrganisationFilters], paging: Query[PageParams]):
    user = registry_user(request)
    organisations = selectors.organisation_list(
        user=user, kind=filters.kind.value if filters.kind else None, region_code=filters.region, q=filters.q
    )
    return paginate(organisations, paging)


@router.get("/organisations/{int:pk}", response=OrganisationOut, summary="One organisation")
def get_organisation(request, pk: int):
    user = registry_user(request)
    return selectors.organisation_get(user=user, pk=pk)


@router.post("/organisations", response={201: OrganisationOut}, summary="Register an organisation")
def create_organisation(request, payload: OrganisationIn):
    user = registry_user(request)
    data = resolve_references(user, plain(payload.dict()))
    organisation = services.organisation_create(actor=user, data=data, request=request)
    return Status(201, organisation)


@router.patch(
    "/organisations/{int:pk}", response=OrganisationOut, summary="Change some fields of an organisation"
)
def update_organisation(request, pk: int, payload: OrganisationPatch):
    user = registry_user(request)
    organisation = selectors.organisation_get(user=user, pk=pk)
    data = resolve_references(user, plain(payload.dict(exclude_unset=True)))
    return services.organisation_update(actor=user, organisation=organisation, data=data, request=request)
