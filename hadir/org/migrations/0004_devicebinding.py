# DeviceBinding moves here from hadir.mobile: the model's state is taken over (the table exists, made by
# mobile.0001), then the table is renamed mobile_devicebinding → org_devicebinding.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_employee_name_index'),
        ('mobile', '0002_devicebinding_to_org'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DeviceBinding',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key_hash', models.CharField(db_index=True, max_length=64, verbose_name='hash kunci perangkat')),
                        ('user_agent', models.CharField(blank=True, max_length=300, verbose_name='peramban/perangkat')),
                        ('label', models.CharField(blank=True, max_length=100, verbose_name='nama perangkat')),
                        ('bound_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='diikat pada')),
                        ('last_seen_at', models.DateTimeField(blank=True, null=True, verbose_name='terakhir dipakai')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='direset pada')),
                        ('revoke_reason', models.CharField(blank=True, max_length=300, verbose_name='alasan reset')),
                        ('employee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='device_bindings', to='org.employee', verbose_name='pegawai')),
                        ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='direset oleh')),
                    ],
                    options={
                        'verbose_name': 'ikatan perangkat',
                        'verbose_name_plural': 'ikatan perangkat',
                        'ordering': ['-bound_at'],
                        'db_table': 'mobile_devicebinding',
                        'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('employee',), name='uniq_active_device_binding')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='devicebinding', table=None),
    ]
