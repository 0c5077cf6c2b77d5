"""Simulation parameters with the defaults of facts/ems.md § 6 (each cited there; ◐ derived, ⚠ assumed).

| interval | default | source |
|---|---|---|
| call processing (call → order) | lognormal μ 0.655, σ 0.48 (mean 2.16, sd 1.10 min) | S18 ◐ |
| dispatch (ambulance chosen → crew has the order) | 0 (part of call processing in S18) ⚠ | — |
| turnout (order → rolling) | lognormal median 2.4 min, σ 0.5 (P > 3 min ≈ 33%) | S19 ◐ |
| travel to scene / to hospital / back | network minutes × 1.17 in peak hours (07–09, 17–19 ⚠) | S39 ◐ |
| on scene | lognormal μ 2.387, σ 0.465 (mean 12.12, sd 5.96 min) | S18 ◐ |
| hospital handover | lognormal median 12 min, σ 0.5 ⚠, capped at 45 | S35 ⚠ |
| run with no patient | 0.15 | S26, S27, S30 ◐ |
| transported, given a patient | 0.85 | S32 ⚠ |
| hourly call profile | trough 04–06, plateau 08–22, peaks 16–18 and 20–22, peak:trough ≈ 5:1 | S18, S25 ✅/◐ |
| workday factor | 1.1 × a weekend day's rate, yearly total unchanged; day 0 of a run is a Monday | S28 ✅ |

Published Chinese interval means to check against (8 cities, 2008, S18 ✅): dispatch 2.16 ± 1.10, arrival at
scene 14.01 ± 6.82, on scene 12.12 ± 5.96, return (read as scene → hospital) 14.08 ± 6.85, whole run
42.34 ± 20.21 min.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .distributions import Constant, Distribution, Exponential, Lognormal

# Share of daily calls per hour 00..23 (%). Shape from S25 (Guangzhou: 11.8% in 16–18, 2.4% in 04–06) and
# S18 (8 cities: peak 20–22, trough 04–06); hours in between interpolated ◐.
HOURLY_PROFILE_PCT: tuple[float, ...] = (
    3.0, 2.4, 1.9, 1.5, 1.2, 1.2, 1.8, 3.0, 4.5, 4.8, 5.0, 5.0,
    4.7, 4.6, 4.8, 5.2, 5.9, 5.9, 5.4, 5.3, 5.6, 5.5, 4.6, 3.8,
)  # fmt: skip

PUBLISHED_INTERVALS_MIN = {  # S18, mean and sd in minutes
    "call_processing": (2.16, 1.10),
    "arrival_at_scene": (14.01, 6.82),
    "on_scene": (12.12, 5.96),
    "to_hospital": (14.08, 6.85),
    "whole_run": (42.34, 20.21),
}

DISPATCHES_PER_1000_PER_YEAR = 15.0  # facts § 6 (sensitivity 10–25)


@dataclass(frozen=True)
class SimulationConfig:
    """Every interval is a distribution in minutes; replace any field (``dataclasses.replace``)."""

    call_processing: Distribution = Lognormal(0.655, 0.48)
    dispatch: Distribution = Constant(0.0)  # S18's dispatch interval is already in call_processing
    turnout: Distribution = Lognormal(math.log(2.4), 0.5)
    on_scene: Distribution = Lognormal(2.387, 0.465)
    handover: Distribution = Lognormal(math.log(12.0), 0.5, cap=45.0)
    travel_factor: float = 1.0  # multiplies every network time
    peak_travel_factor: float = 1.17
    peak_hours: tuple[int, ...] = (7, 8, 17, 18)
    travel_noise_sigma: float = 0.0  # mean-one lognormal noise on each travel leg (0 = deterministic)
    no_patient_share: float = 0.15
    transport_share: float = 0.85  # given a patient
    hourly_profile: tuple[float, ...] = HOURLY_PROFILE_PCT
    workday_factor: float = 1.1  # Mon–Fri rate relative to Sat/Sun (normalised: the weekly total is kept)
    call_categories: dict[str, tuple[float, str]] = field(
        default_factory=lambda: {"general": (1.0, "general")}
    )
    # category -> (share of calls, hospital capability required)
    days: float = 365.0
    warmup_days: float = 2.0
    replications: int = 10
    seed: int = 0
    confidence: float = 0.95


def erlang_c_config(service_mean: float, days: float, replications: int, seed: int = 0) -> SimulationConfig:
    """M/M/c setting: flat arrivals, zero processing/turnout/travel/handover, exponential on-scene service,
    no transport. With zero travel matrices the simulation is an M/M/c queue (used to test it)."""
    return SimulationConfig(
        call_processing=Constant(0.0),
        turnout=Constant(0.0),
        on_scene=Exponential(service_mean),
        handover=Constant(0.0),
        peak_travel_factor=1.0,
        no_patient_share=0.0,
        transport_share=0.0,
        hourly_profile=(1.0,) * 24,
        workday_factor=1.0,
        days=days,
        warmup_days=min(1.0, days / 10),
        replications=replications,
        seed=seed,
    )
