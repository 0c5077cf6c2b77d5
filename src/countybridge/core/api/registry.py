"""Registry endpoints: regions, organisations, people (masked). Scope comes from the same selectors as pages."""

from __future__ import annotations

from ninja import Router, Schema

from .. import access, selectors

router = Router(tags=["registries"])


class RegionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: str | None
    is_county_city: bool
    population_2020: int | None
    population_is_synthetic: bool

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


@router.get("/regions", response=list[RegionOut])
def list_regions(request, level: str | None = None):
    access.require_registry_access(request.auth)
    return list(selectors.region_list(level=level))
