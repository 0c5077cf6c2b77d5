"""Synthetic county road networks for the demo: seeded, connected, terrain-shaped."""

import numpy as np
import pytest

from countybridge.ems.network import (
    COUNTY_TERRAIN,
    NetworkError,
    snap_points,
    synthetic_county_network,
    travel_time_matrix,
)
from countybridge.ems.network.synthetic import MOUNTAIN, MOUNTAIN_COUNTIES, PLAIN

CENTRES = {  # facts/chengdu.md § 5 (GCJ-02), as core.Region would pass them
    "510181": (103.6466, 30.9884),
    "510182": (103.9581, 30.9902),
    "510129": (103.5207, 30.5876),
    "510184": (103.6729, 30.6302),
    "510183": (103.4644, 30.4103),
    "510131": (103.5063, 30.1968),
    "510121": (104.4121, 30.8620),
    "510185": (104.5472, 30.4115),
}


@pytest.mark.parametrize("code", sorted(CENTRES))
def test_each_county_network_is_connected_seeded_and_snappable(code):
    a = synthetic_county_network(code, *CENTRES[code], seed=5)
    b = synthetic_county_network(code, *CENTRES[code], seed=5)
    c = synthetic_county_network(code, *CENTRES[code], seed=6)
    assert a.network.content_hash == b.network.content_hash != c.network.content_hash
    a.network.validate_connected()
    assert {"expressway", "county", "urban"} <= set(a.network.edge_class)
    times = travel_time_matrix(a.network, [0], None)[0]
    assert np.isfinite(times).all() and 5 < np.median(times) < 90
    points = a.demand_points(40, seed=1)
    assert len(points) == 40 and all(p.name.startswith(f"{code}-D") for p in points)
    assert (snap_points(a.network, a.towns + points, 100).node >= 0).all()


@pytest.mark.parametrize("code", MOUNTAIN_COUNTIES)
def test_mountain_zones_are_sparser_and_slower(code):
    s = synthetic_county_network(code, *CENTRES[code], seed=2)
    net = s.network
    # node density: nodes per share of area (zone shares come from the terrain profile)
    prof = COUNTY_TERRAIN[code]
    plain_share = 1 - prof.mountain_share - prof.hill_share
    dens_m = (s.zone == MOUNTAIN).sum() / prof.mountain_share
    dens_p = (s.zone == PLAIN).sum() / plain_share
    assert dens_m < 0.5 * dens_p
    edge_zone = np.maximum(s.zone[net.edge_u], s.zone[net.edge_v])
    minutes_per_km = 60.0 / net.edge_speed_kmh
    w = net.edge_length_m
    slow_m = np.average(minutes_per_km[edge_zone == MOUNTAIN], weights=w[edge_zone == MOUNTAIN])
    slow_p = np.average(minutes_per_km[edge_zone == PLAIN], weights=w[edge_zone == PLAIN])
    assert slow_m > 1.3 * slow_p


def test_mountain_counties_have_more_mountain_than_hilly_ones():
    share = {
        code: (synthetic_county_network(code, *CENTRES[code], seed=3).zone == MOUNTAIN).mean()
        for code in CENTRES
    }
    assert min(share[c] for c in ("510181", "510182", "510129")) > max(
        share[c] for c in ("510121", "510185", "510131")
    )


def test_unknown_county_needs_a_profile():
    with pytest.raises(ValueError):
        synthetic_county_network("510104", 104.08, 30.65)


def test_network_error_is_not_raised_for_default_profiles():
    for code, (lon, lat) in CENTRES.items():
        for seed in range(3):
            try:
                synthetic_county_network(code, lon, lat, seed=seed)
            except NetworkError as exc:  # pragma: no cover - the assertion message names it
                pytest.fail(f"{code} seed {seed}: {exc}")
