"""Role and region scope, enforced here and only here: selectors pass every scoped query through
`scope_queryset`, and views, API routes and exports call selectors.

- city administrator, department officer: the whole city (department officers within their domain's modules);
- county officer: rows whose county is theirs;
- institution staff: rows of their own institution;
- auditor: the audit log only; public user: their own records only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from .models import Role, User

CITY_WIDE_ROLES = {Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER}
REGISTRY_ROLES = CITY_WIDE_ROLES | {Role.COUNTY_OFFICER, Role.INSTITUTION_STAFF}
# who may see an identifier unmasked (always with a reason, always audited)
UNMASK_ROLES = {Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.COUNTY_OFFICER, Role.INSTITUTION_STAFF}


def role_of(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.role


def scope_queryset(queryset: QuerySet, user: User | None) -> QuerySet:
    """Restrict any registry queryset to what `user` may read. Models name their scope fields as
    `scope_region_field` (a county-level Region FK) and `scope_organisation_field`."""
    model = queryset.model
    role = role_of(user)
    if role in CITY_WIDE_ROLES:
        return queryset
    region_field = getattr(model, "scope_region_field", None)
    organisation_field = getattr(model, "scope_organisation_field", None)
    if role == Role.COUNTY_OFFICER and region_field:
        return queryset.filter(**{f"{region_field}_id": user.region_id})
    if role == Role.INSTITUTION_STAFF and organisation_field:
        lookup = "pk" if organisation_field == "id" else f"{organisation_field}_id"
        return queryset.filter(**{lookup: user.organisation_id})
    if role == Role.PUBLIC and model._meta.label == "core.Person" and user.person_id:
        return queryset.filter(pk=user.person_id)
    return queryset.none()


def can_see_registries(user) -> bool:
    return role_of(user) in REGISTRY_ROLES


def require_registry_access(user) -> None:
    if not can_see_registries(user):
        raise PermissionDenied("registry access requires an officer or institution role")


def require_role(user, *roles: str) -> None:
    if role_of(user) not in roles:
        raise PermissionDenied(f"requires role {', '.join(roles)}")


def can_write_object(user, obj: Model) -> bool:
    """Writes follow read scope, except that auditors and public users never write registries."""
    if role_of(user) not in REGISTRY_ROLES:
        return False
    return scope_queryset(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def can_edit_pairings(user) -> bool:
    """Pairings are edited by city administrators and the organisation department."""
    role = role_of(user)
    return role == Role.CITY_ADMIN or (role == Role.DEPARTMENT_OFFICER and user.domain == "organisation")


def can_read_pairings(user) -> bool:
    """Editors read all pairings; a county officer reads those of their own county."""
    return can_edit_pairings(user) or role_of(user) == Role.COUNTY_OFFICER


def require_pairing_editor(user) -> None:
    if not can_edit_pairings(user):
        raise PermissionDenied("only city administrators and the organisation department edit pairings")


def region_filter_for(user) -> Q:
    """A Q over `region` for the user's county (for queries built by hand, e.g. aggregates)."""
    if role_of(user) == Role.COUNTY_OFFICER:
        return Q(region_id=user.region_id)
    if role_of(user) in CITY_WIDE_ROLES:
        return Q()
    return Q(pk__in=[])
