
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='AuditVerification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='verified at')),
                ('ok', models.BooleanField(verbose_name='intact')),
                ('entries', models.BigIntegerField(verbose_name='entries')),
                ('head_seq', models.BigIntegerField(default=0, verbose_name='last entry')),
                ('head_hash', models.CharField(blank=True, max_length=64, verbose_name='last hash')),
                ('problem', models.TextField(blank=True, verbose_name='problem')),
                ('seconds', models.FloatField(default=0, verbose_name='seconds')),
            ],
            options={
                'verbose_name': 'audit trail verification',
                'verbose_name_plural': 'audit trail verifications',
                'ordering': ['-at'],
            },
        ),
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(unique=True, verbose_name='sequence')),
                ('model_label', models.CharField(max_length=100, verbose_name='model')),
                ('object_id', models.CharField(max_length=64, verbose_name='object')),
                ('history_id', models.BigIntegerField(verbose_name='history record')),
                ('history_type', models.CharField(max_length=1, verbose_name='change')),
                ('user_id', models.BigIntegerField(blank=True, null=True, verbose_name='user')),
                ('at', models.DateTimeField(verbose_name='time')),
                ('digest', models.CharField(max_length=64, verbose_name='digest')),
                ('prev_hash', models.CharField(max_length=64, verbose_name='previous hash')),
                ('hash', models.CharField(max_length=64, verbose_name='hash')),
            ],
            options={
                'verbose_name': 'audit entry',
                'verbose_name_plural': 'audit entries',
                'ordering': ['seq'],
                'indexes': [models.Index(fields=['model_label', 'object_id'], name='audit_audit_model_l_ea9367_idx')],
            },
        ),
    ]
