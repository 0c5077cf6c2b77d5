"""A tiny hand-checkable road network: three nodes on a line in 大邑 (and a copy in 简阳).

A —4.5 km— B —9 km— C, all county roads at 45 km/h: A→B 6 min, A→C 18 min. Demand points sit on the
nodes (no off-road leg). With the default settings the pre-travel time is 0.5 + 2.16 + 2.72 = 5.38 min
and travel is multiplied by the peak factor 1.17."""

import pytest

DAYI, JIANYANG = "510129", "510185"
NODES = [["A", 103.50, 30.50], ["B", 103.55, 30.50], ["C", 103.60, 30.50]]
EDGES = [["A", "B", 4500.0, "county", False], ["B", "C", 9000.0, "county", False]]


def _network(code, region):
    from countybridge.ems import services_network
    from countybridge.ems.models import DemandPoint, Hospital, Scenario, Station

    county = region(code)
    shift = 0.0 if code == DAYI else 0.9  # 简阳's copy lies further east
    nodes = [[f"{n[0]}", n[1] + shift, n[2]] for n in NODES]
    network = services_network.network_save(actor=None, region=county, name="test roads", nodes=nodes, edges=EDGES,
                                            make_baseline=False)  # fmt: skip
    for i, (name, pop, node) in enumerate(
        [("甲镇", 100, nodes[0]), ("乙镇", 300, nodes[1]), ("丙镇", 600, nodes[2])]
    ):
        DemandPoint.objects.create(
            region=county, code=f"D{i}", name=name, lon=node[1], lat=node[2], population=pop
        )
    Hospital.objects.create(
        region=county, code="H1", name="县人民医院", level=2, lon=nodes[1][1], lat=nodes[1][2]
    )
    scenario = Scenario.objects.create(region=county, name="基线", network=network, is_baseline=True)
    station = Station.objects.create(scenario=scenario, region=county, code="S01", name="一站", lon=nodes[0][1],
                                     lat=nodes[0][2])  # fmt: skip
    from countybridge.ems.models import Ambulance

    Ambulance.objects.create(station=station, region=county, code="A1", kind="negative_pressure")
    Ambulance.objects.create(station=station, region=county, code="A2", kind="basic")
    return scenario


@pytest.fixture
def dayi(db, region):
    return _network(DAYI, region)


@pytest.fixture
def jianyang(db, region):
    return _network(JIANYANG, region)


@pytest.fixture
def health_officer(make_user):
    return make_user("department_officer", domain="health")


@pytest.fixture
def dayi_officer(make_user):
    return make_user("county_officer", county=DAYI)
