"""`countybridge surveillance …` from the operator's shell.

  surveillance detect --method M [--alpha A] [--percentile P] --input counts.csv --output signals.csv

Each subcommand lives in its own module with `add_parser(subparsers)` and `handle(command, **options)`;
to add one, append it to SUBCOMMANDS.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ... import cli_detect, cli_signals

SUBCOMMANDS = {
    "detect": cli_detect,
    "escalate": cli_signals.escalate,  # adds the escalate and signals parsers
    "signals": cli_signals.signals,
}


class Command(BaseCommand):
    help = "Infectious-disease surveillance from the shell (detect: outbreak detection over a CSV of counts)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for module in SUBCOMMANDS.values():
            module.add_parser(sub)

    def handle(self, *args, action, **options):
        SUBCOMMANDS[action].handle(self, **options)
