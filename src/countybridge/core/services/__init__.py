"""Use cases that write: one transaction each, the audit row inside it (BRIEF § 8.2)."""

from .organisations import organisation_create, organisation_update
from .people import person_register, person_reveal_id
from .regions import pairing_delete, pairing_set, region_update, regions_load

__all__ = [
    "organisation_create",
    "organisation_update",
    "pairing_delete",
    "pairing_set",
    "person_register",
    "person_reveal_id",
    "region_update",
    "regions_load",
]
