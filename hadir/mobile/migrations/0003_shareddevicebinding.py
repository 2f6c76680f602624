# The shared-device admin list, now a proxy of org.DeviceBinding (see 0002).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('mobile', '0002_devicebinding_to_org'),
        ('org', '0004_devicebinding'),
    ]

    operations = [
        migrations.CreateModel(
            name='SharedDeviceBinding',
            fields=[],
            options={
                'verbose_name': 'perangkat dipakai bersama',
                'verbose_name_plural': 'perangkat dipakai bersama',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('org.devicebinding',),
        ),
    ]
