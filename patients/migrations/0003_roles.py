"""Create the four role groups with exactly the permissions they need (ST-09, AUD-02)."""

from django.db import migrations

from identity_registry.roles import grant_role_permissions
from patients.roles import ROLE_PERMISSIONS


def seed_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0002_search_trigram_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
