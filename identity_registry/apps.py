from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class IdentityRegistryConfig(AppConfig):
    name = "identity_registry"
    verbose_name = "Référentiel d'identités"

    def ready(self) -> None:
        from identity_registry import checks, history  # noqa: F401 - registers checks and receivers


class LoginAuditConfig(AxesAppConfig):
    """django-axes, titled in French in the admin menu: its tables are the log-in journal (issue 11)."""

    verbose_name = "Journal des connexions"
