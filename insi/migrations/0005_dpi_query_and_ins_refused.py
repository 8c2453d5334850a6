"""Let the hospital software (DPI) search and verify the INS through INSi (ST-09); a refused returned
matricule (TR-10, TR-12, TR-14) gets an outcome of its own in the call log."""

from django.db import migrations, models

from identity_registry.roles import grant_role_permissions

OUTCOMES = [
    ("MATCH", "Identité concordante"),
    ("NEEDS_DECISION", "Décision d'un référent requise"),
    ("DISCORDANT", "Identité discordante"),
    ("INS_REFUSED", "Matricule INS renvoyé refusé (TR-10, TR-12)"),
    ("NOT_FOUND", "Aucune identité trouvée (01)"),
    ("MULTIPLE", "Plusieurs identités trouvées (02)"),
    ("VERIFIED", "INS vérifiée à l'identique"),
    ("CHANGED", "INS modifiée ou introuvable"),
    ("ERROR", "Erreur technique"),
]


def grant(apps, schema_editor):
    # Frozen literal names: a migration must not follow later edits of insi/roles.py.
    grant_role_permissions(apps, {"Intégration DPI": ["insi.query_insi"]})


class Migration(migrations.Migration):
    dependencies = [("insi", "0004_free_text_max_length"), ("patients", "0003_roles")]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalinsicall",
            name="outcome",
            field=models.CharField(choices=OUTCOMES, max_length=20, verbose_name="résultat"),
        ),
        migrations.AlterField(
            model_name="insicall",
            name="outcome",
            field=models.CharField(choices=OUTCOMES, max_length=20, verbose_name="résultat"),
        ),
    ]
