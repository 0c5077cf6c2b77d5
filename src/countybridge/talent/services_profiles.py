"""Talent profile writes for the pages: register the person through core services (identifiers are validated,
encrypted and masked there only) and create the profile in one transaction; edit a profile. Who may write:
city administrators, county officers in their county, institution staff for their own employer's employees."""

from __future__ import annotations

from django.db import transaction

from countybridge.core import audit
from countybridge.core.models import AuditEvent
from countybridge.core.services.errors import ServiceValidationError
from countybridge.core.services.people import person_register

from .models import TalentProfile
from .services import problem, require_talent_write, talent_create, validate_profile

A = AuditEvent.Action
EDITABLE = ("employer", "degree", "title", "major", "field", "years_experience", "skills_text")


@transaction.atomic
def talent_register(*, actor, person_data: dict, data: dict, request=None) -> TalentProfile:
    """A new person and their profile; a refusal or a bad field in either saves neither."""
    region = person_data.get("region")
    if region is not None:
        require_talent_write(actor, region, data.get("employer"))
    person_problems = []
    try:
        person = person_register(actor=actor, data=person_data, request=request)
    except ServiceValidationError as exc:
        person_problems, person = exc.problems, None
    profile_problems, _cleaned = validate_profile(data)
    if person_problems or profile_problems:
        raise ServiceValidationError(person_problems + profile_problems)
    return talent_create(actor=actor, person=person, data=data, request=request)


@transaction.atomic
def talent_update(*, actor, talent: TalentProfile, data: dict, request=None) -> TalentProfile:
    """Edit the profile fields. Staff may neither edit another employer's talent nor move one away."""
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    require_talent_write(actor, talent.region, talent.employer)
    require_talent_write(actor, talent.region, data.get("employer"))
    problems, cleaned = validate_profile(data)
    if data.get("employer") is not None and data["employer"].kind not in ("employer", "park"):
        problems.append(
            problem("employer", data["employer"].pk, "所选单位不是用人单位", "Not an employer", "wrong_kind")
        )
    if problems:
        raise ServiceValidationError(problems)
    changed = {}
    for name in EDITABLE:
        old, new = getattr(talent, name), cleaned[name]
        if old != new:
            changed[name] = [str(getattr(old, "pk", old)), str(getattr(new, "pk", new))]
            setattr(talent, name, new)
    if changed:
        talent.save()
        audit.record(actor=actor, action=A.UPDATE, obj=talent, request=request, details={"changed": changed})
    return talent
