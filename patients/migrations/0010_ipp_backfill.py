"""Give every existing identity its IPP; let referents merge (AUD-05) and administer authorities."""

from django.db import migrations
from stdnum import luhn

from identity_registry.roles import grant_role_permissions

# Frozen copies of patients/ipp.py and patients/roles.py: a migration must not follow later edits of the code.
SEQUENCE = "patients_ipp_seq"
FIRST_NUMBER = 1_000_000
ROLE_PERMISSIONS = {
    "Référent identitovigilance": [
        "patients.merge_identity",
        "patients.view_mergerecord",
        "patients.view_externalidentifier",
        "patients.view_identifierauthority",
        "patients.add_identifierauthority",
        "patients.change_identifierauthority",
        "patients.view_patientevent",
    ],
    "Agent d'accueil": ["patients.view_externalidentifier", "patients.view_identifierauthority"],
    "Auditeur": [
        "patients.view_mergerecord",
        "patients.view_externalidentifier",
        "patients.view_identifierauthority",
        "patients.view_patientevent",
    ],
    "Intégration DPI": [
        "patients.view_externalidentifier",
        "patients.view_identifierauthority",
        "patients.view_patientevent",
    ],
}


def _ipp(number):
    return str(number) + luhn.calc_check_digit(str(number))


def backfill_ipp(apps, schema_editor):
    """Give every existing identity its IPP, in creation order, and copy it onto its history rows."""
    patient_model = apps.get_model("patients", "Patient")
    history_model = apps.get_model("patients", "HistoricalPatient")
    counter_model = apps.get_model("patients", "Counter")
    connection = schema_editor.connection
    number = FIRST_NUMBER - 1
    for pk in patient_model.objects.order_by("pk").values_list("pk", flat=True).iterator():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s)", [SEQUENCE])
                number = cursor.fetchone()[0]
        else:
            number += 1
        ipp = _ipp(number)
        patient_model.objects.filter(pk=pk).update(ipp=ipp)
        history_model.objects.filter(id=pk).update(ipp=ipp)
    if connection.vendor != "postgresql":
        counter_model.objects.update_or_create(name="ipp", defaults={"value": number})
    counter_model.objects.get_or_create(name="events", defaults={"value": 0})



def grant(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("patients", "0009_duplicates")]

    operations = [
        migrations.RunPython(backfill_ipp, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
