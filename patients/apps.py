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
        # RNIV DM-01: the label (with the Datamatrix INS when QUAL) and the wristband print from the identity page.
        register_patient_page_link(
            PatientPageLink(label="Étiquette", url_name="patient-label", permission="patients.view_patient")
        )
        register_patient_page_link(
            PatientPageLink(label="Bracelet", url_name="patient-wristband", permission="patients.view_patient")
        )

        from identity_registry import admin_display

        # Issue 12: stored JSON is shown on the admin's pages as French sentences, never as raw JSON.
        admin_display.install()
