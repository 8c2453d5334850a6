"""Create the four role groups with exactly the permissions they need (ST-09, AUD-02)."""

from django.db import migrations

from identity_registry.roles import grant_role_permissions


# Frozen literal names: a migration must not follow later edits of patients/roles.py.
ROLE_PERMISSIONS = {"Agent d'accueil": ['patients.view_patient',
                     'patients.add_patient',
                     'patients.change_patient',
                     'patients.view_identitydocument',
                     'patients.add_identitydocument',
                     'patients.view_inshistoryentry'],
 'Auditeur': ['patients.view_patient',
              'patients.view_identitydocument',
              'patients.view_inshistoryentry',
              'patients.view_identity_history'],
 'Intégration DPI': ['patients.view_patient', 'patients.add_patient', 'patients.change_patient'],
 'Référent identitovigilance': ['patients.view_patient',
                                'patients.add_patient',
                                'patients.change_patient',
                                'patients.view_identitydocument',
                                'patients.add_identitydocument',
                                'patients.view_inshistoryentry',
                                'patients.set_attribute',
                                'patients.downgrade_identity',
                                'patients.view_identity_history']}


def seed_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0002_search_trigram_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
