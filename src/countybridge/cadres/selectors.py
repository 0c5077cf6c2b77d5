"""Reads of cadre data. Cadre files are personnel data: only the organisation department and the city
administrator see all; a county officer sees their own county (plans read-only); everyone else is refused.
Every read of one cadre's record writes a read_sensitive audit row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from countybridge.core import access, audit
from countybridge.core.models import AuditEvent, Region, RegionLevel, Role
from countybridge.core.models.access import Domain
from countybridge.core.services.errors import FieldProblem, ServiceValidationError

from .models import Cadre, CareerPost, ExchangePlan, PlanMove, Position, RecruitmentQuota, RuleSetVersion


def can_edit_cadres(user, region=None) -> bool:
    """The city's organisation department (and the administrator) edit everything; a county officer of the
    organisation line edits only their own county's round: its local rule set and its plans."""
    role = access.role_of(user)
    if role == Role.CITY_ADMIN or (role == Role.DEPARTMENT_OFFICER and user.domain == Domain.ORGANISATION):
        return True
    return (
        role == Role.COUNTY_OFFICER
        and user.domain == Domain.ORGANISATION
        and region is not None
        and region.pk == user.region_id
    )


def can_read_cadres(user) -> bool:
    return can_edit_cadres(user) or access.role_of(user) == Role.COUNTY_OFFICER


def require_read(user) -> None:
    if not can_read_cadres(user):
        raise PermissionDenied("cadre data is for the organisation department and county officers")


def require_edit(user, region=None) -> None:
    if not can_edit_cadres(user, region):
        raise PermissionDenied("only the organisation department and the city administrator edit cadre data")


def cadre_list(*, user) -> QuerySet:
    require_read(user)
    return access.scope_queryset(Cadre.objects.select_related("region"), user)


def cadre_get(*, user, pk: int, request=None) -> Cadre:
    """One cadre's record with career, grades, training and relatives; the read is audited."""
    cadre = (
        cadre_list(user=user)
        .prefetch_related("career__position", "assessments", "training", "relatives__relative")
        .filter(pk=pk)
        .first()
    )
    if cadre is None:
        raise Http404("no such cadre in your scope")
    with transaction.atomic():
        audit.record(actor=user, action=AuditEvent.Action.READ_SENSITIVE, obj=cadre, request=request,
                     details={"record": "cadre"})  # fmt: skip
    return cadre


def current_post(cadre: Cadre) -> CareerPost | None:
    return next((p for p in cadre.career.all() if p.end is None), None)


def position_list(*, user) -> QuerySet:
    require_read(user)
    return access.scope_queryset(Position.objects.select_related("region", "reports_to"), user)


def plan_list(*, user) -> QuerySet:
    """City-wide rounds for every reader (a county officer then sees only their county's moves), and a
    county's own rounds only for that county and the city."""
    require_read(user)
    qs = ExchangePlan.objects.select_related("region", "ruleset", "created_by", "approved_by")
    if access.role_of(user) == Role.COUNTY_OFFICER:
        qs = qs.filter(Q(region__isnull=True) | Q(region_id=user.region_id))
    return qs


def plan_get(*, user, pk: int) -> ExchangePlan:
    plan = plan_list(user=user).filter(pk=pk).first()
    if plan is None:
        raise Http404("no such plan")
    return plan


def plan_moves(*, user, plan: ExchangePlan) -> QuerySet:
    """The plan's moves; a county officer sees only moves out of or into their county."""
    qs = PlanMove.objects.filter(plan=plan).select_related(
        "cadre", "from_position__region", "to_position__region"
    )
    if access.role_of(user) == Role.COUNTY_OFFICER:
        qs = qs.filter(Q(from_position__region_id=user.region_id) | Q(to_position__region_id=user.region_id))
    return qs


def visible_cadre_codes(*, user) -> set[str] | None:
    """None: every cadre; else the codes a county officer may see (filters must-move lists)."""
    if access.role_of(user) == Role.COUNTY_OFFICER:
        return set(cadre_list(user=user).values_list("code", flat=True))
    return None


def quota_list(*, user) -> QuerySet:
    require_read(user)
    return access.scope_queryset(RecruitmentQuota.objects.select_related("region"), user)


def own_county(user):
    """A county officer works on their own county's round by default; everyone else on the city-wide one."""
    return user.region if access.role_of(user) == Role.COUNTY_OFFICER else None


def round_county(user, code: str | None):
    """The county a page or API call names (`county` parameter): empty means the user's default round;
    an unknown code is a bilingual validation error."""
    code = (code or "").strip()
    if not code:
        return own_county(user)
    region = Region.objects.filter(code=code, level=RegionLevel.COUNTY, valid_to__isnull=True).first()
    if region is None:
        raise ServiceValidationError(
            [FieldProblem("county", code, "区(市)县代码无效", "Unknown county code", "unknown")]
        )
    return region


def ruleset_current(region=None) -> RuleSetVersion | None:
    return RuleSetVersion.objects.filter(region=region).order_by("-version").first()


def ruleset_in_force(region=None) -> RuleSetVersion | None:
    """A county's own rule set if it has saved one, else the city-wide set it inherits."""
    return (ruleset_current(region) if region is not None else None) or ruleset_current(None)
