from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`hadir demo`: the demo regency, seeded from every app's demo data. The top of the stack: it may import
    every app, and nothing imports it."""

    name = "hadir.demo"
    verbose_name = "Data contoh"
