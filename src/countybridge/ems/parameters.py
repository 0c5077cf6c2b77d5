"""EMS settings with their sourced defaults (shared/facts/ems.md §4 and §6), validated as plain data.

Pure: no Django. The database keeps one editable copy per county (or a city-wide one); `validate`
checks a whole settings dict and returns bilingual problems naming the setting, so a non-numeric speed
is refused before anything is saved.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

from .simulation.config import HOURLY_PROFILE_PCT

# Road classes used by the network module and imports; speeds in km/h (facts §4 / §6: 90, 60–65, 40–50,
# 25–30, 15–25; urban peak 26 km/h). Ambulances are exempt from limits, but roads set the pace.
ROAD_CLASSES = ("expressway", "national", "provincial", "county", "township", "village", "urban")
ROAD_CLASS_LABELS = {
    "expressway": ("高速公路", "expressway"),
    "national": ("国道", "national road"),
    "provincial": ("省道", "provincial road"),
    "county": ("县道", "county road"),
    "township": ("乡道", "township road"),
    "village": ("村道/山区道路", "village / mountain road"),
    "urban": ("城区道路", "urban street"),
}

DEFAULTS: dict[str, Any] = {
    "speeds_kmh": {
        "expressway": 90.0,
        "national": 65.0,
        "provincial": 60.0,
        "county": 45.0,
        "township": 30.0,
        "village": 20.0,
        "urban": 26.0,
    },
    # minutes; means of the facts' lognormals (call→order 2.16; turnout median 2.4, σ 0.5 → mean 2.72)
    "intervals_min": {
        "call_handling": 0.5,  # answer and triage before the dispatch order (⚠ assumption; 95% answered ≤10 s)
        "dispatch": 2.16,
        "turnout": 2.72,
    },
    "peak_travel_factor": 1.17,  # Guangzhou rush hour (S39); 1.0 = free-flow
    "targets_min": [5, 10, 15],
    "target_min": 15.0,  # project target (BRIEF: average response ≤ 15 min)
    "dispatches_per_1000_per_year": 15.0,  # sensitivity 10–25 (⚠ rural)
    # hourly share of calls (S18, S25 ◐): the simulation module's profile, as fractions
    "hourly_profile": [round(v / sum(HOURLY_PROFILE_PCT), 5) for v in HOURLY_PROFILE_PCT],
    "lognormal": {  # (mu, sigma) of ln minutes; used by the simulation
        "call_processing": [0.655, 0.48],
        "turnout": [0.875, 0.5],
        "on_scene": [2.387, 0.465],
        "handover": [2.485, 0.5],
    },
    "no_patient_share": 0.15,
    "transport_share": 0.85,
    # standards (facts §1): ambulances per population under both readings, radius, negative pressure
    "ambulance_per_population": 30000,
    "county_multiplier": 3.0,
    "radius_km_urban": 5.0,
    "radius_km_rural": 20.0,
    "negative_pressure_share": 0.40,
    # costs, yuan per year (⚠ synthetic planning figures: editable)
    "cost_station_per_year": 1_200_000.0,
    "cost_ambulance_per_year": 900_000.0,
    "detour_factor": 1.6,
}

NUMERIC_BOUNDS: dict[str, tuple[float, float]] = {
    "peak_travel_factor": (0.5, 3.0),
    "target_min": (1.0, 120.0),
    "dispatches_per_1000_per_year": (0.1, 200.0),
    "no_patient_share": (0.0, 1.0),
    "transport_share": (0.0, 1.0),
    "ambulance_per_population": (1000, 1_000_000),
    "county_multiplier": (1.0, 10.0),
    "radius_km_urban": (0.5, 100.0),
    "radius_km_rural": (0.5, 200.0),
    "negative_pressure_share": (0.0, 1.0),
    "cost_station_per_year": (0.0, 1e10),
    "cost_ambulance_per_year": (0.0, 1e10),
    "detour_factor": (1.0, 5.0),
}


@dataclass(frozen=True)
class Problem:
    """One bad setting: its dotted path, the value given and what is wrong in both languages."""

    field: str
    value: str
    message_zh: str
    message_en: str
    code: str = "invalid"


def defaults() -> dict[str, Any]:
    return copy.deepcopy(DEFAULTS)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of `base` with `changes` laid over it (nested dicts merged one level deep)."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def validate(values: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Check every setting; returns (normalised copy with floats, problems). Unknown keys are problems."""
    out = defaults()
    problems: list[Problem] = []
    for key in values:
        if key not in DEFAULTS:
            problems.append(Problem(key, key, f"未知的设置项 {key}", f"Unknown setting {key}", "unknown"))
    speeds = values.get("speeds_kmh", {})
    for road_class, value in (speeds or {}).items():
        label_zh, label_en = ROAD_CLASS_LABELS.get(road_class, (road_class, road_class))
        number = _number(value)
        if road_class not in ROAD_CLASSES:
            problems.append(Problem(f"speeds_kmh.{road_class}", str(road_class), f"未知的道路等级 {road_class}",
                                    f"Unknown road class {road_class}", "unknown"))  # fmt: skip
        elif number is None:
            problems.append(Problem(f"speeds_kmh.{road_class}", str(value)[:40],
                                    f"{label_zh}车速必须是数字(公里/小时),收到“{value}”",
                                    f"The speed for {label_en} must be a number (km/h), got '{value}'"))  # fmt: skip
        elif not 1 <= number <= 200:
            problems.append(Problem(f"speeds_kmh.{road_class}", str(value), f"{label_zh}车速应在1到200公里/小时之间",
                                    f"The speed for {label_en} must be 1-200 km/h", "out_of_range"))  # fmt: skip
        else:
            out["speeds_kmh"][road_class] = number
    for name, value in (values.get("intervals_min") or {}).items():
        number = _number(value)
        if name not in DEFAULTS["intervals_min"]:
            problems.append(
                Problem(f"intervals_min.{name}", name, f"未知的时段 {name}", f"Unknown interval {name}")
            )
        elif number is None or not 0 <= number <= 120:
            problems.append(Problem(f"intervals_min.{name}", str(value)[:40], f"时段 {name} 必须是0到120之间的分钟数",
                                    f"Interval {name} must be a number of minutes from 0 to 120"))  # fmt: skip
        else:
            out["intervals_min"][name] = number
    for key, (low, high) in NUMERIC_BOUNDS.items():
        if key not in values:
            continue
        number = _number(values[key])
        if number is None or not low <= number <= high:
            problems.append(Problem(key, str(values[key])[:40], f"设置项 {key} 必须是 {low:g} 到 {high:g} 之间的数字",
                                    f"Setting {key} must be a number from {low:g} to {high:g}", "out_of_range"))  # fmt: skip
        else:
            out[key] = number
    if "hourly_profile" in values:
        profile = values["hourly_profile"]
        numbers = [_number(v) for v in profile] if isinstance(profile, list | tuple) else []
        if len(numbers) != 24 or any(v is None or v < 0 for v in numbers) or sum(numbers) <= 0:
            problems.append(Problem("hourly_profile", str(profile)[:60], "时段分布须为24个非负数字",
                                    "The hourly profile must be 24 non-negative numbers"))  # fmt: skip
        else:
            total = sum(numbers)
            out["hourly_profile"] = [v / total for v in numbers]
    if "targets_min" in values:
        targets = values["targets_min"]
        numbers = [_number(v) for v in targets] if isinstance(targets, list | tuple) else []
        if not numbers or any(v is None or v <= 0 for v in numbers):
            problems.append(Problem("targets_min", str(targets)[:60], "时间阈值须为正数列表",
                                    "The time thresholds must be a list of positive numbers"))  # fmt: skip
        else:
            out["targets_min"] = sorted(numbers)
    for name, pair in (values.get("lognormal") or {}).items():
        numbers = [_number(v) for v in pair] if isinstance(pair, list | tuple) else []
        if name not in DEFAULTS["lognormal"]:
            problems.append(
                Problem(
                    f"lognormal.{name}", name, f"未知的分布 {name}", f"Unknown distribution {name}", "unknown"
                )
            )
        elif len(numbers) != 2 or any(v is None for v in numbers) or not 0 < numbers[1] <= 3:
            problems.append(Problem(f"lognormal.{name}", str(pair)[:40], f"分布 {name} 须为 [μ, σ] 两个数字(0 < σ ≤ 3)",
                                    f"Distribution {name} must be two numbers [mu, sigma] (0 < sigma <= 3)"))  # fmt: skip
        else:
            out["lognormal"][name] = numbers
    return out, problems


def pre_travel_minutes(params: dict[str, Any]) -> float:
    """Call handling + dispatch + turnout: the part of the response before the ambulance rolls."""
    intervals = params["intervals_min"]
    return float(intervals["call_handling"]) + float(intervals["dispatch"]) + float(intervals["turnout"])
