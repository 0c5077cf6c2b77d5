from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from countybridge.cadres.demo import load_cadres_demo
from countybridge.core.demo.loader import DEMO_PASSWORD, demo_load, demo_present, demo_reset, demo_users
from countybridge.core.services import regions_load
from countybridge.ems.demo import ems_demo_load
from countybridge.surveillance.demo import surveillance_demo_load, surveillance_demo_reset
from countybridge.surveillance.demo_signals import signals_demo_load, signals_demo_reset
from countybridge.surveillance.services_catalogue import catalogue_load
from countybridge.talent.demo import talent_demo_load, talent_demo_reset


class Command(BaseCommand):
    help = "Load regions and reproducible synthetic demo data (fixed seed); --scale multiplies counts for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20251127)
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--reset", action="store_true", help="remove earlier synthetic records first")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, seed, scale, reset, quiet, **options):
        console = Console(quiet=quiet)
        regions_load()
        catalogue_load()
        if reset:
            signals_demo_reset()
            surveillance_demo_reset()
            talent_demo_reset()
            demo_reset()
        if demo_present():
            console.print("demo data already present (use --reset to regenerate)")
        else:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("demo data", total=100)
                counts = demo_load(
                    seed=seed,
                    scale=scale,
                    progress=lambda pct, stage: bar.update(task, completed=pct, description=stage),
                )
            console.print(f"generated (synthetic): {counts}")
            console.print(f"talent (synthetic): {talent_demo_load(seed=seed, scale=scale)}")
        console.print(f"cadres (synthetic): {load_cadres_demo(reset=reset)}")
        console.print(f"surveillance (synthetic): {surveillance_demo_load(seed=seed, scale=scale)}")
        console.print(f"surveillance signals (synthetic): {signals_demo_load(seed=seed)}")
        console.print(f"ems (synthetic): {ems_demo_load(seed=seed, reset=reset)}")
        table = Table(title=f"Demo logins — password for all: {DEMO_PASSWORD}")
        for column in ("username", "role", "who"):
            table.add_column(column)
        for row in demo_users():
            table.add_row(*row)
        console.print(table)
