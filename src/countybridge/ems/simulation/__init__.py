"""EMS dispatch simulation (SimPy; pure library, no Django).

Interface:

- Inputs: `DemandPoint(id, county, calls_per_year, lon, lat)`, `Station(id, county, ambulances, ...)`,
  `Hospital(id, capabilities, ...)`; `inputs_from_network(network, demand, stations, hospitals,
  max_snap_m)` snaps them and builds the travel-time matrices, or build `SimulationInputs` from matrices.
  ``SimulationInputs.history`` replays recorded calls [(minute, demand id)] instead of drawing them.
- Parameters: `SimulationConfig` (defaults from facts/ems.md § 6; `Lognormal`, `Exponential`, `Constant`
  intervals; hourly call profile; days, warm-up, replications, seed).
- Run: `simulate(inputs, config)` → `SimulationResult` with per-county `GroupResult`s (calls, mean and
  90th-percentile response, ambulance utilisation, calls that waited and their share, mean wait — each an
  `Estimate(mean, low, high)` over replications) and ``overall``; `.to_dict()` for storage.
- Errors: `SimulationError` (same shape as `NetworkError`: problems with code/place/message_zh/message_en).
- Theory check: `erlang_c(c, λ, 1/μ)`; `erlang_c_config(...)` turns the model into an M/M/c queue.
"""

from .config import (
    DISPATCHES_PER_1000_PER_YEAR,
    HOURLY_PROFILE_PCT,
    PUBLISHED_INTERVALS_MIN,
    SimulationConfig,
    erlang_c_config,
)
from .distributions import Constant, Exponential, Lognormal
from .engine import Estimate, GroupResult, Replication, SimulationResult, erlang_c, simulate
from .model import DemandPoint, Hospital, SimulationError, SimulationInputs, Station, inputs_from_network

__all__ = [
    "DISPATCHES_PER_1000_PER_YEAR",
    "HOURLY_PROFILE_PCT",
    "PUBLISHED_INTERVALS_MIN",
    "Constant",
    "DemandPoint",
    "Estimate",
    "Exponential",
    "GroupResult",
    "Hospital",
    "Lognormal",
    "Replication",
    "SimulationConfig",
    "SimulationError",
    "SimulationInputs",
    "SimulationResult",
    "Station",
    "erlang_c",
    "erlang_c_config",
    "inputs_from_network",
    "simulate",
]
