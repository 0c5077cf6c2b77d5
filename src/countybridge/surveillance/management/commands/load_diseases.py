from django.core.management.base import BaseCommand

from countybridge.surveillance.services_catalogue import catalogue_load


class Command(BaseCommand):
    help = (
        "Load the shipped disease catalogue (surveillance/data/diseases.json); a no-op when already loaded."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(catalogue_load()))
