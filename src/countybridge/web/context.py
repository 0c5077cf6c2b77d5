"""Navigation for every module; a module not yet built says so on its page (see CHANGELOG.md)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from countybridge.core.access import can_read_pairings, can_see_registries, role_of
from countybridge.core.models import Role

MODULES = [
    ("talent", _("Talent")),
    ("cadres", _("Cadres")),
    ("health", _("Health")),
    ("surveillance", _("Surveillance")),
    ("ems", _("Emergency care")),
    ("education", _("Education")),
    ("indicators", _("Indicators")),
]


def _link(title, name: str) -> dict | None:
    try:
        return {"title": title, "url": reverse(name)}
    except NoReverseMatch:  # a page of a module not installed in this build
        return None


def navigation(request):
    user = getattr(request, "user", None)
    items = [{"title": _("Home"), "url": reverse("home")}]
    if can_see_registries(user):
        items += [
            _link(_("Regions"), "core:region_list"),
            _link(_("Organisations"), "core:organisation_list"),
            _link(_("People"), "core:person_list"),
            _link(_("Imports"), "core:import_start"),
            _link(_("Jobs"), "core:job_list"),
        ]
    if can_read_pairings(user):
        items.append(_link(_("Pairings"), "core:pairing_list"))
    if role_of(user) in {Role.AUDITOR, Role.CITY_ADMIN}:
        items.append(_link(_("Audit log"), "core:audit_list"))
    items = [item for item in items if item]
    modules = [{"title": title, "url": reverse("module", args=[slug])} for slug, title in MODULES]
    modules[[slug for slug, _t in MODULES].index("cadres")]["url"] = reverse("cadres:index")
    modules[[slug for slug, _t in MODULES].index("talent")]["url"] = reverse("talent:index")
    modules[[slug for slug, _t in MODULES].index("ems")]["url"] = reverse("ems:index")
    # clinic staff go straight to the report card; officers to the signal map
    surveillance = (
        "surveillance_reports:new"
        if role_of(user) == Role.INSTITUTION_STAFF
        else "surveillance_signals:index"
    )
    modules[[slug for slug, _t in MODULES].index("surveillance")]["url"] = reverse(surveillance)
    return {"nav_items": items, "nav_modules": modules}
