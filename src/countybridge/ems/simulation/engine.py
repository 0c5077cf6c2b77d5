"""SimPy discrete-event dispatch simulation.

Per call: call processing → (wait in a FIFO queue while no ambulance is free) → the nearest AVAILABLE
ambulance by travel time is chosen → dispatch (order reaches the crew) → turnout → travel to scene (= response complete) → on scene → either
back to its station (no patient / not transported) or to the nearest suitable hospital → handover → back to
its station, where it is free again and takes the oldest queued call it can reach.

Response time = call received → arrival at scene (processing + queue wait + dispatch + turnout + travel). Every random
draw of a replication comes from one ``numpy.random.Generator`` seeded with (seed, replication): the same
seed gives the same numbers.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import asdict, dataclass, field

import numpy as np
import simpy
from scipy import stats

from .config import SimulationConfig
from .model import SimulationError, SimulationInputs, problem

MIN_PER_DAY = 1440.0


@dataclass
class Estimate:
    """Mean over replications and its confidence interval (t-based; NaN bounds with one replication)."""

    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, values, confidence: float) -> Estimate:
        x = np.asarray(values, dtype=float)
        x = x[np.isfinite(x)]
        if len(x) == 0:
            return cls(math.nan, math.nan, math.nan)
        m = float(x.mean())
        if len(x) < 2:
            return cls(m, math.nan, math.nan)
        half = float(stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
        return cls(m, m - half, m + half)


@dataclass
class GroupResult:
    """Results for one county (or ``"all"``); every figure is an `Estimate` over replications."""

    county: str
    ambulances: int
    calls: Estimate
    response_mean_min: Estimate
    response_p90_min: Estimate
    utilisation: Estimate
    waited_calls: Estimate
    waited_share: Estimate
    wait_mean_min: Estimate


@dataclass
class Replication:
    """Per-call arrays of one replication (calls arriving after the warm-up and before the horizon)."""

    county: np.ndarray
    arrival_min: np.ndarray
    response_min: np.ndarray
    wait_min: np.ndarray
    intervals: dict[str, np.ndarray]
    busy_share: np.ndarray  # per ambulance
    amb_county: np.ndarray


@dataclass
class SimulationResult:
    counties: dict[str, GroupResult]
    overall: GroupResult
    intervals: dict[str, tuple[float, float]]  # name -> (mean, sd) pooled over replications
    replications: list[Replication] = field(repr=False)
    network_hash: str = ""

    def to_dict(self) -> dict:
        """JSON-ready summary (no per-call arrays)."""
        return {
            "counties": {k: asdict(v) for k, v in self.counties.items()},
            "overall": asdict(self.overall),
            "intervals": {k: {"mean": m, "sd": s} for k, (m, s) in self.intervals.items()},
            "replications": len(self.replications),
            "network_hash": self.network_hash,
        }


INTERVALS = (
    "call_processing",
    "dispatch",
    "wait",
    "turnout",
    "arrival_at_scene",
    "on_scene",
    "to_hospital",
    "handover",
    "return",
    "whole_run",
)


def _draw_calls(inputs: SimulationInputs, cfg: SimulationConfig, rng: np.random.Generator):
    horizon = cfg.days * MIN_PER_DAY
    if inputs.history is not None:
        index = {d.id: j for j, d in enumerate(inputs.demand)}
        times, where = [], []
        for k, (t, d) in enumerate(inputs.history):
            j = index.get(d) if isinstance(d, str) else int(d)
            if j is None or not (0 <= j < len(inputs.demand)) or not np.isfinite(float(t)) or float(t) < 0:
                raise SimulationError(
                    [
                        problem(
                            "bad_input",
                            f"history row {k + 1}",
                            f"呼叫记录无效（{t}, {d}）",
                            f"invalid call record ({t}, {d})",
                            d,
                        )
                    ]
                )
            times.append(float(t))
            where.append(j)
        order = np.argsort(times, kind="stable")
        t = np.asarray(times)[order]
        d = np.asarray(where, dtype=np.int64)[order]
        keep = t < horizon
        t, d = t[keep], d[keep]
    else:
        rates = np.array([p.calls_per_year for p in inputs.demand], dtype=float)
        total = rates.sum()
        profile = np.asarray(cfg.hourly_profile, dtype=float)
        profile = profile / profile.mean()
        n_hours = int(math.ceil(cfg.days * 24))
        hours = np.arange(n_hours)
        w = float(cfg.workday_factor)
        week = np.where((hours // 24) % 7 < 5, w, 1.0) / ((5 * w + 2) / 7)  # day 0 is a Monday
        lam = total / (365.0 * 24.0) * profile[hours % 24] * week
        counts = rng.poisson(lam)
        t = np.repeat(np.arange(n_hours) * 60.0, counts) + rng.random(int(counts.sum())) * 60.0
        t.sort()
        t = t[t < horizon]
        d = rng.choice(len(rates), size=len(t), p=rates / total) if total > 0 else np.zeros(0, dtype=np.int64)
    n = len(t)
    cats = list(cfg.call_categories)
    shares = np.array([cfg.call_categories[c][0] for c in cats], dtype=float)
    cat = rng.choice(len(cats), size=n, p=shares / shares.sum())
    draws = {
        "call_processing": cfg.call_processing.sample(rng, n),
        "turnout": cfg.turnout.sample(rng, n),
        "on_scene": cfg.on_scene.sample(rng, n),
        "handover": cfg.handover.sample(rng, n),
        "u_patient": rng.random(n),
        "u_transport": rng.random(n),
    }
    s = cfg.travel_noise_sigma
    noise = rng.lognormal(-(s**2) / 2, s, (3, n)) if s > 0 else np.ones((3, n))
    draws["dispatch"] = cfg.dispatch.sample(rng, n)  # drawn last: earlier streams stay as they were
    return t, d, cat, draws, noise


class _Run:
    def __init__(self, inputs: SimulationInputs, cfg: SimulationConfig, rng: np.random.Generator):
        self.inputs, self.cfg = inputs, cfg
        counts = np.array([s.ambulances for s in inputs.stations], dtype=np.int64)
        self.amb_station = np.repeat(np.arange(len(counts)), counts)
        self.amb_county = np.array([inputs.stations[s].county for s in self.amb_station], dtype=object)
        self.to_scene = inputs.station_to_demand[self.amb_station]  # ambulances × demand
        self.available = np.ones(len(self.amb_station), dtype=bool)
        self.busy_since = np.zeros(len(self.amb_station))
        self.busy = np.zeros(len(self.amb_station))
        self.queue: deque = deque()
        self.window = (cfg.warmup_days * MIN_PER_DAY, cfg.days * MIN_PER_DAY)
        self.peak = np.zeros(24, dtype=bool)
        self.peak[list(cfg.peak_hours)] = True
        # nearest suitable hospital per (category, demand point)
        D = len(inputs.demand)
        self.hospital = np.zeros((len(cfg.call_categories), D), dtype=np.int64)
        for c, (_share, capability) in enumerate(cfg.call_categories.values()):
            ok = np.array([capability in h.capabilities for h in inputs.hospitals], dtype=bool)
            m = np.where(ok[None, :], inputs.demand_to_hospital, np.inf)
            self.hospital[c] = np.argmin(m, axis=1) if m.shape[1] else 0
        self.t, self.d, self.cat, self.draws, self.noise = _draw_calls(inputs, cfg, rng)
        n = len(self.t)
        self.rec = {k: np.full(n, np.nan) for k in INTERVALS}
        self.response = np.full(n, np.nan)
        self.env = simpy.Environment()

    def factor(self, at: float, leg: int, i: int) -> float:
        hour = int(at // 60) % 24
        peak = self.cfg.peak_travel_factor if self.peak[hour] else 1.0
        return self.cfg.travel_factor * peak * self.noise[leg, i]

    def source(self):
        env = self.env
        for i, at in enumerate(self.t):
            if at > env.now:
                yield env.timeout(at - env.now)
            env.process(self.call(i))

    def pick(self, d: int) -> int | None:
        times = np.where(self.available, self.to_scene[:, d], np.inf)
        a = int(np.argmin(times))
        return a if np.isfinite(times[a]) else None

    def call(self, i: int):
        env, dr, d = self.env, self.draws, int(self.d[i])
        t0 = env.now
        yield env.timeout(dr["call_processing"][i])
        t_order = env.now
        a = self.pick(d)
        if a is None:
            ev = env.event()
            self.queue.append((d, ev))
            a = yield ev
        self.available[a] = False
        self.busy_since[a] = env.now
        wait = env.now - t_order
        s = self.amb_station[a]
        turnout = dr["dispatch"][i] + dr["turnout"][i]
        travel = self.to_scene[a, d] * self.factor(env.now + turnout, 0, i)
        yield env.timeout(turnout + travel)
        self.response[i] = env.now - t0
        # the rest of the job is one timeout (fewer events); each leg's peak factor uses its own start time
        rec = self.rec
        at = env.now + dr["on_scene"][i]
        if dr["u_patient"][i] < self.cfg.no_patient_share or dr["u_transport"][i] >= self.cfg.transport_share:
            back = self.inputs.demand_to_station[d, s] * self.factor(at, 2, i)
        else:
            h = self.hospital[self.cat[i], d]
            leg = self.inputs.demand_to_hospital[d, h] * self.factor(at, 1, i)
            rec["to_hospital"][i] = leg
            rec["handover"][i] = dr["handover"][i]
            at += leg + dr["handover"][i]
            back = self.inputs.hospital_to_station[h, s] * self.factor(at, 2, i)
        yield env.timeout(at + back - env.now)
        rec["call_processing"][i] = dr["call_processing"][i]
        rec["wait"][i] = wait
        rec["dispatch"][i] = dr["dispatch"][i]
        rec["turnout"][i] = dr["turnout"][i]
        rec["arrival_at_scene"][i] = travel
        rec["on_scene"][i] = dr["on_scene"][i]
        rec["return"][i] = back
        rec["whole_run"][i] = env.now - t0
        self.release(a)

    def release(self, a: int) -> None:
        lo, hi = self.window
        self.busy[a] += max(0.0, min(self.env.now, hi) - max(self.busy_since[a], lo))
        for k, (d, ev) in enumerate(self.queue):
            if np.isfinite(self.to_scene[a, d]):  # the oldest queued call this ambulance can reach
                del self.queue[k]
                self.busy_since[a] = self.env.now
                ev.succeed(a)
                return
        self.available[a] = True

    def run(self) -> Replication:
        self.env.process(self.source())
        self.env.run()
        lo, hi = self.window
        keep = (self.t >= lo) & (self.t < hi)
        county = np.array([p.county for p in self.inputs.demand], dtype=object)[self.d[keep]]
        return Replication(
            county=county,
            arrival_min=self.t[keep],
            response_min=self.response[keep],
            wait_min=self.rec["wait"][keep],
            intervals={k: v[keep] for k, v in self.rec.items()},
            busy_share=self.busy / max(hi - lo, 1e-9),
            amb_county=self.amb_county,
        )


def simulate(inputs: SimulationInputs, config: SimulationConfig | None = None) -> SimulationResult:
    """Run ``config.replications`` replications and summarise per county (see `GroupResult`).

    Raises `SimulationError` (bilingual, naming the demand point/station) for unusable inputs.
    """
    cfg = config or SimulationConfig()
    if cfg.days <= cfg.warmup_days:
        raise SimulationError(
            [
                problem(
                    "bad_input",
                    "days",
                    "模拟天数必须大于预热天数",
                    "days must exceed the warm-up days",
                    cfg.days,
                )
            ]
        )
    inputs.validate(cfg.call_categories)
    reps = [_Run(inputs, cfg, np.random.default_rng([cfg.seed, r])).run() for r in range(cfg.replications)]
    counties = sorted({p.county for p in inputs.demand} | {s.county for s in inputs.stations})
    amb_by = {c: int(sum(s.ambulances for s in inputs.stations if s.county == c)) for c in counties}
    groups = {c: _group(c, reps, cfg, amb_by[c]) for c in counties}
    overall = _group(None, reps, cfg, int(sum(amb_by.values())))
    intervals = {}
    for k in INTERVALS:
        x = np.concatenate([r.intervals[k] for r in reps]) if reps else np.zeros(0)
        x = x[np.isfinite(x)]
        intervals[k] = (
            float(x.mean()) if len(x) else math.nan,
            float(x.std(ddof=1)) if len(x) > 1 else math.nan,
        )
    x = np.concatenate([r.response_min for r in reps])
    intervals["response"] = (
        (float(np.nanmean(x)), float(np.nanstd(x, ddof=1))) if len(x) > 1 else (math.nan, math.nan)
    )
    return SimulationResult(groups, overall, intervals, reps, inputs.network_hash)


def _group(
    county: str | None, reps: list[Replication], cfg: SimulationConfig, ambulances: int
) -> GroupResult:
    per = {k: [] for k in ("calls", "mean", "p90", "util", "waited", "share", "wait")}
    for r in reps:
        m = np.ones(len(r.county), dtype=bool) if county is None else (r.county == county)
        resp = r.response_min[m]
        waited = r.wait_min[m] > 1e-12
        per["calls"].append(m.sum())
        per["mean"].append(resp.mean() if len(resp) else math.nan)
        per["p90"].append(np.percentile(resp, 90) if len(resp) else math.nan)
        am = np.ones(len(r.amb_county), dtype=bool) if county is None else (r.amb_county == county)
        per["util"].append(r.busy_share[am].mean() if am.any() else math.nan)
        per["waited"].append(waited.sum())
        per["share"].append(waited.mean() if len(resp) else math.nan)
        per["wait"].append(r.wait_min[m].mean() if len(resp) else math.nan)
    c = cfg.confidence
    return GroupResult(
        county=county or "all",
        ambulances=ambulances,
        calls=Estimate.of(per["calls"], c),
        response_mean_min=Estimate.of(per["mean"], c),
        response_p90_min=Estimate.of(per["p90"], c),
        utilisation=Estimate.of(per["util"], c),
        waited_calls=Estimate.of(per["waited"], c),
        waited_share=Estimate.of(per["share"], c),
        wait_mean_min=Estimate.of(per["wait"], c),
    )


def erlang_c(servers: int, arrival_rate: float, service_mean: float) -> tuple[float, float]:
    """(probability of waiting, mean wait) of an M/M/c queue (Erlang C), in the units of the inputs."""
    a = arrival_rate * service_mean
    if a >= servers:
        return 1.0, math.inf
    terms = sum(a**k / math.factorial(k) for k in range(servers))
    top = a**servers / math.factorial(servers) * servers / (servers - a)
    pw = top / (terms + top)
    return pw, pw * service_mean / (servers - a)
