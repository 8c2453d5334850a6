"""IPP, identifiers of other systems, merges and the events feed (issue 9). IPPs are filled by 0010."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# Frozen copies of patients/ipp.py: a migration must not follow later edits of the code.
SEQUENCE = "patients_ipp_seq"
FIRST_NUMBER = 1_000_000

def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # NO CYCLE (the default): a number is never handed out twice, not even after a rollback.
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} START WITH {FIRST_NUMBER}")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0007_free_text_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Counter',
            fields=[
                ('name', models.CharField(max_length=30, primary_key=True, serialize=False)),
                ('value', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'compteur',
                'verbose_name_plural': 'compteurs',
            },
        ),
        migrations.CreateModel(
            name='ExternalIdentifier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.CharField(max_length=64, verbose_name='valeur')),
                ('in_force', models.BooleanField(default=True, editable=False, verbose_name='en vigueur')),
                ('added_at', models.DateTimeField(auto_now_add=True, verbose_name='ajouté le')),
            ],
            options={
                'verbose_name': 'identifiant externe',
                'verbose_name_plural': 'identifiants externes',
                'ordering': ['authority__code', 'value'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalExternalIdentifier',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_reason_code', models.CharField(blank=True, default='', max_length=40, verbose_name='code motif')),
                ('value', models.CharField(max_length=64, verbose_name='valeur')),
                ('in_force', models.BooleanField(default=True, editable=False, verbose_name='en vigueur')),
                ('added_at', models.DateTimeField(blank=True, editable=False, verbose_name='ajouté le')),
                ('history_change_reason', models.CharField(max_length=2000, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical identifiant externe',
                'verbose_name_plural': 'historical identifiants externes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalIdentifierAuthority',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_reason_code', models.CharField(blank=True, default='', max_length=40, verbose_name='code motif')),
                ('code', models.SlugField(max_length=30, verbose_name='code')),
                ('label', models.CharField(max_length=200, verbose_name='libellé')),
                ('oid', models.CharField(blank=True, max_length=64, verbose_name='OID')),
                ('history_change_reason', models.CharField(max_length=2000, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': "historical autorité d'affectation",
                'verbose_name_plural': "historical autorités d'affectation",
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMergeRecord',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_reason_code', models.CharField(blank=True, default='', max_length=40, verbose_name='code motif')),
                ('reason', models.CharField(max_length=1000, verbose_name='motif de la fusion')),
                ('merged_at', models.DateTimeField(verbose_name='fusionnée le')),
                ('moved', models.JSONField(default=dict, verbose_name='objets déplacés')),
                ('survivor_before', models.JSONField(default=dict)),
                ('merged_before', models.JSONField(default=dict)),
                ('unmerged_at', models.DateTimeField(blank=True, null=True, verbose_name='défusionnée le')),
                ('unmerge_reason', models.CharField(blank=True, max_length=1000, verbose_name='motif de la défusion')),
                ('history_change_reason', models.CharField(max_length=2000, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': "historical fusion d'identités",
                'verbose_name_plural': "historical fusions d'identités",
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='IdentifierAuthority',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=30, unique=True, verbose_name='code')),
                ('label', models.CharField(max_length=200, verbose_name='libellé')),
                ('oid', models.CharField(blank=True, max_length=64, verbose_name='OID')),
            ],
            options={
                'verbose_name': "autorité d'affectation",
                'verbose_name_plural': "autorités d'affectation",
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='MergeRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(max_length=1000, verbose_name='motif de la fusion')),
                ('merged_at', models.DateTimeField(verbose_name='fusionnée le')),
                ('moved', models.JSONField(default=dict, verbose_name='objets déplacés')),
                ('survivor_before', models.JSONField(default=dict)),
                ('merged_before', models.JSONField(default=dict)),
                ('unmerged_at', models.DateTimeField(blank=True, null=True, verbose_name='défusionnée le')),
                ('unmerge_reason', models.CharField(blank=True, max_length=1000, verbose_name='motif de la défusion')),
            ],
            options={
                'verbose_name': "fusion d'identités",
                'verbose_name_plural': "fusions d'identités",
                'ordering': ['-merged_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='PatientEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(editable=False, unique=True, verbose_name='position')),
                ('patient_public_id', models.UUIDField(verbose_name='identifiant public')),
                ('ipp', models.CharField(max_length=20, verbose_name='IPP')),
                ('kinds', models.JSONField(default=list, verbose_name='natures du changement')),
                ('related_public_id', models.UUIDField(blank=True, null=True, verbose_name='identité liée')),
                ('related_ipp', models.CharField(blank=True, max_length=20, verbose_name='IPP lié')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='enregistré le')),
            ],
            options={
                'verbose_name': "événement d'identité",
                'verbose_name_plural': "flux des événements d'identité",
                'ordering': ['seq'],
            },
        ),
        migrations.AlterModelOptions(
            name='patient',
            options={'ordering': ['birth_name', 'first_name', 'birth_date', 'id'], 'permissions': [('set_attribute', "Peut poser ou retirer un attribut d'identité"), ('downgrade_identity', 'Peut déclasser une identité'), ('view_identity_history', "Peut consulter l'historique des identités"), ('merge_identity', 'Peut fusionner et défusionner des identités')], 'verbose_name': 'identité patient', 'verbose_name_plural': 'identités patients'},
        ),
        migrations.AddField(
            model_name='historicalpatient',
            name='ipp',
            field=models.CharField(db_index=True, editable=False, max_length=20, null=True, verbose_name='IPP'),
        ),
        migrations.AddField(
            model_name='historicalpatient',
            name='merged_into',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient', verbose_name='fusionnée dans'),
        ),
        migrations.AddField(
            model_name='patient',
            name='ipp',
            field=models.CharField(editable=False, max_length=20, null=True, unique=True, verbose_name='IPP'),
        ),
        migrations.AddField(
            model_name='patient',
            name='merged_into',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='absorbed', to='patients.patient', verbose_name='fusionnée dans'),
        ),
        migrations.RunPython(create_sequence, drop_sequence),
        migrations.AddConstraint(
            model_name='patient',
            constraint=models.CheckConstraint(condition=models.Q(('merged_into__isnull', True), ('is_active', False), _connector='OR'), name='patient_merged_is_inactive'),
        ),
        migrations.AddField(
            model_name='externalidentifier',
            name='patient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='external_identifiers', to='patients.patient', verbose_name='identité'),
        ),
        migrations.AddField(
            model_name='historicalexternalidentifier',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalexternalidentifier',
            name='patient',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient', verbose_name='identité'),
        ),
        migrations.AddField(
            model_name='historicalidentifierauthority',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalmergerecord',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalmergerecord',
            name='merged',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient', verbose_name='identité fusionnée'),
        ),
        migrations.AddField(
            model_name='historicalmergerecord',
            name='merged_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='fusionnée par'),
        ),
        migrations.AddField(
            model_name='historicalmergerecord',
            name='survivor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient', verbose_name='identité conservée'),
        ),
        migrations.AddField(
            model_name='historicalmergerecord',
            name='unmerged_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='défusionnée par'),
        ),
        migrations.AddField(
            model_name='historicalexternalidentifier',
            name='authority',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.identifierauthority', verbose_name='autorité'),
        ),
        migrations.AddField(
            model_name='externalidentifier',
            name='authority',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='identifiers', to='patients.identifierauthority', verbose_name='autorité'),
        ),
        migrations.AddField(
            model_name='mergerecord',
            name='merged',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='merges_undergone', to='patients.patient', verbose_name='identité fusionnée'),
        ),
        migrations.AddField(
            model_name='mergerecord',
            name='merged_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='fusionnée par'),
        ),
        migrations.AddField(
            model_name='mergerecord',
            name='survivor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='merges_absorbed', to='patients.patient', verbose_name='identité conservée'),
        ),
        migrations.AddField(
            model_name='mergerecord',
            name='unmerged_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='défusionnée par'),
        ),
        migrations.AddField(
            model_name='patientevent',
            name='patient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='patients.patient'),
        ),
        migrations.AddIndex(
            model_name='externalidentifier',
            index=models.Index(fields=['value'], name='external_identifier_value'),
        ),
        migrations.AddConstraint(
            model_name='externalidentifier',
            constraint=models.UniqueConstraint(condition=models.Q(('in_force', True)), fields=('authority', 'value'), name='external_identifier_unique_active'),
        ),
        migrations.AddConstraint(
            model_name='mergerecord',
            constraint=models.UniqueConstraint(condition=models.Q(('unmerged_at__isnull', True)), fields=('merged',), name='merge_one_in_force'),
        ),
        migrations.AddConstraint(
            model_name='mergerecord',
            constraint=models.CheckConstraint(condition=models.Q(('survivor', models.F('merged')), _negated=True), name='merge_not_into_itself'),
        ),
    ]
