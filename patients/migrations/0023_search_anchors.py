"""Issue 10: the search box's anchors, read from the indexes alone, and its edit distance.

``fuzzystrmatch`` gives ``levenshtein_less_equal`` (a trusted extension: the database owner may create it).
The btree indexes on the name keys now carry the other keys (INCLUDE), and a third one serves "the first
first name is JEAN" (key = 'JEAN' or LIKE 'JEAN|%'): the anchors of a search are index-only scans. SQLite
(development) has neither extension nor INCLUDE and does not need them.
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
        migrations.RemoveIndex(
            model_name="patient",
            name="patient_birthname_prefix_date",
        ),
        migrations.RemoveIndex(
            model_name="patient",
            name="patient_usedname_prefix_date",
        ),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(
                fields=["birth_name_key", "birth_date"],
                include=("used_name_key", "first_names_key", "is_active", "id"),
                name="patient_birthname_prefix_date",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(
                fields=["used_name_key", "birth_date"],
                include=("birth_name_key", "first_names_key", "is_active", "id"),
                name="patient_usedname_prefix_date",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(
                fields=["first_names_key"],
                include=("birth_name_key", "used_name_key", "is_active", "id"),
                name="patient_firstnames_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
