# DeviceBinding moves to hadir.org (organisation data beside the employee's API tokens and terminal PIN; the
# check-in pipeline reads it in its context query). State only: the table stays and org.0004 renames it.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('mobile', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='SharedDeviceBinding'),
                migrations.DeleteModel(name='DeviceBinding'),
            ],
            database_operations=[],
        ),
    ]
