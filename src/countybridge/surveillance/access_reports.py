"""Who may read and write case reports (the scope itself is `core.access.scope_queryset`).

- city administrator and CDC department officers: city-wide;
- county officers: their county; institution staff (and API tokens, which act as their institution's staff):
  their own institution;
- every other role (other departments, auditors, the public) is refused.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from countybridge.core.access import role_of
from countybridge.core.models import Organisation, Role


def can_read_reports(user) -> bool:
    role = role_of(user)
    if role == Role.DEPARTMENT_OFFICER:
        return user.domain == "cdc"
    return role in {Role.CITY_ADMIN, Role.COUNTY_OFFICER, Role.INSTITUTION_STAFF}


def require_report_reader(user) -> None:
    if not can_read_reports(user):
        raise PermissionDenied("case reports are read by CDC officers, county officers and institution staff")


def require_report_writer(user) -> None:
    require_report_reader(user)


def can_submit_for(user, organisation: Organisation) -> bool:
    """Institution staff report for their institution; a county officer (county CDC entering a paper card)
    for institutions of their county; the city administrator and CDC officers for any institution."""
    role = role_of(user)
    if not can_read_reports(user):
        return False
    if role == Role.INSTITUTION_STAFF:
        return organisation.pk == user.organisation_id
    if role == Role.COUNTY_OFFICER:
        return organisation.region_id == user.region_id
    return True
