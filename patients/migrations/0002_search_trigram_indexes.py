"""RNIV TR-05: trigram GIN indexes on the search keys, on PostgreSQL only (SQLite scans)."""

from django.db import migrations

KEYS = ["birth_name_key", "used_name_key", "first_names_key"]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for key in KEYS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS patient_{key}_trgm ON patients_patient USING gin ({key} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for key in KEYS:
        schema_editor.execute(f"DROP INDEX IF EXISTS patient_{key}_trgm")


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
