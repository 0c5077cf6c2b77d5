"""Routers of every app, mounted on the one API instance. One line per router: add yours below."""

from ninja import NinjaAPI


def register_routers(api: NinjaAPI) -> None:
    from countybridge.cadres.api import router as cadres_router

    from .audit import router as audit_router
    from .imports import router as imports_router
    from .jobs import router as jobs_router
    from .pairings import router as pairings_router
    from .people import router as people_router
    from .registry import router as registry_router
    from .tokens import router as tokens_router

    api.add_router("/core/", registry_router)
    api.add_router("/core/", people_router)
    api.add_router("/core/", pairings_router)
    api.add_router("/core/", audit_router)
    api.add_router("/core/", tokens_router)
    api.add_router("/core/", jobs_router)
    api.add_router("/core/", imports_router)
    from countybridge.talent.api import router as talent_router

    api.add_router("/", talent_router)
    api.add_router("/cadres/", cadres_router)
    from countybridge.surveillance.api_reports import router as surveillance_reports_router

    api.add_router("/", surveillance_reports_router)
    from countybridge.surveillance.api_signals import router as surveillance_signals_router

    api.add_router("/surveillance/", surveillance_signals_router)
    from countybridge.ems.api import router as ems_router

    api.add_router("/ems/", ems_router)
