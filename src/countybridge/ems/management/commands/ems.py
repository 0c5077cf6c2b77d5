"""`countybridge ems …`: EMS network tools from the operator's shell.

  ems solve {pmedian,mclp,lscp,pcenter,mexclp} --instance FILE [--p P] [--radius R] [--format orlib|csv] [--json]

Each subcommand is a module listed in SUBCOMMANDS as (name, module, help). The module provides
`add_arguments(parser)` (its own subparser) and `handle(*, stdout, **options)`, called with exactly the
options its subparser defines. To add a subcommand, add one line to the list.
"""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand

SUBCOMMANDS = [
    (
        "solve",
        "countybridge.ems.cli_solve",
        "solve a station-siting model (p-median, MCLP, LSCP, p-center, MEXCLP) on an instance file",
    ),
    (
        "simulate",
        "countybridge.ems.cli_simulate",
        "simulate dispatch for a scenario (per-county response with CIs)",
    ),
]


class Command(BaseCommand):
    help = "EMS network tools."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="ems_action", required=True)
        self._dests = {}
        for name, module_name, text in SUBCOMMANDS:
            child = sub.add_parser(name, help=text)
            importlib.import_module(module_name).add_arguments(child)
            self._dests[name] = {a.dest for a in child._actions if a.dest != "help"}

    def handle(self, *args, ems_action, **options):
        module_name = next(m for name, m, _ in SUBCOMMANDS if name == ems_action)
        own = {k: v for k, v in options.items() if k in self._dests[ems_action]}
        importlib.import_module(module_name).handle(stdout=self.stdout, **own)
