"""Every identity has an IPP (filled by 0010): the column becomes required."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("patients", "0010_ipp_backfill")]

    operations = [
        migrations.AlterField(
            model_name="historicalpatient",
            name="ipp",
            field=models.CharField(db_index=True, editable=False, max_length=20, verbose_name="IPP"),
        ),
        migrations.AlterField(
            model_name="patient",
            name="ipp",
            field=models.CharField(editable=False, max_length=20, unique=True, verbose_name="IPP"),
        ),
    ]
