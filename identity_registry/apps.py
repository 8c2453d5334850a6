from django.apps import AppConfig


class IdentityRegistryConfig(AppConfig):
    name = "identity_registry"
    verbose_name = "Référentiel d'identités"

    def ready(self) -> None:
        from identity_registry import checks, history  # noqa: F401 - registers checks and receivers
