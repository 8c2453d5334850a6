from django.apps import AppConfig


class InsiConfig(AppConfig):
    name = "insi"
    verbose_name = "Téléservice INSi"

    def ready(self) -> None:
        from insi import checks  # noqa: F401 - registers the system checks
        from patients.extensions import PatientPageLink, register_patient_page_link

        # RNIV ST-09: the "Interroger INSi" button shows only to users allowed to query.
        register_patient_page_link(
            PatientPageLink(label="Interroger INSi", url_name="admin:insi_query", permission="insi.query_insi")
        )
