from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Référentiel des identités"

    def ready(self) -> None:
        from identity_registry.roles import connect_role_sync
        from patients.roles import current_role_permissions

        connect_role_sync(self, current_role_permissions())

        from patients.extensions import PatientPageLink, register_patient_page_link
        from patients.roles import TIMELINE_PERMISSION

        # RNIV AUD-02: the identity page links to its timeline, for referents and auditors.
        register_patient_page_link(
            PatientPageLink(label="Chronologie", url_name="patient-timeline", permission=TIMELINE_PERMISSION)
        )

        # Issue 12: the counters of the referent's desk (insi registers its own).
        from patients import worklists

        worklists.register()
