from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('presence', '0002_checkin_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='dailystatus',
            name='apel_pagi',
            field=models.CharField(blank=True, choices=[('', 'Tidak ada apel'), ('hadir', 'Ikut apel'), ('tidak', 'Tidak ikut apel')], default='', max_length=6, verbose_name='apel pagi'),
        ),
        migrations.AddField(
            model_name='dailystatus',
            name='apel_sore',
            field=models.CharField(blank=True, choices=[('', 'Tidak ada apel'), ('hadir', 'Ikut apel'), ('tidak', 'Tidak ikut apel')], default='', max_length=6, verbose_name='apel sore'),
        ),
    ]
