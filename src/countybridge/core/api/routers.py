"""Routers of every app, mounted on the one API instance."""

from ninja import NinjaAPI


def register_routers(api: NinjaAPI) -> None:
    from .registry import router as registry_router

    api.add_router("/core/", registry_router)
