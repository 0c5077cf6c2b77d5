"""Synthetic demo EMS network for the eight county cities: a generated road network per county (the
network module's seeded generator), the townships as demand points (census-apportioned populations,
placed on the road network near a seeded point around the county seat since regions carry no township
coordinates), the county's secondary-or-above hospitals (linked to core organisations), stations at those
hospitals plus a few township health centres, and ambulances sized near the 1-per-30,000 reading. Every
row is marked synthetic."""

from __future__ import annotations

import random

import numpy as np
from django.db import transaction

from countybridge.core.models import Organisation, Region, RegionLevel

from . import services_network, travel
from .models import Ambulance, AmbulanceKind, DemandPoint, Hospital, RoadNetwork, Scenario, Station
from .network.synthetic import synthetic_county_network

BASELINE_NAME = "现状 (基线)"


def ems_demo_present() -> bool:
    return Scenario.objects.filter(is_synthetic=True).exists()


def ems_demo_reset() -> None:
    Scenario.objects.filter(is_synthetic=True).delete()
    RoadNetwork.objects.filter(is_synthetic=True, scenarios__isnull=True).delete()
    Hospital.objects.filter(is_synthetic=True).delete()
    DemandPoint.objects.filter(is_synthetic=True).delete()


def _near_node(rng: random.Random, graph, lon: float, lat: float, spread: float) -> tuple[float, float]:
    """A point about `spread` degrees from (lon, lat), moved onto the nearest road node (≤ ~100 m off)."""
    x, y = lon + rng.uniform(-spread, spread), lat + rng.uniform(-spread * 0.8, spread * 0.8)
    node, _km = travel.snap(graph, [x], [y])
    if node[0] < 0:  # outside the generated network's reach: the nearest node by plain distance
        d = (graph.lon - x) ** 2 + (graph.lat - y) ** 2
        k = int(np.nanargmin(d))
    else:
        k = int(node[0])
    return round(float(graph.lon[k]) + rng.uniform(-0.0008, 0.0008), 6), round(
        float(graph.lat[k]) + rng.uniform(-0.0008, 0.0008), 6
    )


def _county(county: Region, seed: int) -> dict[str, int]:
    rng = random.Random(f"{seed}:{county.code}")
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP, parent=county).order_by("code"))
    synthetic = synthetic_county_network(county.code, county.lon or 104.06, county.lat or 30.67, seed=seed,
                                         n_towns=max(6, len(townships)))  # fmt: skip
    graph = synthetic.network
    nodes, edges = services_network.network_lists(graph)
    network = services_network.network_save(
        actor=None, region=county, name=f"{county.name_zh}路网 (合成)", nodes=nodes, edges=edges,
        source=RoadNetwork.Source.GENERATED, make_baseline=False, is_synthetic=True,
    )  # fmt: skip
    # township seats of the generator, the county seat first: streets (街道) take the seats nearest the
    # centre, towns the rest; a seat is a road node, so every demand point is on the network
    seats = sorted(synthetic.towns[1:], key=lambda p: (p.lon - county.lon) ** 2 + (p.lat - county.lat) ** 2)
    streets = [t for t in townships if t.name_zh.endswith("街道")]
    towns = [t for t in townships if not t.name_zh.endswith("街道")]
    points = []
    for i, t in enumerate(streets + towns):
        street = t.name_zh.endswith("街道")
        if street or i >= len(seats):
            lon, lat = _near_node(rng, graph, county.lon, county.lat, 0.03 if street else 0.12)
        else:
            lon, lat = seats[i].lon, seats[i].lat
        points.append(DemandPoint(region=county, township=t, code=t.code, name=t.name_zh, kind=DemandPoint.Kind.TOWNSHIP,
                                  lon=round(lon, 6), lat=round(lat, 6), population=t.population_2020 or 10_000,
                                  urban=street, is_synthetic=True))  # fmt: skip
    DemandPoint.objects.bulk_create(points)
    hospitals = []
    orgs = Organisation.objects.filter(region=county, kind="hospital", hospital_level__gte=2).order_by("name")
    for i, org in enumerate(orgs):
        lon, lat = _near_node(rng, graph, org.lon or county.lon, org.lat or county.lat, 0.01)
        hospitals.append(Hospital.objects.create(
            region=county, organisation=org, code=f"H{i + 1:02d}", name=org.name, level=org.hospital_level,
            has_emergency_department=org.has_emergency_department or org.hospital_level >= 2,
            lon=lon, lat=lat, is_synthetic=True,
        ))  # fmt: skip
    if not hospitals:  # regions without the core demo: a county people's hospital
        lon, lat = _near_node(rng, graph, county.lon, county.lat, 0.01)
        hospitals.append(Hospital.objects.create(region=county, code="H01", name=f"{county.name_zh}人民医院",
                                                 level=2, lon=lon, lat=lat, is_synthetic=True))  # fmt: skip
    scenario = Scenario.objects.create(region=county, name=BASELINE_NAME, network=network, is_baseline=True,
                                       note="合成演示数据 synthetic demo", is_synthetic=True)  # fmt: skip
    population = county.population_2020 or sum(p.population for p in points)
    fleet = max(len(hospitals) + 2, round(population / 30_000 * rng.uniform(0.7, 1.05)))
    sites = [(h.name + "急救站", h.lon, h.lat, True, h) for h in hospitals]
    towns = [p for p in points if not p.urban]
    rng.shuffle(towns)
    for p in towns[: max(2, round(population / 120_000))]:
        sites.append((p.name + "卫生院急救点", p.lon, p.lat, False, None))
    counts = [1] * len(sites)
    for k in range(fleet - len(sites)):
        counts[k % min(len(sites), len(hospitals) + 1)] += 1
    negative_share = rng.uniform(0.2, 0.45)
    ambulances = 0
    for i, ((name, lon, lat, urban, hospital), count) in enumerate(zip(sites, counts, strict=True)):
        station = Station.objects.create(scenario=scenario, region=county, code=f"S{i + 1:02d}", name=name,
                                         lon=lon, lat=lat, urban=urban, crews=count, hospital=hospital)  # fmt: skip
        kinds = [
            AmbulanceKind.NEGATIVE_PRESSURE if rng.random() < negative_share
            else (AmbulanceKind.ADVANCED if rng.random() < 0.3 else AmbulanceKind.BASIC)
            for _ in range(count)
        ]  # fmt: skip
        Ambulance.objects.bulk_create(
            Ambulance(station=station, region=county, code=f"{county.code}-S{i + 1:02d}-{k + 1}", kind=kind)
            for k, kind in enumerate(kinds)
        )
        ambulances += count
    return {"nodes": len(nodes), "edges": len(edges), "demand_points": len(points), "hospitals": len(hospitals),
            "stations": len(sites), "ambulances": ambulances}  # fmt: skip


@transaction.atomic
def ems_demo_load(*, seed: int = 20251127, reset: bool = False, codes: list[str] | None = None) -> dict:
    """Idempotent: does nothing when synthetic EMS scenarios exist (unless `reset`). Returns counts."""
    if reset:
        ems_demo_reset()
    if ems_demo_present():
        return {"counties": 0}
    counties = Region.objects.filter(level=RegionLevel.COUNTY, is_county_city=True, successor__isnull=True)
    if codes:
        counties = counties.filter(code__in=codes)
    totals: dict[str, int] = {"counties": 0}
    for county in counties.order_by("code"):
        for key, value in _county(county, seed).items():
            totals[key] = totals.get(key, 0) + value
        totals["counties"] += 1
    return totals
