"""Grant the consent permissions to the role groups (ST-09, AUD-02)."""

from django.db import migrations

from identity_registry.roles import grant_role_permissions


# Frozen literal names: a migration must not follow later edits of roles.py.
ROLE_PERMISSIONS = {"Agent d'accueil": ['consent.view_professional',
                     'consent.view_careepisode',
                     'consent.view_careteammember',
                     'consent.view_consentrecord',
                     'consent.view_patientopposition',
                     'consent.view_emergencyaccess',
                     'consent.add_careepisode',
                     'consent.change_careepisode',
                     'consent.add_careteammember',
                     'consent.change_careteammember',
                     'consent.record_consent'],
 'Auditeur': ['consent.view_professional',
              'consent.view_careepisode',
              'consent.view_careteammember',
              'consent.view_consentrecord',
              'consent.view_patientopposition',
              'consent.view_emergencyaccess',
              'consent.view_accessdecisionlog',
              'consent.view_consent_history'],
 'Intégration DPI': ['consent.view_professional',
                     'consent.view_careepisode',
                     'consent.view_careteammember',
                     'consent.view_consentrecord',
                     'consent.view_patientopposition',
                     'consent.view_emergencyaccess',
                     'consent.add_careepisode',
                     'consent.change_careepisode',
                     'consent.add_careteammember',
                     'consent.change_careteammember',
                     'consent.record_consent',
                     'consent.add_professional',
                     'consent.change_professional',
                     'consent.declare_emergency_access',
                     'consent.request_access_decision'],
 'Référent identitovigilance': ['consent.view_professional',
                                'consent.view_careepisode',
                                'consent.view_careteammember',
                                'consent.view_consentrecord',
                                'consent.view_patientopposition',
                                'consent.view_emergencyaccess',
                                'consent.add_careepisode',
                                'consent.change_careepisode',
                                'consent.add_careteammember',
                                'consent.change_careteammember',
                                'consent.record_consent',
                                'consent.add_professional',
                                'consent.change_professional',
                                'consent.declare_emergency_access',
                                'consent.view_consent_history',
                                'consent.view_accessdecisionlog']}


def seed_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_initial"),
        ("patients", "0003_roles"),
    ]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
