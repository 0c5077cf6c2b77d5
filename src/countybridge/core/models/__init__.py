from .access import APIToken, Role, User
from .audit import AuditEvent
from .imports import ImportBatch
from .jobs import JobRun
from .organisations import Organisation, OrganisationKind
from .people import Person
from .regions import FunctionalZone, Pairing, Region, RegionLevel

__all__ = [
    "APIToken",
    "AuditEvent",
    "FunctionalZone",
    "ImportBatch",
    "JobRun",
    "Organisation",
    "OrganisationKind",
    "Pairing",
    "Person",
    "Region",
    "RegionLevel",
    "Role",
    "User",
]
