from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('presence', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='checkin',
            index=models.Index(fields=['employee', 'occurred_at'], name='checkin_emp_time'),
        ),
        migrations.AddIndex(
            model_name='checkin',
            index=models.Index(fields=['device_id', 'local_date'], name='checkin_device_date'),
        ),
    ]
