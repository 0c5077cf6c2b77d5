"""Page for delegated class-C self-certification: institution staff of a delegated employer or park certify
their own employees within the quota; the page shows the delegations and the places left."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from countybridge.core import access
from countybridge.core.models import Role
from countybridge.core.services.errors import ServiceValidationError

from . import models as m
from . import selectors, services_selfcert
from .views import _json_field


@login_required
def self_certify(request, talent_pk):
    if access.role_of(request.user) != Role.INSTITUTION_STAFF:
        raise PermissionDenied("institution staff of a delegated organisation only")
    talent = selectors.get(m.TalentProfile, request.user, talent_pk)
    errors = []
    if request.method == "POST":
        try:
            documents = [d.strip() for d in request.POST.get("documents", "").split(",") if d.strip()]
            app = services_selfcert.self_certify(
                actor=request.user,
                talent=talent,
                evidence=_json_field(request, "evidence", {}),
                documents=documents,
                claimed_item=request.POST.get("claimed_item", "").strip(),
                request=request,
            )
            return redirect("talent:certification_detail", app.pk)
        except ServiceValidationError as exc:
            errors = exc.problems
    return render(
        request,
        "talent/self_certify_form.html",
        {
            "talent": talent,
            "errors": errors,
            "form": request.POST,
            "quotas": services_selfcert.quota_status(talent),
        },
    )
