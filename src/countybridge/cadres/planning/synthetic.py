"""A seeded synthetic exchange round (cadres and posts) for tests and the benchmark. Pure and reproducible:
the same arguments give the same round. Regions are Chengdu's county cities and urban districts; the post
structure (a leadership team per place, bureaus with a chief and deputies, municipal departments) is
invented to the right shape, not taken from any real establishment list."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from countybridge.core.regions_data import DIVISIONS

from .model import KINSHIP, Cadre, CurrentPost, Position, add_months

CITY_CODE = "510100"
COUNTY_CITIES = tuple(d[0] for d in DIVISIONS if d[5])
DISTRICTS = tuple(d[0] for d in DIVISIONS if not d[5])
FIELDS = ("grassroots", "industry", "finance", "law", "agriculture", "urban", "education", "health",
          "party_affairs", "economy", "technology")  # fmt: skip
# bureau name, function, the fields it looks for
BUREAUS = (
    ("财政局", "finance", ("finance", "economy")),
    ("审计局", "audit", ("finance", "law")),
    ("发展和改革局", "planning", ("economy", "industry")),
    ("经济和信息化局", "industry", ("industry", "technology")),
    ("农业农村局", "agriculture", ("agriculture", "grassroots")),
    ("教育局", "education", ("education",)),
    ("卫生健康局", "health", ("health",)),
    ("人力资源和社会保障局", "personnel", ("party_affairs", "economy")),
    ("住房和城乡建设局", "general", ("urban",)),
    ("商务局", "industry", ("industry", "economy")),
    ("司法局", "general", ("law",)),
    ("应急管理局", "general", ("grassroots", "law")),
)
LEADERSHIP = (  # key, unit, function, chief?, level, in team?, reports to
    ("sj", "党委", "party_committee", True, "处级正职", True, None),
    ("zz", "政府", "government", True, "处级正职", True, None),
    ("fsj", "党委", "party_committee", False, "处级副职", True, "sj"),
    ("fz1", "政府", "government", False, "处级副职", True, "zz"),
    ("fz2", "政府", "government", False, "处级副职", True, "zz"),
    ("fz3", "政府", "government", False, "处级副职", True, "zz"),
    ("jw", "纪委监委", "discipline", True, "处级副职", True, "sj"),
    ("zzb", "组织部", "organisation", True, "处级副职", True, "sj"),
    ("gaj", "公安局", "public_security", True, "处级副职", True, "fz1"),
    ("fy", "法院", "court", True, "处级副职", False, None),
    ("jcy", "检察院", "procuratorate", True, "处级副职", False, None),
)
AGE_RANGE = {"科级副职": (28, 50), "科级正职": (32, 54), "处级副职": (36, 56), "处级正职": (40, 58)}
GRADES = (("优秀", 0.2), ("称职", 0.72), ("基本称职", 0.06), ("不称职", 0.02))


@dataclass(frozen=True)
class SyntheticRound:
    cadres: tuple[Cadre, ...]
    positions: tuple[Position, ...]
    as_of: dt.date

    @property
    def open_positions(self) -> int:
        return sum(1 for p in self.positions if p.open)


def _leadership(region: str, unit_type: str) -> list[Position]:
    out = []
    for key, unit, function, chief, level, in_team, up in LEADERSHIP:
        out.append(Position(f"{region}-{key}", f"{region}-{unit}", unit_type, region, level, chief, function,
                            f"{region}-班子" if in_team else None, f"{region}-{up}" if up else None,
                            title=f"{region} {unit} {key}"))  # fmt: skip
    return out


def _bureau(region: str, unit_type: str, k: int, rng: random.Random) -> list[Position]:
    name, function, _ = BUREAUS[k % len(BUREAUS)]
    unit = f"{region}-{name}" + (f"{k // len(BUREAUS) + 1}" if k >= len(BUREAUS) else "")
    team = f"{unit}-班子"
    municipal = unit_type == "municipal"
    top, deputy = ("处级正职", "处级副职") if municipal else ("科级正职", "科级副职")
    chief_up = None if municipal else f"{region}-fz{rng.randint(1, 3)}"
    out = [
        Position(
            f"{unit}-zz", unit, unit_type, region, top, True, function, team, chief_up, title=f"{unit} 正职"
        )
    ]
    for i in (1, 2):
        out.append(Position(f"{unit}-fz{i}", unit, unit_type, region, deputy, False, function, team, f"{unit}-zz",
                            title=f"{unit} 副职{i}"))  # fmt: skip
    if municipal:
        for i in (1, 2):
            out.append(Position(f"{unit}-cz{i}", unit, unit_type, region, "科级正职", True, function, None,
                                f"{unit}-fz{i}", title=f"{unit} 处室{i}"))  # fmt: skip
    return out


def _seats(target: int, rng: random.Random, min_regions: int = 2) -> list[Position]:
    n_regions = max(min_regions, min(20, round(0.4 * target / len(LEADERSHIP))))
    counties, districts = list(COUNTY_CITIES), list(DISTRICTS)
    places = []
    for i in range(n_regions):  # alternate county cities and urban districts
        if (i % 2 == 0 and counties) or not districts:
            places.append((counties.pop(0), "county"))
        else:
            places.append((districts.pop(0), "district"))
    seats = [p for region, kind in places for p in _leadership(region, kind)]
    hosts = places + [(CITY_CODE, "municipal")] * 2  # municipal departments: about a third of the bureaus
    made: dict[str, int] = {}
    k = 0
    while len(seats) < target:
        region, kind = hosts[k % len(hosts)]
        seats.extend(_bureau(region, kind, made.get(region, 0), rng))
        made[region] = made.get(region, 0) + 1
        k += 1
    return seats


def _cadre(i: int, seat: Position, as_of: dt.date, rng: random.Random, regions: list[str]) -> Cadre:
    low, high = AGE_RANGE.get(seat.level, (30, 55))
    age = rng.uniform(low, high)
    birth = as_of - dt.timedelta(days=int(age * 365.25))
    work_start = add_months(birth, rng.randint(22 * 12, 25 * 12))
    worked = (as_of - work_start).days / 365.25
    r = rng.random()
    in_post = (
        rng.uniform(0, 3)
        if r < 0.25
        else rng.uniform(3, 7)
        if r < 0.75
        else rng.uniform(7, 10)
        if r < 0.93
        else rng.uniform(10, 13.5)
    )
    in_post = min(in_post, worked - 0.5)
    since = as_of - dt.timedelta(days=int(in_post * 365.25))
    grassroots = round(rng.uniform(1, 15) if seat.unit_type == "county" else rng.uniform(0, 8), 1)
    bureau_fields = next((f for name, _, f in BUREAUS if name in seat.unit), ())
    fields = set(rng.sample(FIELDS, rng.randint(1, 2))) | set(
        rng.sample(bureau_fields, min(1, len(bureau_fields)))
    )
    if grassroots >= 3:
        fields.add("grassroots")
    home = seat.region if seat.unit_type == "county" and rng.random() < 0.5 else rng.choice(regions)
    return Cadre(
        id=f"C{i:05d}",
        birth_date=birth,
        home_region=home,
        work_start=work_start,
        grassroots_years=grassroots,
        fields=frozenset(fields),
        post=CurrentPost(seat.id, since, 1 if in_post < 5 else 2),
        level=seat.level,
        years_at_level=round(min(in_post + rng.uniform(0, 5), worked), 1),
        years_one_level_down=round(rng.uniform(1, 8), 1),
        posts_at_level=1 + (rng.random() < 0.45) + (rng.random() < 0.15),
        posts_one_level_down=rng.randint(1, 3),
        assessments=tuple(rng.choices([g for g, _ in GRADES], [w for _, w in GRADES], k=3)),
        training_hours=round(rng.uniform(20, 200)),
    )


def generate_round(
    n_cadres: int = 200,
    n_open: int = 60,
    *,
    seed: int = 0,
    as_of: dt.date = dt.date(2025, 3, 1),
    relative_share: float = 0.03,
    min_regions: int = 2,
) -> SyntheticRound:
    """`n_cadres` cadres in their current posts and `n_open` posts offered (half vacant, half held by a cadre
    of the round), with about `relative_share` of cadres declaring a relative who is also in the round.
    `min_regions` (county cities and districts alternate) lets a demo include every county city."""
    rng = random.Random(seed)
    n_vacant = n_open // 2
    seats = _seats(n_cadres + n_vacant, rng, min_regions)
    regions = sorted({p.region for p in seats if p.region != CITY_CODE})
    order = list(range(len(seats)))
    rng.shuffle(order)
    held = sorted(order[:n_cadres])
    cadres = [_cadre(i + 1, seats[s], as_of, rng, regions) for i, s in enumerate(held)]
    vacant = set(order[n_cadres:])
    movable = [k for k, c in enumerate(cadres) if (as_of - c.post.since).days > 3 * 365.25]
    offered_held = {
        held[k] for k in rng.sample(movable, min(len(movable), n_open - min(n_open, len(vacant))))
    }
    open_ids = set(list(sorted(vacant))[: n_open - len(offered_held)]) | offered_held
    positions = []
    for s, seat in enumerate(seats):
        if s in open_ids:
            wanted = next((f for name, _, f in BUREAUS if name in seat.unit), ("grassroots", "party_affairs"))
            required = {rng.choice(wanted)} if rng.random() < 0.25 else set()
            preferred = set(wanted) | {rng.choice(FIELDS)}
            seat = replace(
                seat, open=True, required_fields=frozenset(required), preferred_fields=frozenset(preferred)
            )
        positions.append(seat)
    by_id = {c.id: c for c in cadres}
    unit_of = {p.id: p.unit for p in positions}
    listed = [k for k, (cls, _, _) in KINSHIP.items() if cls != "other"]
    others = [k for k, (cls, _, _) in KINSHIP.items() if cls == "other"]
    relatives: dict[str, list[tuple[str, str]]] = {}
    ids = sorted(by_id)
    for _ in range(round(n_cadres * relative_share / 2)):
        a, b = rng.sample(ids, 2)
        if unit_of[by_id[a].post.position_id] == unit_of[by_id[b].post.position_id]:
            continue  # no one already serves beside a relative in the synthetic round
        kinship = rng.choice(listed) if rng.random() < 0.85 else rng.choice(others)
        relatives.setdefault(a, []).append((b, kinship))
    cadres = [replace(c, relatives=tuple(relatives.get(c.id, ()))) for c in cadres]
    return SyntheticRound(tuple(cadres), tuple(positions), as_of)
