"""Let auditors and referents read the identity access log (AUD-02, AUD-03)."""

from django.db import migrations

from identity_registry.roles import grant_role_permissions


def grant(apps, schema_editor):
    # Frozen literal names: a migration must not follow later edits of patients/roles.py.
    perms = ["patients.view_patientaccess"]
    grant_role_permissions(apps, {"Référent identitovigilance": perms, "Auditeur": perms})


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_api_access_log_idempotency")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
