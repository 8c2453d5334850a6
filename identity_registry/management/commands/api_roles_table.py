"""Print the role × operation table of the API (README, "Who may call what"), from the generated schema."""

from typing import Any

from django.core.management.base import BaseCommand
from drf_spectacular.generators import SchemaGenerator

from identity_registry.roles import declared_roles
from identity_registry.schema import roles_table


class Command(BaseCommand):
    help = "Affiche le tableau rôles × opérations de l'API (pour le README), tiré du schéma OpenAPI."

    def handle(self, *args: Any, **options: Any) -> None:
        schema = SchemaGenerator().get_schema(request=None, public=True)
        self.stdout.write(roles_table(schema, declared_roles()))
