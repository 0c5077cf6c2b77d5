"""`countybridge ems simulate --scenario NAME --days D --seed S`: dispatch simulation from the shell.

A scenario name may match one scenario per county (every county's baseline is called the same), so the
command simulates each match (optionally only `--county CODE`) and prints, per county, the mean and
90th-percentile response with confidence intervals, ambulance utilisation and the calls that waited.
Runs are stored like the page's runs (operator's shell: no user)."""

from __future__ import annotations

from django.core.management.base import CommandError

from countybridge.core.services.errors import ServiceValidationError


def add_arguments(parser) -> None:
    parser.add_argument("--scenario", required=True, help="scenario name (e.g. '现状 (基线)')")
    parser.add_argument("--county", default="", help="county code, when the name matches several counties")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replications", type=int, default=5)


def _ci(estimate: dict, digits: int = 1) -> str:
    mean, low, high = estimate.get("mean"), estimate.get("low"), estimate.get("high")
    if mean is None:
        return "—"
    if low is None or high is None:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def handle(
    *, scenario: str, county: str = "", days: int = 7, seed: int = 1, replications: int = 5, stdout
) -> list:
    from .models import Scenario
    from .simulate import simulate

    if days < 1 or replications < 1:
        raise CommandError("--days and --replications must be at least 1 / 天数和重复次数至少为 1")
    matches = (
        Scenario.objects.filter(name=scenario).select_related("region", "network").order_by("region__code")
    )
    if county:
        matches = matches.filter(region__code=county)
    if not matches:
        raise CommandError(f"no scenario named {scenario!r} / 没有名为“{scenario}”的方案")
    runs = []
    header = f"{'county':<10} {'calls':>7} {'mean response (95% CI)':>24} {'p90 (95% CI)':>24} {'utilisation':>22} {'waited':>8}"
    stdout.write(header)
    for target in matches:
        try:
            run = simulate(actor=None, scenario=target, days=days, seed=seed, replications=replications)
        except ServiceValidationError as exc:
            raise CommandError(f"{target.region.name_zh}: {exc}") from None
        s = run.result["summary"]
        stdout.write(
            f"{target.region.name_zh:<8} {s['calls'] or 0:>7.0f} {_ci(s['response_mean']):>24} {_ci(s['response_p90']):>24}"
            f" {_ci(s['utilisation'], 3):>22} {_ci(s['waited_calls'], 0):>8}"
        )
        runs.append(run)
    stdout.write(f"days={days} seed={seed} replications={replications}; runs stored: {[r.pk for r in runs]}")
    return runs
