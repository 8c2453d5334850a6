"""Grant the INSi permissions to the role groups (ST-09, AUD-02)."""

from django.db import migrations

from identity_registry.roles import grant_role_permissions
from insi.roles import ROLE_PERMISSIONS


def seed_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("insi", "0001_initial"),
        ("patients", "0003_roles"),
    ]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
