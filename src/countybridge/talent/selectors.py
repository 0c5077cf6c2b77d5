"""Reads of the talent app; every one passes through core.access.scope_queryset.

Public users see only their own records: their talent profile (by their person) and what hangs from it.
"""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404

from countybridge.core import access
from countybridge.core.models import Role

from . import models as m


def scoped(model, user) -> QuerySet:
    qs = model._default_manager.all()
    role = access.role_of(user)
    if role == Role.PUBLIC:
        if not user.person_id:
            return qs.none()
        if model is m.TalentProfile:
            return qs.filter(person_id=user.person_id)
        if hasattr(model, "talent_id") or any(f.name == "talent" for f in model._meta.fields):
            return qs.filter(talent__person_id=user.person_id)
        return qs.none()
    return access.scope_queryset(qs, user)


def get(model, user, pk):
    return get_object_or_404(scoped(model, user), pk=pk)


def open_positions(user) -> QuerySet:
    """Open positions are published: any signed-in user may read them; officers also see closed ones in scope."""
    if access.role_of(user) in (Role.PUBLIC, None) or not access.can_see_registries(user):
        if access.role_of(user) == Role.AUDITOR or access.role_of(user) is None:
            return m.Position.objects.none()
        return m.Position.objects.filter(is_open=True).select_related("employer", "region")
    return scoped(m.Position, user).select_related("employer", "region")


def public_listing(model, user) -> QuerySet:
    """Events and training programmes are announcements: readable by public users, scoped for officers."""
    role = access.role_of(user)
    if role == Role.PUBLIC:
        return model.objects.all()
    return scoped(model, user)


def benefits(user) -> QuerySet:
    if access.role_of(user) in (None, Role.AUDITOR):
        return m.Benefit.objects.none()
    return m.Benefit.objects.all()


def quota_usage(user) -> list:
    return list(
        scoped(m.Quota, user)
        .select_related("region", "employer")
        .annotate(used=Count("uses"))
        .order_by("year", "region__code")
    )


def data_version() -> tuple:
    """Changes whenever a talent or position is added, changed or removed: the match index cache key."""
    t = m.TalentProfile.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    p = m.Position.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    return (t["n"], t["at"], p["n"], p["at"])
