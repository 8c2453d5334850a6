"""Grant the INSi permissions to the role groups (ST-09, AUD-02)."""

from django.db import migrations

from identity_registry.roles import grant_role_permissions


# Frozen literal names: a migration must not follow later edits of roles.py.
ROLE_PERMISSIONS = {"Agent d'accueil": ['insi.query_insi', 'insi.view_insiproposal'],
 'Auditeur': ['insi.view_insicall', 'insi.view_insiproposal'],
 'Référent identitovigilance': ['insi.query_insi',
                                'insi.decide_insi',
                                'insi.view_insicall',
                                'insi.view_insiproposal']}


def seed_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("insi", "0001_initial"),
        ("patients", "0003_roles"),
    ]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
