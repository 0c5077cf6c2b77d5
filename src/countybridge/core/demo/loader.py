"""Writes the synthetic demo data and the demo users (one per role) into the database."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .. import audit, crypto
from ..identifiers import mask_id, parse_resident_id
from ..models import AuditEvent, Organisation, Person, Region, RegionLevel, User
from ..services.organisations import validate_organisation
from .generator import RegionInfo, generate

DEMO_PASSWORD = "CountyBridge-2026"
# (username, role, county code, organisation name suffix or domain, description)
DEMO_USERS = [
    ("admin", "city_admin", None, None, "市级管理员 city administrator"),
    ("health_officer", "department_officer", None, "health", "市卫健委 health commission officer"),
    ("cdc_officer", "department_officer", None, "cdc", "市疾控 CDC officer"),
    ("education_officer", "department_officer", None, "education", "市教育局 education bureau officer"),
    (
        "organisation_officer",
        "department_officer",
        None,
        "organisation",
        "市委组织部 organisation dept officer",
    ),
    ("jianyang_officer", "county_officer", "510185", None, "简阳市 county officer"),
    ("dujiangyan_officer", "county_officer", "510181", None, "都江堰市 county officer"),
    ("pengzhou_officer", "county_officer", "510182", None, "彭州市 county officer"),
    ("qionglai_officer", "county_officer", "510183", None, "邛崃市 county officer"),
    ("chongzhou_officer", "county_officer", "510184", None, "崇州市 county officer"),
    ("jintang_officer", "county_officer", "510121", None, "金堂县 county officer"),
    ("dayi_officer", "county_officer", "510129", None, "大邑县 county officer"),
    ("pujiang_officer", "county_officer", "510131", None, "蒲江县 county officer"),
    (
        "jianyang_organisation",
        "county_officer",
        "510185",
        "organisation",
        "简阳市委组织部 (county cadre round)",
    ),
    ("jianyang_hospital", "institution_staff", "510185", "人民医院", "简阳市人民医院 staff"),
    ("auditor", "auditor", None, None, "审计员 auditor (audit log only)"),
    ("resident", "public", "510185", None, "公众用户 public user (own records)"),
]


def _county_infos() -> list[RegionInfo]:
    counties = Region.objects.filter(
        level=RegionLevel.COUNTY, is_county_city=True, successor__isnull=True
    ).order_by("code")
    townships: dict[int, list[tuple[str, str]]] = {}
    for t in Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"):
        townships.setdefault(t.parent_id, []).append((t.code, t.name_zh))
    return [
        RegionInfo(
            c.code,
            c.name_zh,
            c.population_2020 or 0,
            c.lon or 104.06,
            c.lat or 30.67,
            townships.get(c.pk, []),
        )
        for c in counties
    ]


def demo_present() -> bool:
    return Organisation.objects.filter(is_synthetic=True).exists()


@transaction.atomic
def demo_load(
    *, seed: int, scale: float = 1.0, progress: Callable[[float, str], None] | None = None
) -> dict[str, int]:
    """Generate and store the demo data in one transaction (nothing half-loaded if interrupted)."""
    progress = progress or (lambda pct, stage: None)
    if not Region.objects.filter(level=RegionLevel.TOWNSHIP).exists():
        raise RuntimeError("regions are not loaded: run `countybridge load_regions` first")
    progress(5, "generating")
    data = generate(_county_infos(), seed=seed, scale=scale)
    regions = {
        r.code: r
        for r in Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.CITY])
    }
    progress(20, "organisations")
    by_key: dict[str, Organisation] = {}
    # parents first (parks before employers, township health centres before village clinics)
    for record in sorted(data.organisations, key=lambda r: r.parent_key is not None):
        values = dict(
            record.fields,
            kind=record.kind,
            name=record.name,
            region=regions[record.county],
            township=regions.get(record.township) if record.township else None,
            parent=by_key.get(record.parent_key) if record.parent_key else None,
            is_synthetic=True,
        )
        problems = validate_organisation(values)
        if problems:
            raise ValueError(f"demo generator produced an invalid organisation {record.name}: {problems}")
        by_key[record.key] = Organisation(**values)
    parents = [o for k, o in by_key.items() if o.parent is None]
    Organisation.objects.bulk_create(parents, batch_size=500)
    children = [o for o in by_key.values() if o.parent is not None]
    for child in children:
        child.parent_id = child.parent.pk
    Organisation.objects.bulk_create(children, batch_size=500)
    progress(60, "people")
    people = []
    for i, record in enumerate(data.people):
        parsed = parse_resident_id(record.id_number)
        people.append(
            Person(
                id_type="resident_id",
                id_number_encrypted=crypto.encrypt(record.id_number),
                id_number_hash=crypto.keyed_hash(f"resident_id:{record.id_number}"),
                id_number_masked=mask_id(record.id_number),
                name=record.name,
                sex=parsed.sex,
                birth_date=parsed.birth_date,
                region=regions[record.county],
                township=regions.get(record.township),
                organisation=by_key.get(record.org_key),
                is_synthetic=True,
            )
        )
        if i % 2000 == 0:
            progress(60 + 30 * i / max(1, len(data.people)), "people")
    Person.objects.bulk_create(people, batch_size=1000)
    counts = {"organisations": len(by_key), "people": len(people)}
    audit.record(
        actor=None,
        action=AuditEvent.Action.IMPORT,
        object_type="core.demo",
        details={"seed": seed, "scale": scale, **counts},
    )
    progress(100, "done")
    return counts


@transaction.atomic
def demo_users(password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """Create (or reset the password of) one demo login per role; returns (username, role, description)."""
    rows = []
    for username, role, county, extra, description in DEMO_USERS:
        region = Region.objects.get(code=county) if county and role in ("county_officer",) else None
        organisation = None
        if role == "institution_staff":
            organisation = Organisation.objects.filter(
                region__code=county, kind="hospital", name__endswith=extra
            ).first()
        person = None
        if role == "public":
            person = Person.objects.filter(region__code=county, is_synthetic=True).order_by("pk").first()
        user, _ = User.objects.update_or_create(
            username=username,
            defaults=dict(
                role=role,
                region=region,
                organisation=organisation,
                person=person,
                domain=extra if role in ("department_officer", "county_officer") and extra else "",
                is_staff=role == "city_admin",
                is_superuser=role == "city_admin",
            ),
        )
        user.set_password(password)
        user.save()
        rows.append((username, role, description))
    return rows


@transaction.atomic
def demo_reset() -> None:
    """Remove synthetic records. Demo accounts are kept (audit rows point at them) but parked as public users
    without links until `demo_users` restores their roles; a role's scope constraint would refuse less."""
    User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).update(
        role="public", region=None, organisation=None, person=None
    )
    Person.objects.filter(is_synthetic=True).delete()
    Organisation.objects.filter(is_synthetic=True, parent__isnull=False).delete()
    Organisation.objects.filter(is_synthetic=True).delete()
