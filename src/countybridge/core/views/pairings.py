"""Pairings (结对) of county cities with central districts: list, add, edit, delete.

City administrators and officers of the organisation department edit; a county officer reads the pairings
of their own county; everyone else is refused. Writes go through `services.pairing_set` / `pairing_delete`,
which write the audit row in the same transaction.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import access, selectors, services
from ..models import Pairing, RegionLevel

can_edit_pairings = access.can_edit_pairings
pairings_for = selectors.pairings_for


def _pairing(user, pk: int) -> Pairing:
    pairing = pairings_for(user).filter(pk=pk).first()
    if pairing is None:
        raise Http404(_("No such pairing"))
    return pairing


_require_editor = access.require_pairing_editor


def _county_choices(*, county_cities: bool) -> list[tuple[str, str]]:
    regions = selectors.region_list(level=RegionLevel.COUNTY)
    if county_cities:
        regions = regions.filter(is_county_city=True)
    return [(r.code, f"{r.name_zh} ({r.code})") for r in regions]


class PairingEditForm(forms.Form):
    """What can change on an existing pairing; changing either side is a delete and a new pairing."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Pairing.Status.choices)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Required for a known pairing: where it is documented."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["invalid_choice"] = (
            "状态应为已核实或示意 / Status must be known or illustrative"
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == Pairing.Status.KNOWN and not (data.get("source") or "").strip():
            self.add_error("source", "已核实的结对须注明来源 / A known pairing needs a source")
        return data


class PairingCreateForm(PairingEditForm):
    county_city = forms.ChoiceField(label=gettext_lazy("County city"))
    district = forms.ChoiceField(label=gettext_lazy("Paired district"))
    field_order = ["county_city", "district", "status", "description", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county_city"].choices = _county_choices(county_cities=True)
        self.fields["district"].choices = _county_choices(county_cities=False)
        bad_choice = "所选区划无效 / Not a valid division"
        for name in ("county_city", "district"):
            self.fields[name].error_messages["invalid_choice"] = bad_choice

    def clean(self):
        data = super().clean()
        county_city, district = data.get("county_city"), data.get("district")
        if county_city and district and county_city == district:
            self.add_error("district", "县市新城不能与自身结对 / A county city cannot be paired with itself")
        elif (
            county_city
            and district
            and Pairing.objects.filter(county_city__code=county_city, district__code=district).exists()
        ):
            self.add_error("district", "该结对已存在,请编辑它 / This pairing exists already: edit it instead")
        return data


def _bilingual_required(form: forms.Form) -> None:
    for f in form.fields.values():
        f.error_messages["required"] = "此项必填 / This field is required"
        f.error_messages["max_length"] = "内容过长 / Too long"


@login_required
def pairing_list(request):
    pairings = pairings_for(request.user)
    return render(
        request,
        "core/pairing_list.html",
        {
            "pairings": pairings,
            "can_edit": can_edit_pairings(request.user),
        },
    )


@login_required
def pairing_create(request):
    _require_editor(request.user)
    form = PairingCreateForm(request.POST or None)
    _bilingual_required(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing = services.pairing_set(
                actor=request.user,
                county_city=selectors.region_get(data["county_city"]),
                district=selectors.region_get(data["district"]),
                status=data["status"],
                description=data["description"].strip(),
                source=data["source"].strip(),
                request=request,
            )
        except ValueError:
            form.add_error(
                "district",
                "结对须为县市新城与另一区(市)县 / A pairing joins a county city with another "
                "county-level division",
            )
        else:
            messages.success(request, _("Pairing saved: %(pairing)s") % {"pairing": pairing})
            return redirect("core:pairing_list")
    return render(
        request,
        "core/pairing_form.html",
        {"form": form, "pairing": None},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def pairing_edit(request, pk: int):
    pairing = _pairing(request.user, pk)
    _require_editor(request.user)
    initial = {"status": pairing.status, "description": pairing.description, "source": pairing.source}
    form = PairingEditForm(request.POST or None, initial=initial)
    _bilingual_required(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.pairing_set(
            actor=request.user,
            county_city=pairing.county_city,
            district=pairing.district,
            status=data["status"],
            description=data["description"].strip(),
            source=data["source"].strip(),
            request=request,
        )
        messages.success(request, _("Pairing saved: %(pairing)s") % {"pairing": pairing})
        return redirect("core:pairing_list")
    return render(
        request,
        "core/pairing_form.html",
        {"form": form, "pairing": pairing},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def pairing_delete(request, pk: int):
    pairing = _pairing(request.user, pk)
    _require_editor(request.user)
    label = str(pairing)
    services.pairing_delete(actor=request.user, pairing=pairing, request=request)
    messages.success(request, _("Pairing deleted: %(pairing)s") % {"pairing": label})
    return redirect("core:pairing_list")
