"""Issue 10: the tolerant search's anchors and edit distance.

``fuzzystrmatch`` gives ``levenshtein_less_equal`` (a trusted extension: the database owner may create
it); the btree index on the first names' key serves "the first first name is JEAN" (key = 'JEAN' or
LIKE 'JEAN|%'). SQLite (development) has neither and does not need them.
"""

from django.db import migrations, models


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0022_access_actions"),
    ]

    operations = [
        migrations.RunPython(create_extension, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(
                fields=["first_names_key"], name="patient_firstnames_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
