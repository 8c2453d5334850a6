from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Référentiel des identités"

    def ready(self) -> None:
        from identity_registry.roles import connect_role_sync
        from patients.roles import current_role_permissions

        connect_role_sync(self, current_role_permissions())
