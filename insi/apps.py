from django.apps import AppConfig


class InsiConfig(AppConfig):
    name = "insi"
    verbose_name = "Téléservice INSi"
