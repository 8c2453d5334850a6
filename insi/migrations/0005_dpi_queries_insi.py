"""Let the hospital software (DPI) search and verify the INS of its identities through INSi (ST-09)."""

from django.db import migrations

from identity_registry.roles import grant_role_permissions


def grant(apps, schema_editor):
    # Frozen literal names: a migration must not follow later edits of insi/roles.py.
    grant_role_permissions(apps, {"Intégration DPI": ["insi.query_insi"]})


class Migration(migrations.Migration):
    dependencies = [("insi", "0003_insicall_history"), ("patients", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
