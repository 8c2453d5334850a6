from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Référentiel des identités"

    def ready(self) -> None:
        from identity_registry.roles import connect_role_sync
        from patients import checks  # noqa: F401 - registers the ID-09 system checks
        from patients.roles import current_role_permissions

        connect_role_sync(self, current_role_permissions())

        from patients.api_auth_cache import connect_invalidation

        # Issue 10: a revocation or a role change forgets the cached API callers.
        connect_invalidation()

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

        # RNIV AUD-04: identity incidents: a button on the identity page, and their entries in the timeline.
        from patients.extensions import register_timeline_source
        from patients.incidents.timeline import SOURCE
        from patients.roles import INCIDENT_OPEN_PERMISSION

        register_patient_page_link(
            PatientPageLink(
                label="Déclarer un incident d'identité",
                url_name="admin:patients_incident_open",
                permission=INCIDENT_OPEN_PERMISSION,
            )
        )
        register_timeline_source(SOURCE)

        # Issue 12: the counters of the referent's desk (insi registers its own).
        from patients import worklists

        worklists.register()
        from identity_registry import admin_display

        # Issue 12: stored JSON is shown on the admin's pages as French sentences, never as raw JSON.
        admin_display.install()
