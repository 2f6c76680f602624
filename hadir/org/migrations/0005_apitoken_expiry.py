"""API tokens expire and die with a password change: expires_at and session_hash (the owner's
get_session_auth_hash() when the token was issued), revoked_at. Tokens issued before this migration get the
current password's hash and HADIR_API_TOKEN_DAYS from now (not from their issue: no phone is signed out by the
upgrade itself)."""

import datetime as dt

from django.conf import settings
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone
from django.utils.crypto import salted_hmac

# The key salt of Django's AbstractBaseUser.get_session_auth_hash (historical models have no methods).
SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


def fill(apps, schema_editor):
    ApiToken = apps.get_model("org", "ApiToken")
    days = float(getattr(settings, "HADIR_API_TOKEN_DAYS", 30))
    expires = timezone.now() + dt.timedelta(days=days) if days > 0 else None
    for token in ApiToken.objects.filter(revoked=False).select_related("user").iterator():
        token.session_hash = salted_hmac(SESSION_HASH_SALT, token.user.password, algorithm="sha256").hexdigest()
        token.expires_at = expires
        token.save(update_fields=["session_hash", "expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_devicebinding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="berlaku sampai"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="session_hash",
            field=models.CharField(blank=True, default="", max_length=128),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dicabut pada"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="dibuat"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="label",
            field=models.CharField(blank=True, max_length=100, verbose_name="nama perangkat"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="terakhir dipakai"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="revoked",
            field=models.BooleanField(default=False, verbose_name="dicabut"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens",
                                    to=settings.AUTH_USER_MODEL, verbose_name="akun"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
