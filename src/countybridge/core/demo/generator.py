"""Reproducible synthetic demo data for the eight county cities (pure: no Django).

Given the regions (codes, names, populations, seats) and a seed, returns plain records. `scale` multiplies
every count, for benchmarks. Every generated record is synthetic and is labelled so where it is shown.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from faker import Faker

from ..identifiers import make_credit_code, make_resident_id
from . import ratios

STAGE_NAMES = {
    "kindergarten": "幼儿园",
    "primary": "小学",
    "junior": "中学",
    "senior": "高级中学",
    "vocational": "职业技术学校",
}
# 简阳 used 512081 until 2016 (资阳 code): residents born before then carry it in their ID numbers.
OLD_ADDRESS_CODES = {"510185": ("512081", dt.date(2016, 5, 1))}


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name_zh: str
    population: int
    lon: float
    lat: float
    townships: list[tuple[str, str]]  # (code, name)


@dataclass
class OrgRecord:
    key: str  # stable within a generation, to link parents
    kind: str
    name: str
    county: str
    township: str | None = None
    parent_key: str | None = None
    fields: dict = field(default_factory=dict)


@dataclass
class PersonRecord:
    id_number: str
    name: str
    county: str
    township: str | None
    org_key: str | None


@dataclass
class DemoData:
    organisations: list[OrgRecord]
    people: list[PersonRecord]


class _Codes:
    """Unique synthetic credit codes: 1 (organ) / 5 (social org) / 9 (enterprise) + 2-digit type + county code."""

    def __init__(self):
        self.serial = 0

    def next(self, county: str, registry: str = "12") -> str:
        self.serial += 1
        # GB 32100: registration authority (1 char), type (1), admin code (6), organisation code (9), check (1)
        body = f"{registry}{county}{self.serial:08d}X"[:17]
        return make_credit_code(body.replace("X", "0"))


def _point(rng: random.Random, county: RegionInfo, spread: float = 0.12) -> tuple[float, float]:
    return round(county.lon + rng.uniform(-spread, spread), 5), round(
        county.lat + rng.uniform(-spread, spread), 5
    )


def _count(rng: random.Random, expected: float) -> int:
    """A count near `expected` (at least 1), varied a little so counties differ."""
    return max(1, round(expected * rng.uniform(0.85, 1.15)))


def generate(counties: list[RegionInfo], *, seed: int = 20251127, scale: float = 1.0) -> DemoData:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    codes = _Codes()
    orgs: list[OrgRecord] = []
    people: list[PersonRecord] = []
    for name, domain in ratios.CITY_DEPARTMENTS:
        orgs.append(
            OrgRecord(
                f"city-{domain}",
                "department",
                name,
                "510100",
                fields={"domain": domain, "credit_code": codes.next("510100", "11")},
            )
        )
    for county in counties:
        short = county.name_zh.rstrip("市县")
        for name, domain in ratios.DEPARTMENTS:
            full = f"中共{county.name_zh}委{name}" if domain == "organisation" else f"{county.name_zh}{name}"
            orgs.append(
                OrgRecord(
                    f"{county.code}-dept-{domain}",
                    "department",
                    full,
                    county.code,
                    fields={"domain": domain, "credit_code": codes.next(county.code, "11")},
                )
            )
        orgs += _hospitals(rng, codes, county, short, scale)
        orgs += _primary_care(rng, codes, county, scale)
        orgs += _schools(rng, codes, county, short, scale)
        parks = [
            OrgRecord(
                f"{county.code}-park-{i}",
                "park",
                f"{short}{suffix}",
                county.code,
                fields={
                    "industry": rng.choice(ratios.INDUSTRIES),
                    "credit_code": codes.next(county.code, "12"),
                },
            )
            for i, suffix in enumerate(
                ["经济开发区", "现代产业园", "高新技术产业园"][
                    : max(1, round(ratios.PARKS_PER_COUNTY * min(scale, 1.5)))
                ]
            )
        ]
        orgs += parks
        # one vocational college per county city (synthetic): partner for order classes and apprenticeships
        orgs.append(
            OrgRecord(
                f"{county.code}-univ",
                "university",
                f"成都{short}职业技术学院",
                county.code,
                fields={"credit_code": codes.next(county.code, "12"), "lon": county.lon, "lat": county.lat},
            )
        )
        for i in range(_count(rng, county.population / 100_000 * ratios.EMPLOYERS_PER_100K * scale)):
            industry = rng.choice(ratios.INDUSTRIES)
            park = rng.choice(parks)
            orgs.append(
                OrgRecord(
                    f"{county.code}-emp-{i}",
                    "employer",
                    f"{short}{fake.company_prefix()}{industry}有限公司{i + 1}号",
                    county.code,
                    parent_key=park.key,
                    fields={
                        "industry": industry,
                        "ownership": "private",
                        "credit_code": codes.next(county.code, "91"),
                    },
                )
            )
        people += _people(rng, fake, county, orgs, scale)
    return DemoData(orgs, people)


def _hospitals(rng, codes, county: RegionInfo, short: str, scale: float) -> list[OrgRecord]:
    n = _count(rng, county.population / 100_000 * ratios.HOSPITALS_PER_100K * scale)
    beds_total = county.population / 1000 * ratios.BEDS_PER_1000
    plan = [
        ("人民医院", 3, "甲", 0.30, "public"),
        ("中医医院", 3 if county.population > 700_000 else 2, "甲", 0.15, "public"),
        ("妇幼保健院", 2, "甲", 0.08, "public"),
        ("第二人民医院", 2, "乙", 0.10, "public"),
    ]
    records = []
    for i in range(n):
        if i < len(plan):
            suffix, level, grade, share, ownership = plan[i]
            name = f"{county.name_zh}{suffix}"
        else:
            level = 2 if rng.random() < 0.25 else 1
            grade, share, ownership = (
                ("乙" if level == 2 else ""),
                0.37 / max(1, n - len(plan)),
                "private" if rng.random() < 0.6 else "public",
            )
            name = f"{short}{rng.choice(['康复', '骨科', '仁爱', '济民', '华康', '博爱', '和平'])}医院{i - len(plan) + 1}号"
        departments = rng.sample(
            ratios.CLINICAL_DEPARTMENTS, k=min(len(ratios.CLINICAL_DEPARTMENTS), 3 + 2 * level)
        )
        if level >= 2 and "急诊科" not in departments:
            departments.append("急诊科")
        lon, lat = _point(rng, county, 0.05 if level == 3 else 0.12)
        records.append(
            OrgRecord(
                f"{county.code}-hosp-{i}",
                "hospital",
                name,
                county.code,
                fields=dict(
                    hospital_level=level,
                    hospital_grade=grade,
                    ownership=ownership,
                    beds=max(20, round(beds_total * share)),
                    departments=departments,
                    has_emergency_department="急诊科" in departments,
                    lon=lon,
                    lat=lat,
                    credit_code=codes.next(county.code, "12" if ownership == "public" else "52"),
                ),
            )
        )
    return records


def _primary_care(rng, codes, county: RegionInfo, scale: float) -> list[OrgRecord]:
    records = []
    for code, name in county.townships:
        is_street = name.endswith("街道")
        kind_type = "community_hc" if is_street else "township_hc"
        label = "社区卫生服务中心" if is_street else "卫生院"
        key = f"{code}-phc"
        records.append(
            OrgRecord(
                key,
                "primary_care",
                f"{county.name_zh}{name.removesuffix('街道').removesuffix('镇')}{label}",
                county.code,
                township=code,
                fields={
                    "primary_care_type": kind_type,
                    "beds": 0 if is_street else rng.randint(20, 80),
                    "credit_code": codes.next(county.code, "12"),
                },
            )
        )
        if not is_street:
            for v in range(max(1, round(ratios.VILLAGE_CLINICS_PER_TOWN * scale))):
                records.append(
                    OrgRecord(
                        f"{code}-vc-{v}",
                        "primary_care",
                        f"{name}第{v + 1}村卫生室",
                        county.code,
                        township=code,
                        parent_key=key,
                        fields={"primary_care_type": "village_clinic"},
                    )
                )
    return records


def _schools(rng, codes, county: RegionInfo, short: str, scale: float) -> list[OrgRecord]:
    records = []
    for stage, (per_1000, pupils) in ratios.SCHOOLS.items():
        for i in range(_count(rng, county.population / 1000 * per_1000 * scale)):
            code, township = rng.choice(county.townships)
            tier = ""
            if stage == "senior":
                tier = "省级示范校" if i == 0 or rng.random() < 0.2 else "非优质特色高中"
            records.append(
                OrgRecord(
                    f"{county.code}-{stage}-{i}",
                    "school",
                    f"{short}{township.removesuffix('街道').removesuffix('镇')}{STAGE_NAMES[stage]}"
                    + (f"{i + 1}校" if i else ""),
                    county.code,
                    township=code,
                    fields=dict(
                        school_stages=[stage],
                        school_tier=tier,
                        seats=max(60, round(pupils * rng.uniform(0.6, 1.2))),
                        ownership="private" if rng.random() < 0.12 else "public",
                        credit_code=codes.next(county.code, "12"),
                    ),
                )
            )
    return records


def _people(rng, fake, county: RegionInfo, orgs: list[OrgRecord], scale: float) -> list[PersonRecord]:
    local_orgs = [o.key for o in orgs if o.county == county.code and o.kind in ("hospital", "primary_care")]
    people, used = [], set()
    for _ in range(max(1, round(ratios.PEOPLE_PER_COUNTY * scale))):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 84))
        address = county.code
        old = OLD_ADDRESS_CODES.get(county.code)
        if old and birth < old[1] and rng.random() < 0.8:
            address = old[0]
        while True:
            number = make_resident_id(address, birth, rng.randrange(0, 1000))
            if number not in used:
                used.add(number)
                break
        order = int(number[14:17])
        name = fake.name_male() if order % 2 else fake.name_female()
        township = rng.choice(county.townships)[0] if county.townships else None
        people.append(
            PersonRecord(number, name, county.code, township, rng.choice(local_orgs) if local_orgs else None)
        )
    return people
