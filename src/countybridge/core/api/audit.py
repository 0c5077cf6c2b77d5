"""The audit log over the API: auditors and city administrators only, the audit page's filters and rules.

Is reading the audit log itself a sensitive-data read? Mostly not: rows name staff accounts, roles, IP
addresses and institutions, and reading them is the auditor's statutory job — logging every such read would
fill the log with references to itself. But a row about a person (object_type in PERSONAL_DATA_TYPES) shows a
resident's name and masked document number in `object_repr`. So a page of results that contains such rows
is recorded as one `read_sensitive` event naming how many person rows (and which ids) were shown; a page
without them is not recorded. A refused read is recorded as `denied`, as on the page.
"""

from __future__ import annotations

from ninja import Query, Router

from .. import audit
from ..audit_selectors import AUDIT_ROLES, audit_events
from ..audit_selectors import AuditFilters as PageFilters
from ..models import AuditEvent
from .pagination import Page, PageParams, paginate
from .schemas import AuditEventOut, AuditFilters

router = Router(tags=["audit"])

# object types whose `object_repr` names a resident; apps holding people (patients, pupils) add theirs here
PERSONAL_DATA_TYPES = {"core.Person"}


def _page_filters(filters: AuditFilters) -> PageFilters:
    def text(value) -> str:
        return "" if value is None else str(getattr(value, "value", value)).strip()

    return PageFilters(
        date_from=filters.date_from,
        date_to=filters.date_to,
        actor=text(filters.actor),
        role=text(filters.role),
        action=text(filters.action),
        object_type=text(filters.object_type),
        region=text(filters.region),
    )


@router.get(
    "/audit-events", response=Page[AuditEventOut], summary="The audit log (auditors, city administrators)"
)
def list_audit_events(request, filters: Query[AuditFilters], paging: Query[PageParams]):
    user = request.auth
    if getattr(user, "role", None) not in AUDIT_ROLES:  # a token client is institution staff: refused too
        audit.record(
            actor=user,
            action=AuditEvent.Action.DENIED,
            object_type="core.AuditEvent",
            request=request,
            details={"path": request.path[:200]},
        )
    events = audit_events(user=user, filters=_page_filters(filters)).select_related("api_token")
    page = paginate(events, paging)
    person_ids = [e.object_id for e in page["items"] if e.object_type in PERSONAL_DATA_TYPES]
    if person_ids:
        audit.record(
            actor=user,
            action=AuditEvent.Action.READ_SENSITIVE,
            object_type="core.AuditEvent",
            request=request,
            details={
                "purpose": "audit_log",
                "person_rows": len(person_ids),
                "person_ids": person_ids[:200],
                "filters": {k: v for k, v in request.GET.items() if k not in ("page", "page_size")},
            },
        )
    return page
