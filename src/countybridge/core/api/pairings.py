"""Pairing endpoints (结对): the same readers, editors and rules as the pairing pages.

Read: city administrators, the organisation department, and a county officer for their own county's pairings.
Write: city administrators and officers of the organisation department only. Who may do what is decided in
`selectors.pairings_for` and `access.can_edit_pairings`, so the pages and the API cannot drift apart.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Status

from .. import selectors, services
from ..access import can_edit_pairings
from ..models import Pairing
from ..selectors import pairings_for
from ..services.errors import FieldProblem, ServiceValidationError
from .pagination import Page, PageParams, paginate
from .schemas import PairingFilters, PairingIn, PairingOut

router = Router(tags=["pairings"])


@router.get("/pairings", response=Page[PairingOut], summary="List pairings you may read")
def list_pairings(request, filters: Query[PairingFilters], paging: Query[PageParams]):
    pairings = pairings_for(request.auth)
    if filters.county_city:
        pairings = pairings.filter(county_city__code=filters.county_city)
    if filters.status:
        pairings = pairings.filter(status=filters.status.value)
    return paginate(pairings, paging)


def _require_editor(user) -> None:
    if not can_edit_pairings(user):
        raise PermissionDenied("only city administrators and the organisation department edit pairings")


@router.post("/pairings", response={200: PairingOut, 201: PairingOut}, summary="Create or change a pairing")
def set_pairing(request, payload: PairingIn):
    """Idempotent on (county_city, district): sending the same pairing again changes it, never duplicates it."""
    user = request.auth
    _require_editor(user)
    problems: list[FieldProblem] = []
    regions = {}
    for field in ("county_city", "district"):
        try:
            regions[field] = selectors.region_get(getattr(payload, field))
        except Http404:
            problems.append(
                FieldProblem(
                    field, getattr(payload, field), "区划代码不存在", "No region has this code", "unknown"
                )
            )
    status = payload.status.value
    if status == Pairing.Status.KNOWN and not payload.source.strip():
        problems.append(
            FieldProblem("source", "", "已核实的结对须注明来源", "A known pairing needs a source", "required")
        )
    if problems:
        raise ServiceValidationError(problems)
    existed = (
        pairings_for(user).filter(county_city=regions["county_city"], district=regions["district"]).exists()
    )
    try:
        pairing = services.pairing_set(
            actor=user,
            county_city=regions["county_city"],
            district=regions["district"],
            status=status,
            description=payload.description.strip(),
            source=payload.source.strip(),
            request=request,
        )
    except ValueError:
        raise ServiceValidationError(
            [
                FieldProblem(
                    "district",
                    payload.district,
                    "结对须为县市新城与另一区(市)县",
                    "A pairing joins a county city with another county-level division",
                    "pairing",
                )
            ]
        ) from None
    return Status(200 if existed else 201, pairing)


@router.delete("/pairings/{int:pk}", response={204: None}, summary="Delete a pairing")
def delete_pairing(request, pk: int):
    user = request.auth
    pairing = pairings_for(user).filter(pk=pk).first()
    if pairing is None:
        raise Http404("no such pairing")
    _require_editor(user)
    services.pairing_delete(actor=user, pairing=pairing, request=request)
    return Status(204, None)
