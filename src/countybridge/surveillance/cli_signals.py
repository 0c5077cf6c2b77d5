"""`countybridge surveillance escalate` and `countybridge surveillance signals` from the operator's shell.

    countybridge surveillance escalate            # escalate every signal unverified past its deadline
    countybridge surveillance signals --frequency day [--as-of 2026-11-20] [--periods 7]

Both are idempotent: a second escalate finds nothing left to escalate, and a rerun of a detection stores no
signal twice (one per disease, region, period, method). Schedule them (cron, systemd timer) or start the
same work as the `surveillance.detect` / `surveillance.escalate` background jobs.
"""

from __future__ import annotations

import datetime as dt


def add_parser(subparsers) -> None:
    subparsers.add_parser(
        "escalate", help="escalate signals left unverified past their deadline (idempotent)"
    )
    p = subparsers.add_parser("signals", help="daily/weekly detection run over every county × disease series")
    p.add_argument("--frequency", choices=("day", "week"), default="day")
    p.add_argument("--as-of", dest="as_of", help="analysis date YYYY-MM-DD (default: today)")
    p.add_argument("--periods", type=int, default=1, help="days or weeks to evaluate, ending at --as-of")


def handle_escalate(command, **_) -> None:
    from .services_signals import signals_escalate_overdue

    n = signals_escalate_overdue()
    command.stdout.write(f"已自动上报 {n} 个逾期未核实信号 / {n} overdue signals escalated to the city CDC")


def handle_signals(command, *, frequency="day", as_of=None, periods=1, **_) -> None:
    from django.core.management.base import CommandError

    from countybridge.core.services.errors import ServiceValidationError

    from .services_signals import detection_run

    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise CommandError(
            f"日期格式应为 YYYY-MM-DD: {as_of} / The date must be YYYY-MM-DD: {as_of}"
        ) from None
    try:
        result = detection_run(frequency=frequency, as_of=day, periods=periods)
    except ServiceValidationError as exc:
        raise CommandError(str(exc)) from None
    command.stdout.write(
        f"{result['series']} 个序列, 新信号 {result['signals_created']} 个(已存在 {result['signals_existing']} 个), "
        f"逾期上报 {result['escalated_overdue']} 个\n"
        f"{result['series']} series, {result['signals_created']} new signals "
        f"({result['signals_existing']} already stored), {result['escalated_overdue']} overdue escalated"
    )


class _Sub:
    """Adapters so that the command's SUBCOMMANDS table can hold one entry per subcommand name."""

    def __init__(self, handler, with_parser: bool):
        self.handle = handler
        self._with_parser = with_parser

    def add_parser(self, subparsers) -> None:
        if self._with_parser:
            add_parser(subparsers)


escalate = _Sub(handle_escalate, with_parser=True)  # adds both parsers
signals = _Sub(handle_signals, with_parser=False)
