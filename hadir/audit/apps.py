from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hadir.audit"
    verbose_name = "Jejak Audit"
